import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Db } from '../db/db';
import type { StorageEngine } from '../db/engine';
import { openDatabase } from '../db/open-database';
import type { PlatformRole, TenantRole } from '../../shared/identity/roles';
import { generatePassword, provisionUser, type ProvisionedUser } from '../identity/provision';
import { argon2Hasher, passwordProblems, type PasswordHasher } from '../identity/passwords';
import { loadOrCreateKeyRing } from '../crypto/key-ring';
import { loadOrCreateAuditSigner, publishAuditKey, rotateAuditSigningKey } from '../audit/signing-key';
import { recordVerifications, verifyAuditLogs, type LogVerification } from '../audit/verify-log';
import { seedDemo } from '../demo/demo-seed';
import { seedLargeDemo } from '../demo/large-demo';
import { listTenants, tenantNameTaken } from '../tenants/tenant-repository';
import { onboardTenant } from '../tenants/tenant-onboarding';
import { ApiError } from '../http/api-error';
import { slugFromName } from '../../shared/tenants/slug';
import type { TenantCreated } from '../../shared/tenants/api';
import type { Plan, Region } from '../../shared/tenants/tenant';
import type { LoggerOption } from '../http/app';
import { buildServer } from '../http/server';
import { createFirstOperator, issueTokenForOperator } from '../operators/first-operator';
import type { IssuedToken, Operator } from '../operators/operator-repository';
import { ensureCertificate } from '../tls/certificate';
import { defaultDataDir, ensureDataDir, pgliteDir } from './data-dir';
import { lockDataDir } from './instance-lock';

export const DEFAULT_PORT = 8443;
export const DEFAULT_HOST = '127.0.0.1';

export interface DataOptions {
  /** Default: `$XDG_DATA_HOME/attest/service` or `~/.local/share/attest/service`. */
  readonly dataDir?: string;
  /** PostgreSQL connection string; default PGlite in `<dataDir>/pgdata`. Not read from the environment here: the CLI passes DATABASE_URL. */
  readonly databaseUrl?: string;
}

export interface StartServiceOptions extends DataOptions {
  /** Default 8443; 0 picks any free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Seed demo tenants and a demo operator if the database is new. */
  readonly demo?: boolean;
  /** With demo: also the tenant at scale (service/demo/large-demo.ts), reporting its steps here. */
  readonly demoLarge?: { readonly progress?: (line: string) => void };
  /** Default: info level to stderr. */
  readonly logger?: LoggerOption;
  readonly now?: () => Date;
  /** Default argon2id at ARGON2_PARAMS; tests pass cheaper parameters. */
  readonly hasher?: PasswordHasher;
}

/** What the ready line carries for a demo: the operator API token and the demo security officer's sign-in. */
export interface DemoCredentials {
  readonly token: string;
  readonly email: string;
  readonly password: string;
  /** Base32. */
  readonly totpSecret: string;
  /** The other demo people with an authenticator (same password), for driving a second person (approvals) in tests and demos. */
  readonly people: readonly { readonly email: string; readonly totpSecret: string }[];
}

export interface RunningService {
  /** e.g. https://127.0.0.1:8443 */
  readonly url: string;
  /** SPKI SHA-256 of the TLS certificate, lowercase hex: what clients pin. */
  readonly fingerprint: string;
  /** Absolute path. */
  readonly dataDir: string;
  readonly storage: StorageEngine;
  /** Present only when this start seeded a new database with demo data. */
  readonly demo?: DemoCredentials;
  /** Stops accepting requests, waits for in-flight ones, closes the database. Idempotent. */
  close(): Promise<void>;
}

const openServiceDatabase = (dataDir: string, databaseUrl: string | undefined): Promise<Db> =>
  openDatabase(databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'pglite', dir: pgliteDir(dataDir) });

const urlHost = (host: string): string => {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
};

/** Starts the HTTPS service: data directory, certificate, database (migrated), optional demo seed, listener. */
export const startService = async (options: StartServiceOptions = {}): Promise<RunningService> => {
  const dataDir = ensureDataDir(options.dataDir ?? defaultDataDir());
  const unlock = lockDataDir(dataDir);
  let db: Db | undefined;
  try {
    const tls = await ensureCertificate(dataDir, options.now ? { now: options.now } : {});
    db = await openServiceDatabase(dataDir, options.databaseUrl);
    const keys = await loadOrCreateKeyRing(dataDir);
    const hasher = options.hasher ?? (await argon2Hasher());
    const seeded = options.demo ? await seedDemo(db, { keys, hasher, ...(options.now ? { now: options.now() } : {}) }) : null;
    if (seeded && options.demoLarge) {
      await seedLargeDemo(db, { officerUserId: seeded.users[0]!.userId, ...(options.now ? { now: options.now() } : {}), ...options.demoLarge });
    }
    const demo: DemoCredentials | null = seeded
      ? {
          token: seeded.token,
          email: seeded.email,
          password: seeded.password,
          totpSecret: seeded.totpSecret,
          people: seeded.users.slice(1).flatMap((u) => (u.totpSecret ? [{ email: u.email, totpSecret: u.totpSecret }] : [])),
        }
      : null;
    const app = await buildServer({
      db,
      keys,
      hasher,
      auditSigner: await loadOrCreateAuditSigner(dataDir),
      tls: { key: tls.key, cert: tls.cert },
      postureSnapshots: {},
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.now ? { now: options.now } : {}),
    });
    const host = options.host ?? DEFAULT_HOST;
    try {
      await app.listen({ port: options.port ?? DEFAULT_PORT, host });
    } catch (err) {
      await app.close();
      throw err;
    }
    const { port } = app.server.address() as AddressInfo;
    let closing: Promise<void> | undefined;
    const opened = db;
    return {
      url: `https://${urlHost(host)}:${port}`,
      fingerprint: tls.fingerprint,
      dataDir,
      storage: db.engine,
      ...(demo ? { demo } : {}),
      close: () => {
        closing ??= app
          .close()
          .finally(() => opened.close())
          .finally(unlock);
        return closing;
      },
    };
  } catch (err) {
    await db?.close();
    unlock();
    throw err;
  }
};

export interface OperatorTokenResult {
  readonly dataDir: string;
  readonly fingerprint: string;
  readonly operator: Operator;
  readonly token: IssuedToken;
}

/** Runs fn against the installation's database with the data directory locked (for CLI commands other than serve). */
const withDatabase = async <T>(options: DataOptions, fn: (db: Db, ctx: { dataDir: string; fingerprint: string }) => Promise<T>): Promise<T> => {
  const dataDir = ensureDataDir(options.dataDir ?? defaultDataDir());
  const unlock = lockDataDir(dataDir);
  try {
    const tls = await ensureCertificate(dataDir);
    const db = await openServiceDatabase(dataDir, options.databaseUrl);
    try {
      return await fn(db, { dataDir, fingerprint: tls.fingerprint });
    } finally {
      await db.close();
    }
  } finally {
    unlock();
  }
};

/** `attest-service init`: the first operator and its token, or OperatorAlreadyExistsError. */
export const initService = (options: DataOptions & { operatorName?: string } = {}): Promise<OperatorTokenResult> =>
  withDatabase(options, async (db, ctx) => {
    const { operator, token } = await createFirstOperator(db, {
      name: options.operatorName ?? 'Initial operator',
      tokenLabel: 'init',
      actor: { type: 'system', id: 'attest-service:init' },
    });
    return { ...ctx, operator, token };
  });

/** `attest-service token create`: another token for an existing operator, or OperatorNotFoundError. */
export const createOperatorToken = (options: DataOptions & { label?: string; operatorId?: string } = {}): Promise<OperatorTokenResult> =>
  withDatabase(options, async (db, ctx) => {
    const { operator, token } = await issueTokenForOperator(db, {
      label: options.label ?? 'cli',
      ...(options.operatorId ? { operatorId: options.operatorId } : {}),
      actor: { type: 'system', id: 'attest-service:token-create' },
    });
    return { ...ctx, operator, token };
  });

export class UserAddError extends Error {
  override readonly name = 'UserAddError';
}

export interface AddUserOptions extends DataOptions {
  readonly email: string;
  readonly displayName?: string;
  /** A tenant id or exact name. */
  readonly tenant?: string;
  readonly role?: TenantRole;
  readonly platformRoles?: readonly PlatformRole[];
}

/** `attest-service user add`: a user with a generated password and MFA enrolled; the secrets are returned once. */
export const addUser = (options: AddUserOptions): Promise<ProvisionedUser & { dataDir: string }> =>
  withDatabase(options, async (db, ctx) => {
    if (!options.tenant && (options.platformRoles ?? []).length === 0) throw new UserAddError('give --tenant and --role, or --platform-role');
    if (options.tenant && !options.role) throw new UserAddError('--tenant needs --role');
    const keys = await loadOrCreateKeyRing(ctx.dataDir);
    const password = generatePassword();
    if (passwordProblems(password, options.email).length > 0) throw new UserAddError('generated password failed the policy; try again');
    const passwordHash = await (await argon2Hasher()).hash(password);
    const actor = { type: 'system', id: 'attest-service:user-add' } as const;
    const user = await db.platform(async (tx) => {
      const tenants = await listTenants(tx);
      const named = tenants.filter((t) => t.id === options.tenant || t.slug === options.tenant || t.name === options.tenant);
      if (named.length > 1) throw new UserAddError(`several tenants are named "${options.tenant}"; give its id or slug`);
      const tenant = named[0];
      if (options.tenant && !tenant) throw new UserAddError(`no tenant with id, slug or name "${options.tenant}"`);
      return provisionUser(
        tx,
        keys,
        {
          email: options.email,
          displayName: options.displayName ?? options.email.split('@')[0] ?? options.email,
          password,
          passwordHash,
          platformRoles: options.platformRoles ?? [],
          memberships: tenant && options.role ? [{ tenantId: tenant.id, role: options.role }] : [],
        },
        actor,
        new Date(),
      );
    });
    return { ...user, dataDir: ctx.dataDir };
  });

/** A `tenant create` the operator must restate: the name exists (give --slug) or the slug is taken. Exit code 2. */
export class TenantCreateError extends Error {
  override readonly name = 'TenantCreateError';
}

export interface CreateTenantOptions extends DataOptions {
  readonly name: string;
  /** Derived from the name when absent (then the name must be new). */
  readonly slug?: string;
  readonly region: Region;
  readonly plan: Plan;
  readonly ownerEmail: string;
}

/** `attest-service tenant create`: POST /v1/tenants from the command line; the owner's invitation token is returned once. */
export const createTenantCommand = (options: CreateTenantOptions): Promise<TenantCreated & { dataDir: string }> =>
  withDatabase(options, async (db, ctx) => {
    let slug = options.slug;
    if (slug === undefined) {
      if (await db.platform((tx) => tenantNameTaken(tx, options.name))) {
        throw new TenantCreateError(`a tenant named "${options.name}" exists; give --slug to tell the new one apart`);
      }
      slug = slugFromName(options.name);
    }
    const input = { name: options.name, slug, region: options.region, plan: options.plan, ownerEmail: options.ownerEmail };
    try {
      const created = await onboardTenant(db, input, { actor: { type: 'system', id: 'attest-service:tenant-create' }, requestId: randomUUID(), now: new Date() });
      return { ...created, dataDir: ctx.dataDir };
    } catch (err) {
      if (err instanceof ApiError && err.code === 'slug_taken') throw new TenantCreateError(`the slug "${slug}" is taken; give another --slug`);
      throw err;
    }
  });

/** `attest-service audit verify`: every log (or one tenant's) recomputed from storage and checked against its signed heads. */
export const verifyAudit = (options: DataOptions & { tenant?: string }): Promise<LogVerification[]> =>
  withDatabase(options, async (db) => {
    const results = await verifyAuditLogs(db, options.tenant);
    await recordVerifications(db, results, { type: 'system', id: 'attest-service:audit-verify' });
    return results;
  });

/** `attest-service audit rotate-key`: a new signing key from now on; the old public key stays published, retired. */
export const rotateAuditKey = (options: DataOptions): Promise<{ keyId: string; dataDir: string }> =>
  withDatabase(options, async (db, ctx) => {
    const signer = await rotateAuditSigningKey(ctx.dataDir);
    await db.platform((tx) => publishAuditKey(tx, signer, new Date()));
    return { keyId: signer.keyId, dataDir: ctx.dataDir };
  });
