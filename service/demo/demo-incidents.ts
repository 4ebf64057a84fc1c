import { randomUUID } from 'node:crypto';
import { CreateIncidentRequestSchema } from '../../shared/incidents/api';
import type { IncidentEdit } from '../../shared/incidents/edits';
import type { Tenant } from '../../shared/tenants/tenant';
import type { Actor } from '../audit/audit-log';
import type { PlatformTx } from '../db/db';
import { applyEdit, openIncident } from '../incidents/incident-writes';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

type Step = IncidentEdit extends infer E ? (E extends unknown ? Omit<E, 'incidentId' | 'at' | 'baseVersion'> & { ago: number } : never) : never;

/**
 * Incidents for the demo console, opened and worked through the same writes as
 * the API (each step a timeline entry and an audit event), by the demo officer:
 * a P0 personal-data breach with notice clocks running, a contained P2, and a
 * resolved P1 whose review is overdue.
 */
export const seedDemoIncidents = async (tx: PlatformTx, officerId: string, tenants: ReadonlyMap<string, Tenant>, now: Date): Promise<void> => {
  const actor: Actor = { type: 'user', id: officerId };
  const at = (ago: number) => new Date(now.getTime() - ago).toISOString();
  const tenant = (name: string) => {
    const t = tenants.get(name);
    if (!t) throw new Error(`demo incident names unknown tenant ${name}`);
    return t.id;
  };
  const incidents: { open: Record<string, unknown>; openedAgo: number; steps: Step[] }[] = [
    {
      openedAgo: 3 * HOUR,
      open: {
        title: 'Patient export bucket readable without authentication',
        description: 'A storage bucket holding scheduled CSV exports was publicly listable for about six hours after a misapplied policy change.',
        severity: 'P0',
        personalData: true,
        affectedTenantIds: [tenant('Northwind Health'), tenant('Acme Analytics')],
        detectedAt: at(3 * HOUR),
        awareAt: at(2 * HOUR + 30 * MIN),
        verifiedAt: at(HOUR),
        commanderId: officerId,
        notice: {
          likelyImpact: 'Names, email addresses and appointment dates of some end users may have been downloaded by unknown parties.',
          mitigation: 'Public access was removed, access logs are being reviewed and all export links were re-issued.',
          contactPoint: 'security@attest.example, +44 20 7946 0000',
        },
      },
      steps: [
        { ago: 2 * HOUR + 50 * MIN, kind: 'status', to: 'triaged' },
        { ago: 2 * HOUR + 40 * MIN, kind: 'note', text: 'Bucket policy reverted; listing now returns 403.' },
        { ago: 2 * HOUR, kind: 'status', to: 'contained' },
        { ago: 40 * MIN, kind: 'notification_sent', notice: 'customer', tenantId: tenant('Northwind Health') },
        { ago: 20 * MIN, kind: 'note', text: 'Access logs show 14 GET requests from two addresses; reviewing.' },
      ],
    },
    {
      openedAgo: 2 * DAY,
      open: {
        title: 'Elevated sign-in failures from one ASN',
        description: 'Credential stuffing against the sign-in endpoint; throttling held and no account was taken over.',
        severity: 'P2',
        personalData: false,
        affectedTenantIds: [tenant('Globex Retail')],
        detectedAt: at(2 * DAY),
        notice: { likelyImpact: 'None observed.', mitigation: 'The ASN is rate limited at the edge.', contactPoint: 'security@attest.example' },
      },
      steps: [
        { ago: 2 * DAY - 15 * MIN, kind: 'status', to: 'triaged' },
        { ago: 2 * DAY - 2 * HOUR, kind: 'status', to: 'contained' },
        { ago: DAY, kind: 'note', text: 'No successful sign-ins from the ASN; watching for a week.' },
      ],
    },
    {
      openedAgo: 20 * DAY,
      open: {
        title: 'Audit export job stalled for a day',
        description: 'The nightly audit export stopped after a certificate rotation; no events were lost.',
        severity: 'P1',
        personalData: false,
        affectedTenantIds: [tenant('Stark Logistics')],
        detectedAt: at(20 * DAY),
        notice: { likelyImpact: 'Audit exports were a day late.', mitigation: 'The job trusts the new certificate.', contactPoint: 'security@attest.example' },
      },
      steps: [
        { ago: 20 * DAY - 20 * MIN, kind: 'status', to: 'triaged' },
        { ago: 20 * DAY - 10 * HOUR, kind: 'notification_sent', notice: 'customer', tenantId: tenant('Stark Logistics') },
        { ago: 19 * DAY, kind: 'status', to: 'resolved' },
      ],
    },
  ];
  for (const demo of incidents) {
    const id = await openIncident(tx, CreateIncidentRequestSchema.parse(demo.open), actor, 'demo-seed', new Date(now.getTime() - demo.openedAgo));
    let version = 1;
    for (const { ago, ...step } of demo.steps) {
      const edit = { ...step, incidentId: id, at: at(ago), ...(step.kind === 'status' ? { baseVersion: version } : {}) } as IncidentEdit;
      // History as it happened: each step received at its own time.
      const context = { actor, requestId: 'demo-seed', now: new Date(now.getTime() - ago), sessionId: null };
      const result = await applyEdit(tx, id, { idempotencyKey: randomUUID(), edit }, context);
      version = result.incident.version;
    }
  }
};
