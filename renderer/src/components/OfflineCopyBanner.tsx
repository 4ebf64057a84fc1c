import { Callout } from '@blueprintjs/core';
import { OfflineIcon } from '@blueprintjs/icons';
import type { OfflineCopy } from '../../../shared/ipc/directory';
import { DateTime } from './DateTime';

/** Says that a list is the console's offline copy, and from when; the view holds back changes meanwhile. */
export const OfflineCopyBanner = ({ offline, testId }: { offline: OfflineCopy; testId: string }) => (
  <Callout compact icon={<OfflineIcon />} className="attest-inline-callout" data-testid={testId} data-fetched-at={offline.fetchedAt}>
    Offline copy from <DateTime value={offline.fetchedAt} /> — changes need a connection
  </Callout>
);
