import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { normalizeFingerprint, SpkiFingerprintSchema } from '../../../shared/tls/fingerprint';
import { replaceFileDurably } from '../../../shared/node/durable-file';
import { ConnectionLabelSchema } from '../../../shared/connection/connection-file';
import { RegionSchema } from '../../../shared/tenants/tenant';

/** Non-secret console settings. Secrets live in the vault, never here. */
export const ConsoleConfigSchema = z.object({
  serviceUrl: z.url({ protocol: /^https$/, error: 'expected an https:// URL' }),
  fingerprint: z.preprocess((v) => (typeof v === 'string' ? normalizeFingerprint(v) : v), SpkiFingerprintSchema),
  /** From the connection file, shown on the Connect screen and in the user menu. */
  label: ConnectionLabelSchema.optional(),
  region: RegionSchema.optional(),
  /**
   * per-service: the offline copies and keychain entries of this service are its own
   * (services/<tag>/, accounts suffixed @<tag>: service-storage.ts). Absent: an earlier
   * console's settings, whose data sits in the config folder itself.
   */
  storage: z.literal('per-service').optional(),
});
export type ConsoleConfig = z.infer<typeof ConsoleConfigSchema>;

export const CONSOLE_CONFIG_FILE = 'console.json';

export class ConsoleConfigError extends Error {
  readonly code = 'invalid_config';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConsoleConfigError';
  }
}

/** --config-dir, else ATTEST_CONFIG_DIR, else $XDG_CONFIG_HOME/attest, else ~/.config/attest. */
export function resolveConfigDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return flag;
  if (env.ATTEST_CONFIG_DIR) return env.ATTEST_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'attest');
}

/** The saved settings, or null when none were saved yet. */
export async function readConsoleConfig(dir: string): Promise<ConsoleConfig | null> {
  const path = join(dir, CONSOLE_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConsoleConfigError(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConsoleConfigError(`${path} is not valid JSON. Fix or delete it, then pass --service-url and --fingerprint again.`);
  }
  const parsed = ConsoleConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(file)';
    throw new ConsoleConfigError(`${path}: ${field}: ${issue?.message ?? 'invalid'}. Fix it, or pass --service-url and --fingerprint to replace it.`);
  }
  return parsed.data;
}

/** Replaces the settings atomically: a reader sees the old file or the new one, never a torn one. */
export async function writeConsoleConfig(dir: string, config: ConsoleConfig): Promise<ConsoleConfig> {
  const parsed = ConsoleConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConsoleConfigError(`Refusing to save console settings: ${issue?.path.join('.') || '(config)'}: ${issue?.message ?? 'invalid'}.`);
  }
  const path = join(dir, CONSOLE_CONFIG_FILE);
  try {
    await replaceFileDurably(path, `${JSON.stringify(parsed.data, null, 2)}\n`);
  } catch (error) {
    throw new ConsoleConfigError(`Cannot save ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parsed.data;
}

