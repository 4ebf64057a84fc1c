import { Callout } from '@blueprintjs/core';
import { OfflineIcon } from '@blueprintjs/icons';
import type { OfflineCopy } from '../../../shared/ipc/directory';
import { DateTime } from './DateTime';

const count = (n: number) => n.toLocaleString();

/** Says that a list is the console's offline copy, from when, and when it holds only part of the list; the view holds back changes meanwhile. */
export const OfflineCopyBanner = ({ offline, testId }: { offline: OfflineCopy; testId: string }) => (
  <Callout compact icon={<OfflineIcon />} className="attest-inline-callout" data-testid={testId} data-fetched-at={offline.fetchedAt}>
    Offline copy from <DateTime value={offline.fetchedAt} />
    {offline.cut && ` — holds the first ${count(offline.cut.kept)} only (the copy keeps at most ${count(offline.cut.bound)} per list)`} — changes need a connection
  </Callout>
);
