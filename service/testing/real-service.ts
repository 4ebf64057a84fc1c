/**
 * Test helper: the real service in this process, listening on HTTPS with a
 * self-signed certificate, for the console core's tests.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { TenantRole } from '../../shared/identity/roles';
import { TOTP_POLICY } from '../../shared/policy/identity';
import type { TenantId } from '../../shared/tenants/tenant';
import { ephemeralKeyRing } from '../crypto/key-ring';
import { buildServer } from '../http/server';
import { argon2Hasher, ARGON2_TEST_PARAMS } from '../identity/passwords';
import { base32Decode, currentCode } from '../identity/totp';
import { ensureCertificate } from '../tls/certificate';
import { openTestDatabase, removeTempDirs, tempDir, type TestDatabase } from './databases';
import { createTestTenant, createTestUser, type TestUser } from './identity-fixtures';

/** Anything that looks like one of the service's tokens. */
export const TOKEN_SHAPED = /atst_(at|rt)_[A-Za-z0-9_-]+/;

/**
 * The real service (its HTTP server, handlers, authenticator and PGlite
 * database) in this process, on a clock the test moves, with the database at
 * hand for what only an administrator or time can do (revocation, expiry).
 */
export interface RealService {
  url: string;
  fingerprint: string;
  db: TestDatabase['db'];
  /** Every request the service received, since the last reset. */
  requests: { method: string; path: string; authorization: string | undefined }[];
  /** Every token-shaped string the service sent back. */
  issued: Set<string>;
  now(): Date;
  advance(ms: number): void;
  user(opts?: { mfa?: boolean; platformRoles?: readonly 'security_officer'[]; memberships?: readonly { tenantId: TenantId; role: TenantRole }[] }): Promise<TestUser>;
  tenant(): Promise<TenantId>;
  /** A current TOTP code for secret, in a time step the service has not seen used yet (the clock moves one step first). */
  code(secret: Uint8Array | string | null): Promise<string>;
  /**
   * Stops the HTTP server and starts a new one on the same port, database and certificate (a service
   * restart). Graceful by default: requests in flight are answered. `abrupt` drops every connection at
   * once, as a crash does: a request in flight may have been applied, but its answer is lost.
   */
  restart(opts?: { abrupt?: boolean }): Promise<void>;
  /**
   * Holds back the answer to the next request matching `match`, after its handler ran (its
   * transaction committed), until the next restart: resolves once such an answer is held.
   */
  holdNextAnswer(match: (request: { method: string; path: string }) => boolean): Promise<void>;
  /** Stops waiting for an answer to hold and sends any held one. */
  stopHolding(): void;
  close(): Promise<void>;
}

export async function startRealService(): Promise<RealService> {
  let clock = new Date();
  const now = () => clock;
  const database = await openTestDatabase('pglite');
  const keys = ephemeralKeyRing();
  const hasher = await argon2Hasher(ARGON2_TEST_PARAMS);
  const tls = await ensureCertificate(tempDir('attest-sign-in-'), { now });
  const requests: RealService['requests'] = [];
  const issued = new Set<string>();
  let hold: { match: (request: { method: string; path: string }) => boolean; held: () => void } | null = null;
  const heldAnswers = new Set<() => void>();
  const start = async (port: number): Promise<FastifyInstance> => {
    const server = await buildServer({ db: database.db, keys, hasher, tls: { key: tls.key, cert: tls.cert }, logger: false, now });
    server.addHook('onRequest', async (request) => {
      requests.push({ method: request.method, path: request.url, authorization: request.headers.authorization });
    });
    server.addHook('onSend', async (request, _reply, payload) => {
      if (typeof payload === 'string') for (const token of payload.match(new RegExp(TOKEN_SHAPED.source, 'g')) ?? []) issued.add(token);
      if (hold?.match({ method: request.method, path: request.url })) {
        const { held } = hold;
        hold = null;
        held();
        await new Promise<void>((release) => heldAnswers.add(release));
      }
      return payload;
    });
    await server.listen({ port, host: '127.0.0.1' });
    return server;
  };
  let app = await start(0);
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    fingerprint: tls.fingerprint,
    db: database.db,
    requests,
    issued,
    now,
    advance: (ms) => {
      clock = new Date(clock.getTime() + ms);
    },
    user: (opts = {}) => createTestUser(database.db, keys, hasher, opts),
    tenant: () => createTestTenant(database.db),
    code: async (secret) => {
      if (secret === null) throw new Error('this user has no TOTP secret');
      clock = new Date(clock.getTime() + TOTP_POLICY.period * 1000);
      return currentCode(typeof secret === 'string' ? base32Decode(secret) : secret, clock);
    },
    restart: async ({ abrupt = false } = {}) => {
      if (abrupt) app.server.closeAllConnections();
      // A held answer goes nowhere now: its connection is closed.
      for (const release of heldAnswers) release();
      heldAnswers.clear();
      await app.close();
      app = await start(port);
    },
    holdNextAnswer: (match) => new Promise<void>((held) => (hold = { match, held })),
    stopHolding: () => {
      hold = null;
      for (const release of heldAnswers) release();
      heldAnswers.clear();
    },
    close: async () => {
      hold = null;
      for (const release of heldAnswers) release();
      heldAnswers.clear();
      await app.close();
      await database.dispose();
      removeTempDirs();
    },
  };
}
