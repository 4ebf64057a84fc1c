import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { Pool } from 'undici';
import { createServiceClient, type Credentials } from '../../electron/core/client/service-client';
import { load, median, percentile, round, type Bench, type BenchResult, type LoadRun } from '../harness';

interface Twins {
  httpsUrl: string;
  httpUrl: string;
  fingerprint: string;
  token: string;
  storage: string;
}

const root = resolve(import.meta.dirname, '..', '..');
const CONCURRENCY = 16;
const ROUND_MS = 3_000;
const ROUNDS = 3;

async function startTwins() {
  const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(import.meta.dirname, 'twin-servers.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((ok, fail) => {
    createInterface({ input: child.stdout }).once('line', ok);
    child.once('exit', (code) => fail(new Error(`bench servers exited with ${code}`)));
  });
  const twins = JSON.parse(line) as Twins;
  const stop = () => new Promise<void>((ok) => (child.once('exit', () => ok()), child.kill('SIGTERM')));
  return { twins, stop };
}

/** GET /v1/tenants over HTTPS through the console's pinned client, against the same route over plain HTTP. */
export const tenantsListBench: Bench = {
  name: 'tenants.list',
  description: 'GET /v1/tenants over HTTPS with the pinned console client; baseline: the same route over plain HTTP',
  async run(): Promise<BenchResult[]> {
    const { twins, stop } = await startTwins();
    // The bench measures the transport and the route, not the OS keychain or token refresh.
    const credentials: Credentials = { accessToken: async () => twins.token, renew: (_refused, error) => Promise.reject(error) };
    const pinned = createServiceClient({ serviceUrl: twins.httpsUrl, fingerprint: twins.fingerprint, credentials });
    const plain = new Pool(twins.httpUrl, { connections: CONCURRENCY });
    const plainCall = async () => {
      const res = await plain.request({ path: '/v1/tenants', method: 'GET', headers: { authorization: `Bearer ${twins.token}` } });
      if (res.statusCode !== 200) throw new Error(`plain HTTP answered ${res.statusCode}`);
      await res.body.json();
    };
    try {
      // Warm both paths (JIT, TLS sessions, PGlite caches) before measuring.
      await load(() => pinned.call('listTenants', { query: {} }), CONCURRENCY, 1_000);
      await load(plainCall, CONCURRENCY, 1_000);
      const https: LoadRun[] = [];
      const http: LoadRun[] = [];
      // Interleaved rounds: this machine is shared, so noise hits both sides alike.
      for (let i = 0; i < ROUNDS; i += 1) {
        https.push(await load(() => pinned.call('listTenants', { query: {} }), CONCURRENCY, ROUND_MS));
        http.push(await load(plainCall, CONCURRENCY, ROUND_MS));
      }
      const rps = median(https.map((r) => r.perSecond));
      const baseline = median(http.map((r) => r.perSecond));
      const all = (runs: LoadRun[]) => runs.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
      const h = all(https);
      const b = all(http);
      return [
        {
          bench: 'tenants.list',
          n: h.length,
          value: round(rps, 1),
          unit: 'requests/s',
          baseline: round(baseline, 1),
          ratio: round(rps / baseline),
          p50_ms: round(percentile(h, 50)),
          p99_ms: round(percentile(h, 99)),
          baseline_p50_ms: round(percentile(b, 50)),
          baseline_p99_ms: round(percentile(b, 99)),
          concurrency: CONCURRENCY,
          rounds: ROUNDS,
          storage: twins.storage,
        },
      ];
    } finally {
      await pinned.close();
      await plain.close();
      await stop();
    }
  },
};
