/**
 * Child process of the crash test: a console with no service in reach makes
 * offline edits and prints "ACK <index> <seq>" once each is acknowledged (journaled,
 * fsynced). The test SIGKILLs it at random points and starts it again.
 * Env: DATA_DIR, OUTBOX_KEY, REPLICA_KEY (base64), USER_ID, SCOPE, INCIDENT_ID, FROM, TO, RUN.
 */
import { createServiceClient } from '../client/service-client';
import { ownerKeyAccount } from '../offline/offline-owner';
import { createMemoryVault } from '../vault/memory-vault';
import { createIncidentConsole } from './incident-console';
import type { TenantId } from '../../../shared/tenants/tenant';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const incidentId = env('INCIDENT_ID');
// A service address where nothing listens: these edits are made offline.
const client = createServiceClient({ serviceUrl: 'https://127.0.0.1:9', fingerprint: '0'.repeat(64) });
const incidents = createIncidentConsole({
  client,
  vault: createMemoryVault({ [ownerKeyAccount('outbox-key', env('USER_ID'))]: env('OUTBOX_KEY'), [ownerKeyAccount('replica-key', env('USER_ID'))]: env('REPLICA_KEY') }),
  dir: env('DATA_DIR'),
  owner: async () => ({ userId: env('USER_ID'), scope: env('SCOPE') as TenantId }),
  chooseExportPath: async () => null,
});

const from = Number(env('FROM'));
const to = Number(env('TO'));
for (let i = from; i <= to; i++) {
  // Every fifth edit a field change (its base version from the pending edits before it), the rest notes.
  const change =
    i % 5 === 0 ? { kind: 'severity' as const, to: (i / 5) % 2 === 1 ? ('P2' as const) : ('P1' as const), reason: 'crash test' } : { kind: 'note' as const, text: `crash edit ${i} (run ${env('RUN')})` };
  try {
    const ack = await incidents.edit({ incidentId, change });
    process.stdout.write(`ACK ${i} ${ack.seq}\n`);
  } catch (error) {
    // The same field change journaled (unacknowledged) by the killed run before: nothing to change.
    if ((error as { code?: string }).code !== 'no_change') throw error;
    process.stdout.write(`SKIP ${i}\n`);
  }
}
await incidents.close();
await client.close();
process.stdout.write('DONE\n');
