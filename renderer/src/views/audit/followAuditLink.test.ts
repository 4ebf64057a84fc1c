import { describe, expect, it } from 'vitest';
import type { AttestBridge } from '../../../../shared/ipc/contract';
import { PLATFORM_AUDIT_LOG } from '../../../../shared/ipc/audit';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { initPlatform } from '../../platform/platform';
import { useNavigationStore } from '../../shell/navigationStore';
import { useIncidentSelection } from '../incidents/incidentSelection';
import { useSessionsStore } from '../sessions/sessionsStore';
import { useTenantsStore } from '../tenants/tenantsStore';
import { nameTarget } from './auditNames';
import { followAuditLink } from './followAuditLink';

const ACME = '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d' as TenantId;
const GLOBEX = '2a1b3c4d-8f5e-4a57-9a43-4f3c2b1a0e9d' as TenantId;
const SESSION = '5e55e55e-1111-4222-8333-444455556666';
const tenants = new Map([
  [ACME, 'Acme Health'],
  [GLOBEX, 'Globex'],
]);

const invoked: string[] = [];
const bridge: AttestBridge = {
  invoke: ((channel: string) => {
    invoked.push(channel);
    return new Promise(() => undefined);
  }) as AttestBridge['invoke'],
  subscribe: () => () => undefined,
};
initPlatform({ attest: bridge } as unknown as Window);

describe('following an audit link', () => {
  it("opens a session in the event's tenant, not the tenant selected before, with the filter cleared", () => {
    useTenantsStore.getState().select(GLOBEX);
    useSessionsStore.getState().setFilter({ userId: '0b8f4e2a-1111-4222-8333-444455556666', flaggedOnly: true });
    const { link } = nameTarget(`session:${SESSION}`, new Map(), tenants, ACME);
    expect(link).toEqual({ section: 'sessions', id: SESSION, tenantId: ACME });
    followAuditLink(link!);
    expect(useTenantsStore.getState().selectedId).toBe(ACME);
    expect(useSessionsStore.getState()).toMatchObject({ selectedId: SESSION, filter: { userId: null, flaggedOnly: false } });
    expect(useNavigationStore.getState().section).toBe('sessions');
  });

  it("links no session of the platform's log (staff sessions are in no tenant's list); tenants and incidents open as before", () => {
    expect(nameTarget(`session:${SESSION}`, new Map(), tenants, PLATFORM_AUDIT_LOG).link).toBeUndefined();
    followAuditLink(nameTarget(`tenant:${ACME}`, new Map(), tenants, GLOBEX).link!);
    expect([useTenantsStore.getState().selectedId, useNavigationStore.getState().section]).toEqual([ACME, 'tenants']);
    const incident = nameTarget('incident:abcdef12-3456', new Map(), tenants, GLOBEX).link!;
    expect(incident).toEqual({ section: 'incidents', id: 'abcdef12-3456' });
    followAuditLink(incident);
    expect([useIncidentSelection.getState().incidentId, useNavigationStore.getState().section]).toEqual(['abcdef12-3456', 'incidents']);
  });
});
