import { createHash } from 'node:crypto';
import { plainCompareHasher } from '../../service';
import { openAuthenticator } from '../../service/auth/authenticate';
import { percentile, round, type Bench, type BenchResult } from '../harness';
import { openAuthFixture } from './auth-fixture';

const N = 5_000;
const WARMUP = 500;

const time = async (fn: () => Promise<unknown> | unknown): Promise<number[]> => {
  for (let i = 0; i < WARMUP; i += 1) await fn();
  const out: number[] = [];
  for (let i = 0; i < N; i += 1) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
};

/** Per-request token validation: the authenticate function the route table calls, directly (no HTTP). */
export const authCheckBench: Bench = {
  name: 'auth.check',
  description: 'Access-token validation per request in-process, as the server runs it (validated-token cache on PGlite; one DB lookup of session, user and roles otherwise); baseline: a bare SHA-256 of the token',
  async run(): Promise<BenchResult[]> {
    const f = await openAuthFixture(plainCompareHasher());
    try {
      const tokens = await f.session();
      const auth = await openAuthenticator(f.db, f.now);
      const authenticate = auth.authenticate;
      const header = `Bearer ${tokens.accessToken}`;
      const check = async () => {
        const r = await authenticate(header);
        if (!r.ok) throw new Error(`token refused: ${r.reason}`);
      };
      const real = await time(check);
      const base = await time(() => createHash('sha256').update(tokens.accessToken).digest('hex'));
      await auth.close();
      const p99 = percentile(real, 99);
      const baseP99 = percentile(base, 99);
      return [
        {
          bench: 'auth.check',
          n: real.length,
          value: round(p99),
          unit: 'ms (p99)',
          baseline: round(baseP99, 4),
          ratio: round(p99 / baseP99, 1),
          p50_ms: round(percentile(real, 50)),
          p99_ms: round(p99),
          baseline_p50_ms: round(percentile(base, 50), 4),
          target_p99_ms: 1,
          storage: f.storage,
          cached: auth.cached,
        },
      ];
    } finally {
      await f.close();
    }
  },
};
