import { describe, expect, it } from 'vitest';
import type { IncidentAlert } from '../../../../shared/ipc/incidents';
import { addAlert, dismissAlert, dismissMore, moreText, NO_ALERTS, type ShownAlerts } from './alertToastsModel';

const deadline = (n: number): IncidentAlert => ({
  kind: 'deadline_amber',
  incidentId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  title: `Incident ${n}`,
  message: 'Notify affected customers: due in 3 h',
  dueAt: '2026-12-05T12:00:00.000Z',
});
const assigned: IncidentAlert = { kind: 'assigned', incidentId: '00000000-0000-4000-8000-999999999999', title: 'Leak', message: 'You are the commander of “Leak”.', dueAt: null };

const burst = (count: number, start: ShownAlerts = NO_ALERTS): ShownAlerts => {
  let shown = start;
  for (let i = 0; i < count; i++) shown = addAlert(shown, deadline(i), i);
  return shown;
};

describe('incident alert toasts', () => {
  it('a burst of 500 deadline alerts shows three toasts that stay put, and counts the rest in one', () => {
    const first = burst(3);
    const shown = burst(500);
    expect(shown.alerts.map((a) => a.key)).toEqual([0, 1, 2]);
    // The toasts a responder is reading or closing are the same objects throughout the burst.
    expect(shown.alerts).toEqual(first.alerts);
    expect(shown.more).toBe(497);
    expect(moreText(shown.more)).toBe('497 more incident deadlines are close');
    expect(moreText(1)).toBe('1 more incident deadline is close');
  });

  it('an incident assigned to you gets its own toast even in a burst', () => {
    const shown = addAlert(burst(50), assigned, 1000);
    expect(shown.alerts.map((a) => a.kind)).toEqual(['deadline_amber', 'deadline_amber', 'deadline_amber', 'assigned']);
    expect(shown.more).toBe(47);
  });

  it('a closed toast makes room for the next deadline; closing the count clears it', () => {
    const full = burst(5);
    const closed = dismissAlert(full, 1);
    expect(closed.alerts.map((a) => a.key)).toEqual([0, 2]);
    expect(addAlert(closed, deadline(9), 9).alerts.map((a) => a.key)).toEqual([0, 2, 9]);
    expect(dismissMore(full)).toEqual({ alerts: full.alerts, more: 0 });
    // Closing a toast that is already gone changes nothing.
    expect(dismissAlert(full, 42)).toEqual(full);
  });
});
