import { incidentDeadlines } from '../../shared/incidents/deadlines';
import { listIncidents, noticesOf, sentOf } from '../incidents/incident-repository';
import { DAY_MS, thresholds, type Evaluator } from './evaluator';

/**
 * Each deadline clock of the incidents the scope sees (a tenant: those affecting
 * it, under RLS; the platform: all), closed as met or missed with its due instant
 * in the last 90 and 365 days. The clocks read the service's receipt times
 * (shared/incidents/deadlines.ts), so a client's clock cannot meet a deadline.
 * A clock still running past due counts as missed.
 */
export const incidentDeadlinesEvaluator: Evaluator = async ({ tenant, platform, now }) => {
  const tx = tenant ?? platform;
  const incidents = await listIncidents(tx, {});
  const notices = await noticesOf(
    tx,
    incidents.map((i) => i.incident.id),
  );
  const tally: Record<string, number> = { met90: 0, missed90: 0, met365: 0, missed365: 0 };
  // Per clock too (classification, customer_notice, …): the console charts each met vs missed.
  const add = (key: string) => (tally[key] = (tally[key] ?? 0) + 1);
  for (const { incident } of incidents) {
    for (const d of incidentDeadlines(incident, sentOf(notices.get(incident.id) ?? []), now)) {
      if (d.state !== 'met' && d.state !== 'missed') continue;
      const age = now.getTime() - new Date(d.dueAt).getTime();
      if (age > 365 * DAY_MS) continue;
      const outcome = d.state === 'met' ? 'met' : 'missed';
      add(`${outcome}365`);
      add(`${d.id}.${outcome}365`);
      if (age <= 90 * DAY_MS) {
        add(`${outcome}90`);
        add(`${d.id}.${outcome}90`);
      }
    }
  }
  const t = thresholds('incidents.deadlines');
  const evidence = { ...tally, incidents: incidents.length };
  if (tally.missed90! > t.missedAllowed90) return { status: 'fail', evidence };
  return { status: tally.missed365! > t.missedAllowed365 ? 'warn' : 'pass', evidence };
};
