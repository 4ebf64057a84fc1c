import { Button, Callout, Classes, Spinner, Tag } from '@blueprintjs/core';
import { useEffect, useState } from 'react';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import { adviceFor } from '../../components/errorAdvice';
import { toErrorShape } from '../../platform/ipcError';
import { getBridge } from '../../platform/platform';
import { incidentsWithMissedDeadline, type MissedIncident } from './drillDownModel';
import { openIncident } from './openDrillDown';

/** The incidents behind "Incident deadlines met": each with a missed clock, one click from its page. */
export const MissedIncidents = ({ tenantId }: { tenantId: string | null }) => {
  const [items, setItems] = useState<MissedIncident[] | null>(null);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  useEffect(() => {
    let live = true;
    getBridge()
      .invoke('incidents.list', tenantId ? { tenantId } : {})
      .then(
        (list) => live && setItems(incidentsWithMissedDeadline(list.items)),
        (e: unknown) => {
          if (live) setError(toErrorShape(e));
        },
      );
    return () => {
      live = false;
    };
  }, [tenantId]);
  if (error) {
    return (
      <Callout compact intent="warning">
        Could not list incidents: <code>{error.code}</code> {error.message} {adviceFor(error.code)}
      </Callout>
    );
  }
  if (!items) return <Spinner size={16} />;
  if (items.length === 0) return <p className={Classes.TEXT_MUTED}>No incident has a missed deadline.</p>;
  return (
    <ul className="attest-posture-missed" data-testid="posture-missed-incidents">
      {items.map((i) => (
        <li key={i.incidentId}>
          <Button variant="minimal" size="small" alignText="start" onClick={() => openIncident(i.incidentId)} title={`Missed: ${i.missed.join(', ')}`}>
            <Tag minimal>{i.severity}</Tag> {i.title}
          </Button>
          <div className={Classes.TEXT_MUTED}>Missed: {i.missed.join(', ')}</div>
        </li>
      ))}
    </ul>
  );
};
