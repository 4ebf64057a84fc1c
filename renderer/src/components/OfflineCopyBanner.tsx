import { Callout } from '@blueprintjs/core';
import { OfflineIcon } from '@blueprintjs/icons';
import type { OfflineCopy } from '../../../shared/ipc/directory';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Says that a list is the console's offline copy, and from when; the view holds back changes meanwhile. */
export const OfflineCopyBanner = ({ offline, testId }: { offline: OfflineCopy; testId: string }) => (
  <Callout compact icon={<OfflineIcon />} className="attest-inline-callout" data-testid={testId} data-fetched-at={offline.fetchedAt}>
    Offline copy from {dateTime.format(new Date(offline.fetchedAt))} — changes need a connection
  </Callout>
);
