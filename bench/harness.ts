/** One line of `npm run bench` output. */
export interface BenchResult {
  bench: string;
  n: number;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
  [extra: string]: unknown;
}

export interface Bench {
  readonly name: string;
  readonly description: string;
  run(): Promise<BenchResult[]>;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

export interface LoadRun {
  requests: number;
  seconds: number;
  perSecond: number;
  latenciesMs: number[];
}

/**
 * Runs `call` from `concurrency` loops until `durationMs` has passed and records
 * each call's latency. A failed call aborts the run: a benchmark of errors is no benchmark.
 */
export async function load(call: () => Promise<unknown>, concurrency: number, durationMs: number): Promise<LoadRun> {
  const latenciesMs: number[] = [];
  const start = performance.now();
  const deadline = start + durationMs;
  const loop = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      await call();
      latenciesMs.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const seconds = (performance.now() - start) / 1000;
  latenciesMs.sort((a, b) => a - b);
  return { requests: latenciesMs.length, seconds, perSecond: latenciesMs.length / seconds, latenciesMs };
}

/** Times a synchronous piece of work `runs` times after `warmup` untimed runs; the durations in ms, sorted. */
export function timeSync(work: () => unknown, runs: number, warmup: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs + warmup; i++) {
    const s = performance.now();
    work();
    if (i >= warmup) out.push(performance.now() - s);
  }
  return out.sort((a, b) => a - b);
}
