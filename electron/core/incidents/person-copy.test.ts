import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleIncident } from '../../../shared/incidents/incident.fixture';
import type { TenantId } from '../../../shared/tenants/tenant';
import type { ServiceClient } from '../client/service-client';
import { CoreError } from '../core-error';
import { ownerFolder, ownerKeyAccount, type OfflineOwner } from '../offline/offline-owner';
import { createMemoryVault } from '../vault/memory-vault';
import { createIncidentConsole } from './incident-console';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const PLATFORM = '00000000-0000-0000-0000-000000000000' as TenantId;
const TENANT = '00000000-0000-4000-8000-000000000001' as TenantId;

/** No service in reach: these are reads of the local copy only. */
const unreachable: Pick<ServiceClient, 'call'> = { call: () => Promise.reject(new CoreError('service_unreachable', 'No service in this test.')) };

describe('person copies: whose replica a read sees', () => {
  const consoleWith = () => {
    let who: OfflineOwner | null = { userId: A, scope: PLATFORM };
    const vault = createMemoryVault();
    const dir = mkdtempSync(join(tmpdir(), 'attest-person-copy-'));
    const incidents = createIncidentConsole({ client: unreachable, vault, dir, owner: async () => who, chooseExportPath: async () => null });
    return { incidents, vault, dir, signIn: (next: OfflineOwner | null) => (who = next) };
  };
  const listed = async (incidents: ReturnType<typeof consoleWith>['incidents']) => (await incidents.list({})).items.map((i) => i.incident.title);

  it('a replica filled in one scope is not shown in another, in memory or from its file, and the next person starts empty', async () => {
    const { incidents, vault, dir, signIn } = consoleWith();
    await incidents.readReplica((r) => r.upsertIncident(sampleIncident({ title: 'Platform-wide outage' })));
    expect(await listed(incidents)).toEqual(['Platform-wide outage']);
    // Saved as the platform-scope copy, as a sync would.
    const key = Buffer.from((await vault.get(ownerKeyAccount('replica-key', A)))!, 'base64');
    await incidents.readReplica((r) => r.save(join(ownerFolder(dir, A), 'replica.db'), key));

    // The platform role ended: the same person now reads as a member of one tenant.
    signIn({ userId: A, scope: TENANT });
    expect(await listed(incidents)).toEqual([]);
    signIn(null);
    await expect(incidents.list({})).rejects.toMatchObject({ code: 'not_signed_in' });
    await expect(incidents.readReplica(() => 1)).rejects.toMatchObject({ code: 'not_signed_in' });
    expect(await incidents.status()).toMatchObject({ pendingEdits: 0, conflicts: 0, problem: null });
    signIn({ userId: B, scope: PLATFORM });
    expect(await listed(incidents)).toEqual([]);
    await incidents.close();

    // A console started later, with the person back in the tenant scope, does not load the platform-scope file.
    const later = createIncidentConsole({ client: unreachable, vault, dir, owner: async () => ({ userId: A, scope: TENANT }), chooseExportPath: async () => null });
    expect(await listed(later)).toEqual([]);
    await later.close();
    const again = createIncidentConsole({ client: unreachable, vault, dir, owner: async () => ({ userId: A, scope: PLATFORM }), chooseExportPath: async () => null });
    expect(await listed(again)).toEqual(['Platform-wide outage']);
    await again.close();
  });
});
