import { Button, Classes, PopoverNext, ProgressBar, Spinner } from '@blueprintjs/core';
import { ErrorIcon, FullCircleIcon, LogInIcon, OfflineIcon, RefreshIcon } from '@blueprintjs/icons';
import type { ReactElement } from 'react';
import { useConnectionStore } from './connectionStore';
import { describeSyncProgress, type DisplayState } from './connectionModel';
import { DateTime } from '../components/DateTime';

// Icon colours go through the icon's own fill: Blueprint's button styles would override a CSS colour.
const ICONS: Record<DisplayState, ReactElement> = {
  connecting: <Spinner size={12} />,
  online: <FullCircleIcon size={10} color="var(--bp-intent-success-rest)" />,
  offline: <OfflineIcon color="var(--bp-intent-warning-rest)" />,
  certificate_problem: <ErrorIcon color="var(--bp-intent-danger-rest)" />,
  signed_out: <LogInIcon color="var(--bp-intent-primary-rest)" />,
  syncing: <Spinner size={12} />,
};

const ConnectionDetails = () => {
  const display = useConnectionStore((s) => s.display);
  const status = useConnectionStore((s) => s.status);
  const lastError = useConnectionStore((s) => s.lastError);
  const retrying = useConnectionStore((s) => s.retrying);
  const retry = useConnectionStore((s) => s.retry);
  return (
    <div className="attest-connection-details" data-testid="connection-details">
      <h2 className={Classes.HEADING}>{display.label}</h2>
      <p>{display.message}</p>
      {status && (
        <dl className="attest-fields">
          <dt>Service</dt>
          <dd className="attest-mono">{status.serviceUrl}</dd>
          <dt>Checked</dt>
          <dd><DateTime value={status.checkedAt} style="time" /></dd>
        </dl>
      )}
      {lastError && <p className={Classes.TEXT_MUTED}>Last check failed — {lastError}</p>}
      <Button
        size="small"
        intent="primary"
        icon={<RefreshIcon />}
        text="Retry"
        loading={retrying}
        data-testid="connection-retry"
        onClick={() => void retry()}
      />
    </div>
  );
};

/** A running sync's phase and count, with a bar: determinate when the total is known. */
const SyncProgress = () => {
  const progress = describeSyncProgress(useConnectionStore((s) => s.syncProgress));
  if (!progress) return null;
  return (
    <div className="attest-sync-progress" data-testid="sync-progress" role="status" aria-live="polite">
      <ProgressBar intent="primary" value={progress.value} animate stripes={progress.value === undefined} />
      <span className="attest-sync-progress-text">{progress.text}</span>
    </div>
  );
};

/** The header's status button; its popover says what the state means and offers a retry. */
export const ConnectionIndicator = () => {
  const display = useConnectionStore((s) => s.display);
  return (
    <>
      <SyncProgress />
      <PopoverNext content={<ConnectionDetails />} placement="bottom-end">
        <Button
          variant="minimal"
          size="small"
          className="attest-connection-indicator"
          icon={ICONS[display.state]}
          text={display.label}
          title="Connection status"
          data-testid="connection-indicator"
          data-state={display.state}
          data-source={display.source}
        />
      </PopoverNext>
    </>
  );
};
