/**
 * Test helper: the real service (routes, auth, RLS, audit) built in-process on a
 * fresh database of one engine, driven with Fastify's inject — no socket, a
 * clock the test moves. Registers its own beforeAll/afterAll in the calling
 * describe block.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { ApiErrorBodySchema } from '../../shared/errors/codes';
import type { SessionTokens } from '../../shared/identity/schemas';
import type { StorageEngine } from '../db/engine';
import { ephemeralKeyRing, type KeyRing } from '../crypto/key-ring';
import { buildServer, type BuildServerOptions } from '../http/server';
import { argon2Hasher, ARGON2_TEST_PARAMS, type PasswordHasher } from '../identity/passwords';
import { openTestDatabase, type TestDatabase } from './databases';
import { grantStepUp, sessionFor, type TestUser } from './identity-fixtures';

export interface CallOptions {
  body?: object;
  /** Sent as `Authorization: Bearer …`. */
  token?: string;
  /** The caller's address (default: inject's 127.0.0.1). */
  ip?: string;
  userAgent?: string;
}

export interface InProcessService {
  /** The database (valid from beforeAll on). */
  readonly t: TestDatabase;
  readonly app: FastifyInstance;
  readonly keys: KeyRing;
  readonly hasher: PasswordHasher;
  call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, opts?: CallOptions): Promise<LightMyRequestResponse>;
  /** A session of `u` as after sign-in, at the test's clock. */
  session(u: TestUser): Promise<SessionTokens>;
  /** A session of `u` with a step-up (as after entering a code) valid for `forMs`. */
  steppedUp(u: TestUser, forMs?: number): Promise<SessionTokens>;
}

/** Status and stable error code of a response (code null for a success). */
export const errorOf = (res: { statusCode: number; body: string }): { status: number; code: string | null } => ({
  status: res.statusCode,
  code: res.statusCode >= 400 ? (ApiErrorBodySchema.safeParse(JSON.parse(res.body)).data?.error.code ?? null) : null,
});

export function inProcessService(
  kind: StorageEngine,
  options: {
    now: () => Date;
    /** Wraps the real hasher the service checks passwords with (instrumentation: counting verifications). */
    wrapHasher?: (real: PasswordHasher) => PasswordHasher;
  } & Partial<Omit<BuildServerOptions, 'db' | 'tls' | 'keys' | 'hasher' | 'now'>>,
): InProcessService {
  const { now, wrapHasher, ...server } = options;
  const keys = ephemeralKeyRing();
  let t: TestDatabase | undefined;
  let app: FastifyInstance | undefined;
  let hasher: PasswordHasher | undefined;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`in-process service: ${what} is used before beforeAll ran`);
    return value;
  };

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    hasher = await argon2Hasher(ARGON2_TEST_PARAMS);
    app = await buildServer({ logger: false, ...server, db: t.db, tls: null, keys, hasher: wrapHasher ? wrapHasher(hasher) : hasher, now });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const service: InProcessService = {
    get t() {
      return ready(t, 'the database');
    },
    get app() {
      return ready(app, 'the app');
    },
    keys,
    get hasher() {
      return ready(hasher, 'the password hasher');
    },
    call: (method, url, opts = {}) =>
      service.app.inject({
        method,
        url,
        ...(opts.ip ? { remoteAddress: opts.ip } : {}),
        headers: {
          ...(opts.userAgent ? { 'user-agent': opts.userAgent } : {}),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(opts.body ? { 'content-type': 'application/json' } : {}),
        },
        ...(opts.body ? { payload: JSON.stringify(opts.body) } : {}),
      }),
    session: (u) => sessionFor(service.t.db, u.userId, now()),
    steppedUp: async (u, forMs = 5 * 60_000) => {
      const s = await sessionFor(service.t.db, u.userId, now());
      await grantStepUp(service.t.db, s.session.id, new Date(now().getTime() + forMs));
      return s;
    },
  };
  return service;
}
