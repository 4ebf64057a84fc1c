/**
 * Test support: a console core in browser mode against the real service, each
 * behind its own cuttable link (the test's "network"), signed in the way a person
 * does it (password, then a current TOTP code). Used by the core's offline tests.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthState, IpcChannel, IpcOutput } from '../../../shared/ipc/contract';
import type { TestUser } from '../../../service/testing/identity-fixtures';
import type { RealService } from '../../../service/testing/real-service';
import { createConsoleCore, type ConsoleCore, type ConsoleCoreOptions } from '../console-core';
import { cuttableLink, type CuttableLink } from '../incidents/cuttable-link.fixture';
import { createMemoryVault } from '../vault/memory-vault';
import type { Vault } from '../vault/vault';

/** The value of an IPC result that must have succeeded. */
export const ok = <C extends IpcChannel>(result: unknown): IpcOutput<C> => {
  const r = result as { ok: boolean; value: IpcOutput<C>; error?: unknown };
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
};

export interface ConsoleUnderTest {
  core: ConsoleCore;
  call(channel: IpcChannel, input?: unknown): Promise<unknown>;
  link: CuttableLink;
  vault: Vault;
  dataDir: string;
  /** Closes the core (idempotent); the link stays until the test's cleanup. */
  close(): Promise<void>;
}

export interface ConsoleOptions extends Partial<Pick<ConsoleCoreOptions, 'chooseExportPath' | 'chooseOpenPath' | 'pdfPrinter' | 'alertIntervalMs'>> {
  /** The same vault and data dir as an earlier console: a restart of it. */
  vault?: Vault;
  dataDir?: string;
  /** Another console's link, shared (its cleanup then leaves it open). */
  link?: CuttableLink;
}

/**
 * A console core on `service`; what it opens is closed by the functions pushed to
 * `cleanup` (run them, newest first, after each test).
 */
export async function startConsole(service: RealService, cleanup: Array<() => Promise<void>>, opts: ConsoleOptions = {}): Promise<ConsoleUnderTest> {
  const { vault: givenVault, dataDir: givenDir, link: givenLink, ...coreOptions } = opts;
  const link = givenLink ?? (await cuttableLink(service.url));
  const vault = givenVault ?? createMemoryVault();
  const dataDir = givenDir ?? mkdtempSync(join(tmpdir(), 'attest-console-'));
  const core = createConsoleCore({
    serviceUrl: link.url,
    fingerprint: service.fingerprint,
    vault,
    mode: coreOptions.pdfPrinter ? 'electron' : 'browser',
    probeIntervalMs: 0,
    dataDir,
    // Edits are stamped on the service's clock, which the test moves: the service keeps the time a
    // device claims only back to its last sync, and a real console's clock agrees with the service's.
    now: service.now,
    ...coreOptions,
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await core.close();
  };
  cleanup.push(async () => {
    await close();
    if (!givenLink) await link.close();
  });
  return { core, call: (channel, input = {}) => core.dispatch(channel, input), link, vault, dataDir, close };
}

/** Signs `user` in on the console: password, then a current code. */
export async function signIn(service: RealService, c: Pick<ConsoleUnderTest, 'call'>, user: TestUser): Promise<Extract<AuthState, { step: 'signed_in' }>> {
  const step = ok<'auth.login'>(await c.call('auth.login', { email: user.email, password: user.password }));
  if (step.step !== 'mfa') throw new Error(`unexpected sign-in step ${step.step}`);
  const verified = ok<'auth.verify'>(await c.call('auth.verify', { code: await service.code(user.secret) })) as AuthState;
  if (verified.step !== 'signed_in') throw new Error('sign-in failed');
  return verified;
}
