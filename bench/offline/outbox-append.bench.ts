import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOutboxJournal } from '../../electron/core/offline/outbox-journal';
import { percentile, round, type Bench, type BenchResult } from '../harness';

const N = Number(process.env.OUTBOX_APPEND_N ?? 500);
const WARMUP = 20;
// OUTBOX_BENCH_DIR: where to write (default the OS temp dir); fsync figures are only as real as that disk.

/** A typical offline edit: a timeline note of a few sentences on an incident. */
const edit = (i: number) => ({
  kind: 'note',
  incidentId: '0b0e1c2d-0000-4000-8000-00000000000a',
  baseVersion: 7,
  text: `Edit ${i}: rotated the leaked keys for the affected tenant, revoked the sessions created from the paste's IP range, and asked the customer's security contact to confirm.`,
});

/**
 * outbox.append: one acknowledged offline edit — serialised, sealed with
 * AES-256-GCM, framed, checksummed, written and fdatasync'ed before it resolves.
 * Baseline, measured interleaved in the same run on the same disk: a bare write
 * of a record of the same size followed by fdatasync.
 */
export const outboxAppendBench: Bench = {
  name: 'outbox.append',
  description: 'One acknowledged offline edit (encrypt, frame, write, fdatasync); baseline: bare write + fdatasync of the same number of bytes',
  async run(): Promise<BenchResult[]> {
    const parent = process.env.OUTBOX_BENCH_DIR ?? tmpdir();
    const dir = mkdtempSync(join(parent, 'attest-bench-outbox-'));
    try {
      const path = join(dir, 'outbox.journal');
      const journal = await openOutboxJournal(path, randomBytes(32));
      const headerSize = statSync(path).size;
      await journal.append(edit(0));
      const recordBytes = statSync(path).size - headerSize;

      const bare = await open(join(dir, 'bare.bin'), 'w');
      const bytes = randomBytes(recordBytes);
      let position = 0;
      const ours: number[] = [];
      const base: number[] = [];
      for (let i = 1; i <= WARMUP + N; i += 1) {
        const t0 = performance.now();
        await journal.append(edit(i));
        const t1 = performance.now();
        await bare.write(bytes, 0, bytes.length, position);
        await bare.datasync();
        const t2 = performance.now();
        position += bytes.length;
        if (i > WARMUP) {
          ours.push(t1 - t0);
          base.push(t2 - t1);
        }
      }
      await bare.close();
      await journal.close();
      ours.sort((a, b) => a - b);
      base.sort((a, b) => a - b);
      const p99 = percentile(ours, 99);
      const baseP99 = percentile(base, 99);
      const p50 = percentile(ours, 50);
      const baseP50 = percentile(base, 50);
      const common = { n: N, recordBytes, sync: 'fdatasync', dir: parent };
      return [
        {
          bench: 'outbox.append',
          ...common,
          value: round(p50),
          unit: 'ms (p50)',
          baseline: round(baseP50),
          ratio: round(p50 / baseP50, 2),
        },
        {
          bench: 'outbox.append',
          ...common,
          value: round(p99),
          unit: 'ms (p99)',
          baseline: round(baseP99),
          ratio: round(p99 / baseP99, 2),
          max_ms: round(ours[ours.length - 1]!),
          baseline_max_ms: round(base[base.length - 1]!),
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
