import { argon2Hasher, ARGON2_PARAMS, plainCompareHasher, type PasswordHasher } from '../../service';
import { percentile, round, type Bench, type BenchResult } from '../harness';
import { openAuthFixture } from './auth-fixture';

const DURATION_MS = 8_000;
const WARMUP = 5;

/** Full sign-ins, one after another: POST /v1/auth/login then POST /v1/auth/mfa, in-process (app.inject). */
const measure = async (hasher: PasswordHasher) => {
  const f = await openAuthFixture(hasher);
  try {
    const signIn = async () => {
      f.nextStep();
      const login = await f.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email: f.user.email, password: f.user.password }),
      });
      const { challengeId } = login.json() as { challengeId: string };
      const mfa = await f.app.inject({
        method: 'POST',
        url: '/v1/auth/mfa',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ challengeId, code: await f.code() }),
      });
      if (mfa.statusCode !== 200) throw new Error(`sign-in failed: ${login.statusCode} ${mfa.statusCode} ${mfa.body}`);
    };
    for (let i = 0; i < WARMUP; i += 1) await signIn();
    const latencies: number[] = [];
    const start = performance.now();
    while (performance.now() - start < DURATION_MS) {
      const t0 = performance.now();
      await signIn();
      latencies.push(performance.now() - t0);
    }
    const seconds = (performance.now() - start) / 1000;
    latencies.sort((a, b) => a - b);
    return { perSecond: latencies.length / seconds, latencies, storage: f.storage };
  } finally {
    await f.close();
  }
};

export const authLoginBench: Bench = {
  name: 'auth.login',
  description: 'Full password + TOTP sign-ins per second in-process (argon2id); baseline: the same flow with a constant-time compare instead of argon2id',
  async run(): Promise<BenchResult[]> {
    const real = await measure(await argon2Hasher(ARGON2_PARAMS));
    const base = await measure(plainCompareHasher());
    return [
      {
        bench: 'auth.login',
        n: real.latencies.length,
        value: round(real.perSecond, 1),
        unit: 'sign-ins/s',
        baseline: round(base.perSecond, 1),
        ratio: round(real.perSecond / base.perSecond),
        p50_ms: round(percentile(real.latencies, 50)),
        p99_ms: round(percentile(real.latencies, 99)),
        baseline_p50_ms: round(percentile(base.latencies, 50)),
        baseline_p99_ms: round(percentile(base.latencies, 99)),
        argon2id: `m=${ARGON2_PARAMS.memoryCost}KiB t=${ARGON2_PARAMS.timeCost} p=${ARGON2_PARAMS.parallelism}`,
        concurrency: 1,
        storage: real.storage,
      },
    ];
  },
};
