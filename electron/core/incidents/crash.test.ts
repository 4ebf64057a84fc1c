import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthState, IpcOutput } from '../../../shared/ipc/contract';
import { startRealService, type RealService } from '../../../service/testing/real-service';
import { createConsoleCore } from '../console-core';
import { ownerKeyAccount } from '../offline/offline-owner';
import { createMemoryVault } from '../vault/memory-vault';

/** Edits in the crash run; the 1,000 with CRASH_EDITS=1000. */
const EDITS = Number(process.env.CRASH_EDITS ?? 60);
const DRIVER = join(import.meta.dirname, 'crash-driver.fixture.ts');

interface Run {
  /** Edit indexes the run acknowledged. */
  acked: number[];
  done: boolean;
  killed: boolean;
}

/** Runs the driver from edit `from`; kills it with SIGKILL after `killAfterMs` (never, when null). */
const runDriver = (env: Record<string, string>, from: number, run: number, killAfterMs: number | null): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', DRIVER], {
      env: { ...process.env, ...env, FROM: String(from), TO: String(EDITS), RUN: String(run) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result: Run = { acked: [], done: false, killed: false };
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      // Kill at a random moment once the run is actually editing.
      if (killAfterMs !== null && !result.killed && out.includes('ACK')) {
        result.killed = true;
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      // Only whole lines count: a line cut by the kill was never seen by the "user".
      for (const line of out.split('\n').slice(0, out.endsWith('\n') ? undefined : -1)) {
        const ack = /^ACK (\d+) \d+$/.exec(line);
        if (ack) result.acked.push(Number(ack[1]));
        if (line === 'DONE') result.done = true;
      }
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`driver failed (${code}): ${err}`));
      else resolve(result);
    });
  });

describe('crash test: offline edits survive SIGKILL at random points', () => {
  let service: RealService;
  beforeAll(async () => {
    service = await startRealService();
  });
  afterAll(() => service.close());

  it(`keeps every acknowledged edit of ${EDITS}, and the service applies each exactly once, in order`, { timeout: Math.max(240_000, EDITS * 2_000) }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'attest-crash-'));
    const vault = createMemoryVault();
    const user = await service.user({ platformRoles: ['security_officer'] });
    const start = () => createConsoleCore({ serviceUrl: service.url, fingerprint: service.fingerprint, vault, mode: 'browser', probeIntervalMs: 0, dataDir });
    const setup = start();
    await setup.dispatch('auth.login', { email: user.email, password: user.password });
    const verified = (await setup.dispatch('auth.verify', { code: await service.code(user.secret) })) as { value: AuthState };
    if (verified.value.step !== 'signed_in') throw new Error('sign-in failed');
    const created = (await setup.dispatch('incidents.create', {
      title: 'Crash test',
      severity: 'P1',
      personalData: false,
      affectedTenantIds: [],
      detectedAt: new Date(Date.now() - 3_600_000).toISOString(),
    })) as { ok: true; value: IpcOutput<'incidents.create'> };
    const incidentId = created.value.incident.id;
    await setup.dispatch('incidents.sync', {});
    await setup.close();

    const env = {
      DATA_DIR: join(dataDir, 'incidents'),
      OUTBOX_KEY: (await vault.get(ownerKeyAccount('outbox-key', verified.value.me.user.id)))!,
      REPLICA_KEY: (await vault.get(ownerKeyAccount('replica-key', verified.value.me.user.id)))!,
      USER_ID: verified.value.me.user.id,
      SCOPE: '00000000-0000-0000-0000-000000000000',
      INCIDENT_ID: incidentId,
    };
    /** Acknowledged edits as "index run": a redone edit (journaled, killed before its ack) is another edit. */
    const acked: string[] = [];
    let kills = 0;
    let from = 1;
    for (let run = 1; ; run++) {
      const kill = run <= 40 ? Math.floor(Math.random() * 30) : null;
      const result = await runDriver(env, from, run, kill);
      acked.push(...result.acked.map((i) => `${i} ${run}`));
      if (result.done) break;
      kills++;
      // Resume after the last acknowledged edit; one journaled but not acknowledged may exist too.
      from = Math.max(from, ...result.acked.map((i) => i + 1));
    }

    const final = start();
    for (let i = 0; i < 100 && ((await final.dispatch('auth.state', {})) as { value: AuthState }).value.step !== 'signed_in'; i++) await new Promise((r) => setTimeout(r, 50));
    const synced = (await final.dispatch('incidents.sync', {})) as { value: IpcOutput<'incidents.sync'> };
    await final.close();

    const rows = await service.db.platform((tx) =>
      tx.query<{ kind: string; body: { text?: string; to?: string } }>('SELECT kind, body FROM incident_timeline WHERE incident_id = $1 ORDER BY change_seq', [incidentId]),
    );
    const notes = rows.filter((r) => r.kind === 'note').map((r) => /^crash edit (\d+) \(run (\d+)\)$/.exec(r.body.text ?? '')!.slice(1).join(' '));
    const ackedNotes = acked.filter((key) => Number(key.split(' ')[0]) % 5 !== 0);
    process.stdout.write(
      `crash test: ${EDITS} edits, ${kills} SIGKILLs, ${acked.length} acknowledged, ${rows.length} applied on the service ` +
        `(${notes.length} notes, ${rows.length - notes.length} severity changes), ${synced.value.pendingEdits} pending, ${synced.value.conflicts} conflicts\n`,
    );
    expect(synced.value).toMatchObject({ pendingEdits: 0, conflicts: 0, problem: null });
    expect(kills).toBeGreaterThan(0);
    // Every acknowledged note is there exactly once, and in the order it was made.
    for (const i of ackedNotes) expect(notes.filter((n) => n === i)).toHaveLength(1);
    expect(notes.filter((n) => ackedNotes.includes(n))).toEqual(ackedNotes);
    // Nothing applied twice.
    expect(new Set(notes).size).toBe(notes.length);
    expect(acked.filter((key) => Number(key.split(' ')[0]) % 5 === 0).length).toBeLessThanOrEqual(rows.length - notes.length);
  });
});
