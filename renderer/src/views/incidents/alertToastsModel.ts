import type { IncidentAlert } from '../../../../shared/ipc/incidents';
import { formatCount } from '../../components/formatCount';

/** Deadline toasts shown one by one at most; more are counted in one summary toast. */
export const DEADLINE_TOASTS_SHOWN = 3;

export type ShownAlert = IncidentAlert & { readonly key: number };

export interface ShownAlerts {
  readonly alerts: readonly ShownAlert[];
  /** Deadline alerts that came while the individual toasts were full: one toast says how many. */
  readonly more: number;
}

export const NO_ALERTS: ShownAlerts = { alerts: [], more: 0 };

/**
 * An alert joins the toasts. A sync that turns hundreds of deadlines amber at once would otherwise
 * replace toast after toast, each gone before it can be read or closed: past the first few, deadline
 * alerts are counted instead, and the toasts already shown stay put. An incident assigned to you is
 * about you and rare, so it always gets its own toast.
 */
export const addAlert = (shown: ShownAlerts, alert: IncidentAlert, key: number): ShownAlerts => {
  const deadlines = shown.alerts.filter((a) => a.kind === 'deadline_amber').length;
  if (alert.kind === 'deadline_amber' && deadlines >= DEADLINE_TOASTS_SHOWN) return { ...shown, more: shown.more + 1 };
  return { ...shown, alerts: [...shown.alerts, { ...alert, key }] };
};

export const dismissAlert = (shown: ShownAlerts, key: number): ShownAlerts => ({ ...shown, alerts: shown.alerts.filter((a) => a.key !== key) });

export const dismissMore = (shown: ShownAlerts): ShownAlerts => ({ ...shown, more: 0 });

export const moreText = (more: number): string => (more === 1 ? '1 more incident deadline is close' : `${formatCount(more)} more incident deadlines are close`);
