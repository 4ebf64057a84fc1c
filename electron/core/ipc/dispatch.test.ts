import { describe, expect, it, vi } from 'vitest';
import type { AuthState, ConnectionStatus } from '../../../shared/ipc/contract';
import type { Tenant, TenantId } from '../../../shared/tenants/tenant';
import { CoreError } from '../core-error';
import { createDispatch } from './dispatch';
import type { IpcHandlers } from './handlers';

const tenant: Tenant = {
  id: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d' as TenantId,
  name: 'Acme GmbH',
  slug: 'acme-gmbh',
  status: 'active',
  region: 'eu',
  plan: 'team',
  createdAt: '2024-05-01T09:30:00.000Z',
};
const signedOut: AuthState = { step: 'signed_out' };
const syncStatus = { syncing: false, pendingEdits: 0, conflicts: 0, lastSyncedAt: null, problem: null, progress: null };
const online: ConnectionStatus = { state: 'online', serviceUrl: 'https://127.0.0.1:8443', checkedAt: '2024-05-01T09:30:00.000Z' };

function setup(overrides: Partial<IpcHandlers> = {}) {
  const handlers: IpcHandlers = {
    'app.info': async () => ({ version: '1.2.3', mode: 'browser', platform: 'linux' }),
    'connection.status': async () => online,
    'connection.retry': async () => online,
    'tenants.list': async () => [tenant],
    'tenants.get': vi.fn(async () => tenant),
    'tenants.settings': async () => {
      throw new CoreError('forbidden', 'no');
    },
    'tenants.updateSettings': async () => {
      throw new CoreError('forbidden', 'no');
    },
    'tenants.summary': async () => {
      throw new CoreError('forbidden', 'no');
    },
    'tenants.suspend': async () => {
      throw new CoreError('forbidden', 'no');
    },
    'tenants.reinstate': async () => {
      throw new CoreError('forbidden', 'no');
    },
    'tenants.setPlan': async () => {
      throw new CoreError('forbidden', 'no');
    },
    'tenants.create': async () => {
      throw new CoreError('slug_taken', 'taken');
    },
    'auth.state': async () => signedOut,
    'auth.login': async () => signedOut,
    'auth.verify': async () => signedOut,
    'auth.enrolStart': async () => ({ otpauthUri: 'otpauth://totp/Attest:x?secret=JBSWY3DP', secret: 'JBSWY3DP' }),
    'auth.enrolComplete': async () => ({ state: signedOut, recoveryCodes: [] }),
    'auth.cancel': async () => signedOut,
    'auth.logout': async () => signedOut,
    'auth.stepUp': async () => ({ stepUpUntil: '2024-05-01T09:35:00.000Z' }),
    'auth.acceptInvite': async () => signedOut,
    'invites.accept': async () => ({ tenantId: tenant.id, userId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9e', role: 'viewer' }),
    'members.list': async () => ({ items: [], hasMore: false, counts: { enrolled: 0, notEnrolled: 0, invited: 0 } }),
    'members.invite': async () => {
      throw new CoreError('already_member', 'already a member');
    },
    'members.deactivate': async () => {
      throw new CoreError('not_found', 'no such member');
    },
    'members.reactivate': async () => {
      throw new CoreError('not_found', 'no such member');
    },
    'members.resetMfa': async () => {
      throw new CoreError('not_found', 'no such member');
    },
    'members.mfaPolicy': async () => ({ mfaRequired: true, remediationPlan: null }),
    'members.setMfaPolicy': async () => ({ mfaRequired: true, remediationPlan: null }),
    'members.changeRole': async () => {
      throw new CoreError('not_found', 'no such member');
    },
    'audit.events': async () => ({ items: [], nextCursor: null }),
    'audit.status': async ({ tenantId }) => ({ tenantId, verifiedHead: null, verifiedAt: null, alerts: [], keys: [], refreshError: null }),
    'audit.verifyEvent': async ({ seq }) => ({ state: 'not_covered', seq, event: null, treeSize: null, rootHash: null, reason: 'no head' }),
    'audit.verifyLog': async () => {
      throw new CoreError('not_found', 'no verified head');
    },
    'audit.dismissAlert': async () => {
      throw new CoreError('not_found', 'no such alert');
    },
    'audit.export': async () => ({ state: 'cancelled' }),
    'sessions.list': async () => ({ items: [] }),
    'sessions.revoke': async () => ({ revoked: 1 }),
    'sessions.revokeUser': async () => ({ revoked: 0 }),
    'sessions.reviewFlags': async ({ sessionId, outcome }) => ({ sessionId, outcome, reviewedAt: '2026-01-01T00:00:00.000Z', sessionRevoked: outcome === 'suspicious' }),
    'sessions.revokeAllButMine': async () => {
      throw new CoreError('forbidden', 'not in this tenant');
    },
    'approvals.list': async () => [],
    'approvals.approve': async () => {
      throw new CoreError('not_found', 'no such request');
    },
    'approvals.deny': async () => {
      throw new CoreError('not_found', 'no such request');
    },
    'approvals.withdraw': async () => {
      throw new CoreError('not_found', 'no such request');
    },
    'approvals.requestMemberRemoval': async () => {
      throw new CoreError('forbidden', 'not in this tenant');
    },
    'approvals.requestPlatformRole': async () => {
      throw new CoreError('forbidden', 'no platform role');
    },
    'apiTokens.list': async () => [],
    'apiTokens.create': async () => {
      throw new CoreError('step_up_required', 'step up');
    },
    'apiTokens.rotate': async () => {
      throw new CoreError('not_found', 'no such token');
    },
    'tables.exportCsv': async () => ({ saved: false, path: null, rows: 0 }),
    'apiTokens.revoke': async () => {
      throw new CoreError('not_found', 'no such token');
    },
    'people.search': async () => [],
    'people.get': async () => {
      throw new CoreError('not_found', 'no such person');
    },
    'people.cutOffPlan': async () => {
      throw new CoreError('not_found', 'no such person');
    },
    'people.cutOff': async () => {
      throw new CoreError('step_up_required', 'step up');
    },
    'accessReviews.list': async () => [],
    'accessReviews.start': async () => {
      throw new CoreError('forbidden', 'not in this tenant');
    },
    'accessReviews.get': async () => {
      throw new CoreError('not_found', 'no such review');
    },
    'accessReviews.decide': async () => {
      throw new CoreError('not_found', 'no such review');
    },
    'accessReviews.keepUndecided': async () => {
      throw new CoreError('not_found', 'no such review');
    },
    'accessReviews.close': async () => {
      throw new CoreError('not_found', 'no such review');
    },
    'incidents.list': async () => ({ items: [], total: 0, now: '2024-05-01T09:30:00.000Z', tenants: {}, people: {} }),
    'incidents.get': async () => {
      throw new CoreError('not_found', 'no such incident');
    },
    'incidents.create': async () => {
      throw new CoreError('forbidden', 'not staff');
    },
    'incidents.declare': async () => ({ incidentId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d', seq: 1, pending: true }),
    'incidents.edit': async () => ({ seq: 1, idempotencyKey: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d', pending: true }),
    'incidents.sync': async () => syncStatus,
    'incidents.syncStatus': async () => syncStatus,
    'incidents.resolveConflict': async () => syncStatus,
    'incidents.resync': async () => syncStatus,
    'incidents.export': async () => ({ format: 'markdown' as const, saved: false, filename: 'review.md', path: null, markdown: '# Review' }),
    'posture.get': async () => {
      throw new CoreError('forbidden', 'no');
    },
    'posture.snapshots': async () => [],
    'posture.evaluate': async () => {
      throw new CoreError('forbidden', 'no');
    },
    'posture.exportEvidence': async () => ({ state: 'cancelled' as const }),
    'posture.remediations': async () => [],
    'posture.setRemediation': async () => {
      throw new CoreError('forbidden', 'no');
    },
    'posture.removeRemediation': async () => ({ deleted: true as const }),
    'trustPage.preview': async () => {
      throw new CoreError('forbidden', 'no');
    },
    'trustPage.publications': async () => [],
    'trustPage.publish': async () => {
      throw new CoreError('forbidden', 'no');
    },
    'trustPage.verify': async () => ({ state: 'cancelled' as const }),
    'trustPage.exportBundle': async () => ({ state: 'cancelled' as const }),
    'trustPage.export': async () => {
      throw new CoreError('not_found', 'nothing published');
    },
    ...overrides,
  };
  const reported: unknown[] = [];
  const dispatch = createDispatch(handlers, (error) => reported.push(error));
  return { dispatch, handlers, reported };
}

describe('dispatch', () => {
  it('withholds a handler result that carries anything outside the contract, such as a token', async () => {
    const leaky = { step: 'signed_out', accessToken: 'atst_at_secret' } as unknown as AuthState;
    const { dispatch, reported } = setup({ 'auth.state': async () => leaky });
    const result = await dispatch('auth.state', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_output' } });
    expect(JSON.stringify(result)).not.toContain('atst_at_');
    expect(reported).toHaveLength(1);
  });

  it('answers a contract channel with its validated output', async () => {
    const { dispatch } = setup();
    await expect(dispatch('app.info', {})).resolves.toEqual({ ok: true, value: { version: '1.2.3', mode: 'browser', platform: 'linux' } });
    await expect(dispatch('tenants.get', { id: tenant.id })).resolves.toEqual({ ok: true, value: tenant });
  });

  it('treats a missing input as an empty one', async () => {
    const { dispatch } = setup();
    await expect(dispatch('tenants.list', undefined)).resolves.toEqual({ ok: true, value: [tenant] });
  });

  it.each([['no.such.channel'], ['__proto__'], ['constructor'], ['toString'], [42], [null], [{ channel: 'app.info' }]])(
    'rejects the unknown channel %j',
    async (channel) => {
      const { dispatch } = setup();
      const result = await dispatch(channel, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    },
  );

  it('rejects invalid input naming the field, without calling the handler', async () => {
    const { dispatch, handlers } = setup();
    const result = await dispatch('tenants.get', { id: 'not-a-uuid' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!result.ok && result.error.message).toMatch(/^Invalid input for tenants\.get: id: /);
    expect(handlers['tenants.get']).not.toHaveBeenCalled();
  });

  it('rejects unknown fields and wrong shapes', async () => {
    const { dispatch } = setup();
    const extra = await dispatch('tenants.get', { id: tenant.id, token: 'x' });
    expect(extra).toEqual({ ok: false, error: { code: 'invalid_input', message: 'Invalid input for tenants.get: unexpected field "token".' } });
    const missing = await dispatch('tenants.get', {});
    expect(!missing.ok && missing.error.message).toMatch(/tenants\.get: id: /);
    for (const input of ['text', 7, null, [tenant.id]]) {
      expect(await dispatch('tenants.get', input)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(await dispatch('app.info', { verbose: true })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    // The incident list's first-rows limit: a whole, positive count, bounded.
    for (const limit of [0, -1, 1.5, 100_001, '100', null]) {
      expect(await dispatch('incidents.list', { limit })).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('limit') } });
    }
    expect(await dispatch('incidents.list', { limit: 100 })).toMatchObject({ ok: true, value: { total: 0 } });
  });

  it('passes on the code and message of an IpcError', async () => {
    const { dispatch, reported } = setup({
      'tenants.list': async () => {
        throw new CoreError('service_unreachable', 'The service cannot be reached.');
      },
    });
    await expect(dispatch('tenants.list', {})).resolves.toEqual({
      ok: false,
      error: { code: 'service_unreachable', message: 'The service cannot be reached.' },
    });
    expect(reported).toEqual([]);
  });

  it('hides unexpected exceptions behind a generic code and reports them', async () => {
    const boom = new TypeError('cannot read token of undefined');
    const { dispatch, reported } = setup({
      'tenants.list': async () => {
        throw boom;
      },
    });
    const result = await dispatch('tenants.list', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal_error' } });
    expect(JSON.stringify(result)).not.toMatch(/cannot read|TypeError|at /);
    expect(reported).toEqual([boom]);
  });

  it('withholds output outside the contract', async () => {
    const leaky = { ...tenant, operatorToken: 'op_secret' };
    const { dispatch, reported } = setup({ 'tenants.get': async () => leaky });
    const result = await dispatch('tenants.get', { id: tenant.id });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_output' } });
    expect(JSON.stringify(result)).not.toContain('op_secret');
    expect(reported).toHaveLength(1);
    expect(String(reported[0])).not.toContain('op_secret');
  });
});
