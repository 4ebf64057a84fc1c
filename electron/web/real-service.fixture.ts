import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generate } from 'otplib';

const root = resolve(import.meta.dirname, '..', '..');

/** The real service, started by its CLI (`npm run service -- --demo`) on a fresh data directory. */
export interface RealService {
  url: string;
  fingerprint: string;
  /** The demo security officer's sign-in, from the ready line. */
  demo: { email: string; password: string; totpSecret: string };
  /** The officer's current authenticator code (each is accepted once per 30-second step). */
  code(): Promise<string>;
  close(): Promise<void>;
}

export async function startRealService(): Promise<RealService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-web-service-'));
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'service/cli/attest-service.ts'), '--data', dataDir, '--port', '0', '--demo'], {
    cwd: root,
    env: { ...inherited, ATTEST_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const line = await new Promise<string>((resolveLine, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) resolveLine(stdout.split('\n')[0] ?? '');
    });
    child.once('exit', (code) => reject(new Error(`attest-service exited ${String(code)} before it was ready: ${stderr}`)));
  });
  const ready = JSON.parse(line) as { url: string; fingerprint: string; demo: RealService['demo'] };
  let closing: Promise<void> | undefined;
  return {
    url: ready.url,
    fingerprint: ready.fingerprint,
    demo: { email: ready.demo.email, password: ready.demo.password, totpSecret: ready.demo.totpSecret },
    code: () => generate({ secret: ready.demo.totpSecret }),
    close: () => {
      closing ??= (async () => {
        if (child.exitCode === null) {
          child.kill('SIGTERM');
          await exited;
        }
        rmSync(dataDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
