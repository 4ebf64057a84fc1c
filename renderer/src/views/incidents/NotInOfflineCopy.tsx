import { Button, NonIdealState } from '@blueprintjs/core';
import { CloudDownloadIcon } from '@blueprintjs/icons';
import { useEffect, useState } from 'react';
import type { SyncStatus } from '../../../../shared/ipc/incidents';
import { getBridge } from '../../platform/platform';
import { formatTime } from './incidentsModel';

/**
 * An incident this console has never synced (a link to it while offline): say so
 * calmly, when the copy was last brought up to date, and that it loads by itself
 * once a sync reaches the service (the page reloads on every sync).
 */
export const NotInOfflineCopy = () => {
  const [sync, setSync] = useState<SyncStatus | null>(null);
  useEffect(() => {
    void getBridge().invoke('incidents.syncStatus', {}).then(setSync, () => undefined);
    return getBridge().subscribe('incidents.changed', setSync);
  }, []);
  const last = sync?.lastSyncedAt ? `Last synced ${formatTime(sync.lastSyncedAt)}.` : 'Not synced since the console started.';
  return (
    <div data-testid="incident-not-synced">
    <NonIdealState
      icon={<CloudDownloadIcon size={32} />}
      title="Not in your offline copy yet"
      description={
        <>
          <p>This incident has not reached this computer. It will load here by itself when the service is reachable.</p>
          <p className="attest-muted" data-testid="incident-not-synced-last">
            {last}
            {sync?.problem?.code === 'service_unreachable' ? ' The service cannot be reached right now.' : ''}
          </p>
        </>
      }
      action={
        <Button icon="refresh" loading={sync?.syncing} onClick={() => void getBridge().invoke('incidents.sync', {}).then(setSync, () => undefined)}>
          Sync now
        </Button>
      }
    />
    </div>
  );
};
