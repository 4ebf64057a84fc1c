import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IpcOutput } from '../../../shared/ipc/contract';
import type { TenantRole } from '../../../shared/identity/roles';
import type { TestUser } from '../../../service/testing/identity-fixtures';
import { startRealService, type RealService } from '../../../service/testing/real-service';
import { ok, signIn, startConsole } from '../testing/console-under-test.fixture';
import { EVIDENCE_CSV_COLUMNS } from './evidence-csv';

const PLATFORM = '00000000-0000-0000-0000-000000000000';

/** The posture channels through a console core against the real service over HTTPS. */
describe('posture channels (core, against the real service)', () => {
  let service: RealService;
  const cleanup: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    service = await startRealService();
  });
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });
  afterAll(() => service.close());

  const consoleFor = async (user: TestUser, chooseExportPath?: (name: string) => Promise<string | null>) => {
    const c = await startConsole(service, cleanup, chooseExportPath ? { chooseExportPath } : {});
    await signIn(service, c, user);
    return c;
  };
  const member = async (role: TenantRole) => {
    const tenantId = await service.tenant();
    return { tenantId, user: await service.user({ memberships: [{ tenantId, role }] }) };
  };

  it('an admin reads the posture, evaluates now, and sees the snapshot in the history', async () => {
    const { tenantId, user } = await member('admin');
    const c = await consoleFor(user);
    const posture = ok<'posture.get'>(await c.call('posture.get', { tenantId }));
    expect(posture.tenantId).toBe(tenantId);
    expect(posture.controls.find((x) => x.id === 'auth.mfa')).toMatchObject({ section: 'Authentication', mappings: { soc2: ['CC6.1', 'CC6.2'] } });
    const snapshot = ok<'posture.evaluate'>(await c.call('posture.evaluate', { tenantId }));
    const history = ok<'posture.snapshots'>(await c.call('posture.snapshots', { tenantId, limit: 5 }));
    expect(history.map((s) => s.id)).toContain(snapshot.id);
  });

  it('refuses malformed input before any call, with invalid_input', async () => {
    const { tenantId, user } = await member('admin');
    const c = await consoleFor(user);
    for (const [channel, input] of [
      ['posture.get', { tenantId: 'not-a-uuid' }],
      ['posture.get', {}],
      ['posture.get', { tenantId, extra: 1 }],
      ['posture.snapshots', { tenantId, limit: 0 }],
      ['posture.snapshots', { tenantId, limit: 367 }],
      ['posture.snapshots', { tenantId, limit: '5' }],
      ['posture.evaluate', { tenantId: 42 }],
      ['posture.exportEvidence', { tenantId, path: '/etc/passwd' }],
    ] as const) {
      await expect(c.call(channel, input)).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
  });

  it('a viewer may not read posture, a reviewer may read but not evaluate, another tenant’s admin sees nothing, and only staff read the platform', async () => {
    const { tenantId, user: viewer } = await member('viewer');
    const reviewer = await service.user({ memberships: [{ tenantId, role: 'reviewer' }] });
    const { user: otherAdmin } = await member('admin');
    const v = await consoleFor(viewer);
    await expect(v.call('posture.get', { tenantId })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const r = await consoleFor(reviewer);
    await expect(r.call('posture.get', { tenantId })).resolves.toMatchObject({ ok: true });
    await expect(r.call('posture.evaluate', { tenantId })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await expect(r.call('posture.get', { tenantId: PLATFORM })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const o = await consoleFor(otherAdmin);
    for (const channel of ['posture.get', 'posture.snapshots', 'posture.evaluate', 'posture.exportEvidence'] as const) {
      await expect(o.call(channel, { tenantId })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    const officer = await service.user({ platformRoles: ['security_officer'] });
    const s = await consoleFor(officer);
    expect(ok<'posture.get'>(await s.call('posture.get', { tenantId: PLATFORM })).tenantId).toBe(PLATFORM);
  });

  it('exports the evidence CSV where the user picks, and nothing when they cancel', async () => {
    const { tenantId, user } = await member('owner');
    let picked: string | null = null;
    const c = await consoleFor(user, async () => picked);
    await expect(c.call('posture.exportEvidence', { tenantId })).resolves.toEqual({ ok: true, value: { state: 'cancelled' } });
    picked = join(c.dataDir, 'evidence.csv');
    const saved = ok<'posture.exportEvidence'>(await c.call('posture.exportEvidence', { tenantId })) as Extract<IpcOutput<'posture.exportEvidence'>, { state: 'saved' }>;
    expect(saved).toMatchObject({ state: 'saved', path: picked });
    const lines = (await readFile(picked, 'utf8')).trimEnd().split('\r\n');
    expect(lines[0]).toBe(EVIDENCE_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(saved.controls + 1);
    const mfa = lines.find((l) => l.includes(',auth.mfa,'));
    expect(mfa).toContain('CC6.1 CC6.2');
    expect(mfa).toContain('Art. 32');
  });

  it('an admin sets a plan on a failing control with an owner by id; the posture carries it (no name), the list names the owner; the change is in the audit log; removal clears it', async () => {
    const { tenantId, user } = await member('admin');
    const owner = await service.user({ memberships: [{ tenantId, role: 'owner' }] });
    const c = await consoleFor(user);
    const plan = { ownerUserId: owner.userId, targetDate: '2099-06-30', compensatingControls: 'Quarterly manual review of admin accounts.', status: 'in_progress' };
    const set = ok<'posture.setRemediation'>(await c.call('posture.setRemediation', { tenantId, controlId: 'access.reviews', plan }));
    expect(set).toMatchObject({ controlId: 'access.reviews', ownerUserId: owner.userId, targetDate: '2099-06-30', status: 'in_progress' });
    expect(ok<'posture.remediations'>(await c.call('posture.remediations', { tenantId })).map((p) => [p.controlId, p.ownerDisplayName])).toEqual([['access.reviews', set.ownerDisplayName]]);
    const control = ok<'posture.get'>(await c.call('posture.get', { tenantId })).controls.find((x) => x.id === 'access.reviews')!;
    expect(control.remediation).toMatchObject({ targetDate: '2099-06-30', ownerAssigned: true, status: 'in_progress' });
    expect(JSON.stringify(control)).not.toContain(owner.userId);
    const events = ok<'audit.events'>(await c.call('audit.events', { tenantId, limit: 50 }));
    expect(JSON.stringify(events)).toContain('access.reviews');
    await expect(c.call('posture.removeRemediation', { tenantId, controlId: 'access.reviews' })).resolves.toEqual({ ok: true, value: { deleted: true } });
    await expect(c.call('posture.remediations', { tenantId })).resolves.toEqual({ ok: true, value: [] });
  });

  it('refuses a plan from a reviewer or another tenant’s admin, an owner who is not an owner or admin, a past date, and malformed input', async () => {
    const { tenantId, user: admin } = await member('admin');
    const viewer = await service.user({ memberships: [{ tenantId, role: 'viewer' }] });
    const reviewer = await service.user({ memberships: [{ tenantId, role: 'reviewer' }] });
    const { user: otherAdmin } = await member('admin');
    const plan = { ownerUserId: admin.userId, targetDate: '2099-06-30', compensatingControls: 'Manual review.' };
    const r = await consoleFor(reviewer);
    await expect(r.call('posture.setRemediation', { tenantId, controlId: 'access.reviews', plan })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const o = await consoleFor(otherAdmin);
    await expect(o.call('posture.setRemediation', { tenantId, controlId: 'access.reviews', plan })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await expect(o.call('posture.remediations', { tenantId })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const a = await consoleFor(admin);
    await expect(a.call('posture.setRemediation', { tenantId, controlId: 'access.reviews', plan: { ...plan, ownerUserId: viewer.userId } })).resolves.toMatchObject({
      ok: false,
      error: { code: 'remediation_owner_invalid' },
    });
    await expect(a.call('posture.setRemediation', { tenantId, controlId: 'access.reviews', plan: { ...plan, targetDate: '2000-01-01' } })).resolves.toMatchObject({
      ok: false,
      error: { code: 'target_date_in_past' },
    });
    await expect(a.call('posture.setRemediation', { tenantId, controlId: 'no.such_control', plan })).resolves.toMatchObject({ ok: false, error: { code: 'unknown_control' } });
    for (const input of [
      { tenantId, controlId: 'Auth MFA', plan },
      { tenantId, controlId: 'access.reviews', plan: { ...plan, compensatingControls: '' } },
      { tenantId, controlId: 'access.reviews', plan: { ...plan, status: 'abandoned' } },
      { tenantId, controlId: 'access.reviews', plan: { ...plan, ownerUserId: 'me' } },
      { tenantId, controlId: 'access.reviews', plan: { ...plan, targetDate: 'soon' } },
    ]) {
      await expect(a.call('posture.setRemediation', input)).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    await expect(a.call('posture.remediations', { tenantId })).resolves.toEqual({ ok: true, value: [] });
  });
});
