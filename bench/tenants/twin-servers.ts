// Child process of the tenants.list benchmark: one demo database served twice,
// over HTTPS (what the console uses) and over plain HTTP (the baseline), so the
// client's event loop does not compete with the servers'.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildServer, ensureCertificate, ephemeralKeyRing, openDatabase, pgliteDir, plainCompareHasher, seedDemo } from '../../service';

const dataDir = mkdtempSync(join(tmpdir(), 'attest-bench-tenants-'));
const databaseUrl = process.env.BENCH_DATABASE_URL;
const db = await openDatabase(databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'pglite', dir: pgliteDir(dataDir) });
const keys = ephemeralKeyRing();
// The bench measures the route, not sign-in: no argon2id for the demo users.
const hasher = plainCompareHasher();
const demo = await seedDemo(db, { keys, hasher });
if (!demo) throw new Error('bench database was not new');
const tls = await ensureCertificate(dataDir);
// Request limits off: the bench measures the route's capacity, not one client's allowance.
const https = await buildServer({ db, tls: { key: tls.key, cert: tls.cert }, logger: false, keys, hasher, rateLimits: false });
const http = await buildServer({ db, tls: null, logger: false, keys, hasher, rateLimits: false });
await https.listen({ host: '127.0.0.1', port: 0 });
await http.listen({ host: '127.0.0.1', port: 0 });
const port = (s: typeof http) => (s.server.address() as AddressInfo).port;
console.log(
  JSON.stringify({
    httpsUrl: `https://127.0.0.1:${port(https)}`,
    httpUrl: `http://127.0.0.1:${port(http)}`,
    fingerprint: tls.fingerprint,
    token: demo.token,
    storage: db.engine,
  }),
);
const shutdown = async () => {
  await https.close();
  await http.close();
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
