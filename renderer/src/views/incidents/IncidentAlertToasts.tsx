import { OverlayToaster, Toast } from '@blueprintjs/core';
import { useEffect, useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { getBridge, getPlatform } from '../../platform/platform';
import { useNavigationStore } from '../../shell/navigationStore';
import { useIncidentSelection } from './incidentSelection';
import { addAlert, dismissAlert, dismissMore, moreText, NO_ALERTS, type ShownAlerts } from './alertToastsModel';

const open = (incidentId: string) => {
  useIncidentSelection.getState().select(incidentId);
  useNavigationStore.getState().go('incidents');
};

/**
 * Incident alerts while the console is open. Electron shows them as desktop
 * notifications (main process), and a click on one opens the incident here;
 * in browser mode there is no desktop notification, so they show as toasts.
 */
export const IncidentAlertToasts = () => {
  const [shown, setShown] = useState<ShownAlerts>(NO_ALERTS);

  useEffect(() => {
    const bridge = getBridge();
    const offOpen = bridge.subscribe('incidents.open', ({ incidentId }) => open(incidentId));
    if (getPlatform().mode === 'electron') return offOpen;
    let next = 0;
    const offAlert = bridge.subscribe('incidents.alert', (alert) => {
      const key = next++;
      setShown((s) => addAlert(s, alert, key));
    });
    return () => {
      offOpen();
      offAlert();
    };
  }, []);

  return (
    <OverlayToaster position="bottom-right" usePortal>
      {shown.alerts.map((t) => (
        <Toast
          key={t.key}
          intent={t.kind === 'deadline_amber' ? 'warning' : 'primary'}
          icon={t.kind === 'deadline_amber' ? 'time' : 'person'}
          timeout={t.kind === 'deadline_amber' ? 60_000 : 15_000}
          message={
            <span data-testid="incident-alert" data-kind={t.kind}>
              <strong>{t.title}</strong>
              <br />
              {t.message}
              {t.dueAt !== null && (
                <>
                  <br />
                  Due <DateTime value={t.dueAt} />
                </>
              )}
            </span>
          }
          action={{ text: 'Open', onClick: () => open(t.incidentId) }}
          onDismiss={() => setShown((s) => dismissAlert(s, t.key))}
        />
      ))}
      {shown.more > 0 && (
        <Toast
          key="more"
          intent="warning"
          icon="time"
          timeout={60_000}
          message={<span data-testid="incident-alert-more">{moreText(shown.more)}. The Incidents list shows each incident's next deadline.</span>}
          action={{ text: 'Open Incidents', onClick: () => useNavigationStore.getState().go('incidents') }}
          onDismiss={() => setShown(dismissMore)}
        />
      )}
    </OverlayToaster>
  );
};
