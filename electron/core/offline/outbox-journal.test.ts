import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openOutboxJournal, type OutboxJournal } from './outbox-journal';

const run = promisify(execFile);
const key = randomBytes(32);
let dir: string;
let path: string;
const opened: OutboxJournal[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'attest-outbox-'));
  path = join(dir, 'outbox.journal');
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((j) => j.close().catch(() => undefined)));
  rmSync(dir, { recursive: true, force: true });
});

const openJournal = async (k: Uint8Array = key) => {
  const journal = await openOutboxJournal<{ text: string }>(path, k);
  opened.push(journal as OutboxJournal);
  return journal;
};

/** Writes `count` edits, closes, and returns the file's bytes and where each record starts. */
const journalWith = async (count: number): Promise<{ bytes: Buffer; starts: number[] }> => {
  const journal = await openJournal();
  const starts: number[] = [];
  for (let i = 1; i <= count; i += 1) {
    starts.push(statSync(path).size);
    await journal.append({ text: `edit ${i}` });
  }
  await journal.close();
  return { bytes: readFileSync(path), starts };
};

const texts = (journal: { pending(): Array<{ payload: { text: string } }> }) => journal.pending().map((e) => e.payload.text);
const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

describe('outbox journal', () => {
  it('keeps appended edits across reopen, in order, with seqs 1, 2, 3 and distinct idempotency keys', async () => {
    const journal = await openJournal();
    const a = await journal.append({ text: 'severity P1 → P0' });
    const b = await journal.append({ text: 'note: keys rotated' }, { idempotencyKey: '0f7d1e0a-1b2c-4d3e-8f40-5a6b7c8d9e0f' });
    expect([a.seq, b.seq]).toEqual([1, 2]);
    await journal.close();
    const again = await openJournal();
    expect(again.recovery).toEqual({ truncatedBytes: 0 });
    expect(again.pending()).toEqual([
      { seq: 1, idempotencyKey: a.idempotencyKey, createdAt: a.createdAt, payload: { text: 'severity P1 → P0' } },
      { seq: 2, idempotencyKey: '0f7d1e0a-1b2c-4d3e-8f40-5a6b7c8d9e0f', createdAt: b.createdAt, payload: { text: 'note: keys rotated' } },
    ]);
    expect(a.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect((await again.append({ text: 'third' })).seq).toBe(3);
  });

  it('stores nothing in the clear', async () => {
    const journal = await openJournal();
    await journal.append({ text: 'customer Acme notified by phone' });
    expect(readFileSync(path).includes('Acme')).toBe(false);
  });

  it('gives concurrent appends consecutive seqs in call order', async () => {
    const journal = await openJournal();
    const entries = await Promise.all(Array.from({ length: 20 }, (_, i) => journal.append({ text: `e${i}` })));
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await journal.close();
    expect(texts(await openJournal())).toEqual(Array.from({ length: 20 }, (_, i) => `e${i}`));
  });

  it('refuses a malformed idempotency key and an oversized edit, and stays usable', async () => {
    const journal = await openJournal();
    await expect(journal.append({ text: 'x' }, { idempotencyKey: 'not-a-uuid' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(journal.append({ text: 'x'.repeat(1024 * 1024) })).rejects.toMatchObject({ code: 'payload_too_large' });
    expect((await journal.append({ text: 'fine' })).seq).toBe(1);
  });

  it('cuts off a torn last entry at every byte offset and keeps every earlier one', async () => {
    const { bytes, starts } = await journalWith(3);
    const lastStart = starts[2]!;
    for (let cut = lastStart; cut < bytes.length; cut += 1) {
      writeFileSync(path, bytes.subarray(0, cut));
      const journal = await openOutboxJournal<{ text: string }>(path, key);
      expect(journal.recovery.truncatedBytes, `cut at ${cut}`).toBe(cut - lastStart);
      expect(texts(journal), `cut at ${cut}`).toEqual(['edit 1', 'edit 2']);
      expect(statSync(path).size).toBe(lastStart);
      // The journal goes on from the last complete entry.
      expect((await journal.append({ text: 'after crash' })).seq).toBe(3);
      await journal.close();
    }
  });

  it('cuts off a complete last entry that fails its checksum, and a zero-filled tail', async () => {
    const { bytes, starts } = await journalWith(3);
    const flipped = Buffer.from(bytes);
    flipped[bytes.length - 20]! ^= 0x01;
    writeFileSync(path, flipped);
    let journal = await openJournal();
    expect(journal.recovery.truncatedBytes).toBe(bytes.length - starts[2]!);
    expect(texts(journal)).toEqual(['edit 1', 'edit 2']);
    await journal.close();

    writeFileSync(path, Buffer.concat([bytes, Buffer.alloc(300)]));
    journal = await openJournal();
    expect(journal.recovery.truncatedBytes).toBe(300);
    expect(texts(journal)).toEqual(['edit 1', 'edit 2', 'edit 3']);
  });

  it('refuses a bit flip in the middle with outbox_corrupt and deletes nothing', async () => {
    const { bytes, starts } = await journalWith(3);
    for (const offset of [starts[1]! + 30, starts[1]! + 1, starts[0]! + 5]) {
      const damaged = Buffer.from(bytes);
      damaged[offset]! ^= 0x10;
      writeFileSync(path, damaged);
      const error = await errorOf(openOutboxJournal(path, key));
      expect(error, `flip at ${offset}`).toMatchObject({ code: 'outbox_corrupt' });
      expect((error as Error).message).toMatch(/left as it is/);
      expect(readFileSync(path).equals(damaged)).toBe(true);
    }
  });

  it('refuses a wrong key with outbox_key_mismatch, even for an empty journal, and deletes nothing', async () => {
    const { bytes } = await journalWith(2);
    await expect(openOutboxJournal(path, randomBytes(32))).rejects.toMatchObject({ code: 'outbox_key_mismatch' });
    expect(readFileSync(path).equals(bytes)).toBe(true);
    const empty = join(dir, 'empty.journal');
    await (await openOutboxJournal(empty, key)).close();
    await expect(openOutboxJournal(empty, randomBytes(32))).rejects.toMatchObject({ code: 'outbox_key_mismatch' });
    await expect(openOutboxJournal(empty, randomBytes(16))).rejects.toThrow(/32 bytes/);
  });

  it('refuses a foreign file, another version and a damaged header without touching them', async () => {
    const { bytes } = await journalWith(1);
    const random = randomBytes(500);
    writeFileSync(path, random);
    await expect(openOutboxJournal(path, key)).rejects.toMatchObject({ code: 'outbox_unsupported_format' });
    expect(readFileSync(path).equals(random)).toBe(true);

    const v2 = Buffer.from(bytes);
    v2[4] = 2;
    v2.writeUInt32BE(0, 60);
    writeFileSync(path, v2);
    await expect(openOutboxJournal(path, key)).rejects.toMatchObject({ code: 'outbox_corrupt' });
    const { crc32 } = await import('node:zlib');
    v2.writeUInt32BE(crc32(v2.subarray(0, 60)) >>> 0, 60);
    writeFileSync(path, v2);
    await expect(openOutboxJournal(path, key)).rejects.toMatchObject({ code: 'outbox_unsupported_format', message: expect.stringMatching(/version 2/) });

    writeFileSync(path, bytes.subarray(0, 40));
    await expect(openOutboxJournal(path, key)).rejects.toMatchObject({ code: 'outbox_corrupt' });
    expect(readFileSync(path).length).toBe(40);
  });

  it('records acknowledgements durably; pending skips them', async () => {
    const journal = await openJournal();
    for (let i = 1; i <= 5; i += 1) await journal.append({ text: `edit ${i}` });
    await journal.acknowledge([1, 2, 4, 4, 99]);
    expect(texts(journal)).toEqual(['edit 3', 'edit 5']);
    await journal.close();
    const again = await openJournal();
    expect(again.entries().map((e) => [e.seq, e.acknowledged])).toEqual([
      [1, true],
      [2, true],
      [3, false],
      [4, true],
      [5, false],
    ]);
  });

  it('compacts away acknowledged edits only, and seqs never repeat afterwards', async () => {
    const journal = await openJournal();
    for (let i = 1; i <= 5; i += 1) await journal.append({ text: `edit ${i}` });
    await journal.acknowledge([1, 2, 4]);
    const before = statSync(path).size;
    expect(await journal.compact()).toEqual({ removed: 3, kept: 2 });
    expect(statSync(path).size).toBeLessThan(before);
    expect((await journal.append({ text: 'edit 6' })).seq).toBe(6);
    await journal.close();

    const again = await openJournal();
    expect(again.pending().map((e) => [e.seq, e.payload.text])).toEqual([
      [3, 'edit 3'],
      [5, 'edit 5'],
      [6, 'edit 6'],
    ]);
    await again.acknowledge([3, 5, 6]);
    expect(await again.compact()).toEqual({ removed: 3, kept: 0 });
    await again.close();
    const empty = await openJournal();
    expect(empty.entries()).toEqual([]);
    expect((await empty.append({ text: 'edit 7' })).seq).toBe(7);
  });

  it('clears the temp files of a compaction killed before its rename, and nothing else', async () => {
    await journalWith(2);
    writeFileSync(join(dir, '.outbox.journal.4242.0123456789ab.tmp'), randomBytes(100));
    writeFileSync(join(dir, '.outbox.journal.notes'), 'mine');
    writeFileSync(join(dir, 'other.journal.4242.0123456789ab.tmp'), 'not ours');
    const journal = await openJournal();
    expect(texts(journal)).toEqual(['edit 1', 'edit 2']);
    expect(readdirSync(dir).sort()).toEqual(['.outbox.journal.notes', 'other.journal.4242.0123456789ab.tmp', 'outbox.journal']);
  });

  it('refuses use after close with outbox_unavailable', async () => {
    const journal = await openOutboxJournal(path, key);
    await journal.close();
    await expect(journal.append({ text: 'late' })).rejects.toMatchObject({ code: 'outbox_unavailable' });
  });
});

describe('outbox journal in a child process: SIGKILL, full disk', () => {
  const fixture = fileURLToPath(new URL('./outbox-append-loop.fixture.ts', import.meta.url));

  /**
   * Runs the fixture's loop in a child until it has reported `atLeast` lines, then
   * kills it with SIGKILL at a random moment; returns every line it reported.
   */
  const runUntilKilled = (round: number, mode: 'append' | 'churn', atLeast: number, maxDelayMs: number): Promise<{ lines: string[]; truncated: number }> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, path, key.toString('hex'), String(round), mode], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const reported: string[] = [];
      let truncated = 0;
      let buffered = '';
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          if (line.startsWith('open ')) truncated = Number(line.slice(5));
          else reported.push(line);
        }
        if (reported.length >= atLeast && !child.killed) setTimeout(() => child.kill('SIGKILL'), Math.random() * maxDelayMs);
      });
      // 'close', not 'exit': every line the child wrote before it died must have been read.
      child.on('close', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`child exited with ${code}: ${stderr}`));
        else resolve({ lines: reported, truncated });
      });
    });

  const appendUntilKilled = async (round: number, atLeast: number): Promise<{ seqs: number[]; truncated: number }> => {
    const { lines, truncated } = await runUntilKilled(round, 'append', atLeast, 5);
    return { seqs: lines.map(Number), truncated };
  };

  it('keeps every entry whose append resolved, exactly once and in order, across repeated kills', async () => {
    const acknowledged: Array<{ seq: number; round: number }> = [];
    const rounds = 6;
    const tornTails: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const { seqs, truncated } = await appendUntilKilled(round, 20 + Math.floor(Math.random() * 40));
      acknowledged.push(...seqs.map((seq) => ({ seq, round })));
      if (truncated > 0) tornTails.push(truncated);
    }
    const journal = await openJournal();
    if (journal.recovery.truncatedBytes > 0) tornTails.push(journal.recovery.truncatedBytes);
    const entries = (journal as unknown as OutboxJournal<{ round: number; n: number }>).pending();
    const bySeq = new Map(entries.map((e) => [e.seq, e]));
    for (const { seq, round } of acknowledged) expect(bySeq.get(seq)?.payload.round, `seq ${seq}`).toBe(round);
    const seqs = entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const roundOrder = entries.map((e) => e.payload.round);
    expect(roundOrder, 'a later round never precedes an earlier one').toEqual([...roundOrder].sort((a, b) => a - b));
    expect(new Set(entries.map((e) => e.idempotencyKey)).size).toBe(entries.length);
    // A killed process never leaves half a record here (its one pwrite completes in the page cache);
    // torn tails come from power loss, which the every-byte-offset test above stands in for.
    // Within a round the child's edits are consecutive n = 0, 1, 2, … and only the very last may be unreported.
    for (let round = 0; round < rounds; round += 1) {
      const ns = entries.filter((e) => e.payload.round === round).map((e) => e.payload.n);
      expect(ns).toEqual(ns.map((_, i) => i));
      const reported = acknowledged.filter((a) => a.round === round).length;
      expect(ns.length - reported, `round ${round}`).toBeGreaterThanOrEqual(0);
      expect(ns.length - reported, `round ${round}`).toBeLessThanOrEqual(1);
    }
    console.warn(
      `outbox SIGKILL test: ${rounds} kills, ${acknowledged.length} acknowledged appends, ${entries.length} entries on disk, torn tails cut off: [${tornTails.join(', ')}] bytes`,
    );
  }, 180_000);

  it('refuses further appends after a failed write (disk full) and leaves no half record behind', async () => {
    // A real write failure: the child runs under a 4 KiB file size limit with SIGXFSZ ignored, so write() fails with EFBIG.
    const { stdout } = await run('bash', ['-c', 'ulimit -f 4; trap "" XFSZ; exec "$@"', 'fill', process.execPath, '--import', 'tsx', fixture, path, key.toString('hex'), '0', 'fill']);
    const lines = stdout.trim().split('\n');
    expect(lines.at(-2)).toBe('error outbox_unavailable');
    expect(lines.at(-1)).toMatch(/^again outbox_unavailable: The offline outbox failed a write \(.*EFBIG.*\); reopen it before saving more edits\.$/);
    const saved = lines.slice(1, -2).map(Number);
    expect(saved.length).toBeGreaterThan(3);
    const journal = await openJournal();
    expect(journal.recovery.truncatedBytes, 'the failed append was cut back before the child exited').toBe(0);
    expect(journal.pending().map((e) => e.seq)).toEqual(saved);
  });

  it('never loses an unacknowledged entry nor reuses a seq when killed while acknowledging and compacting', async () => {
    const appended: number[] = [];
    const acked = new Set<number>();
    // Acknowledgements the child started but did not live to report: either outcome is right.
    const acking = new Set<number>();
    let compactions = 0;
    const rounds = 4;
    for (let round = 0; round < rounds; round += 1) {
      const { lines } = await runUntilKilled(round, 'churn', 10 + Math.floor(Math.random() * 40), 20);
      for (const line of lines) {
        const [what, ...seqs] = line.split(' ');
        if (what === 'a') appended.push(Number(seqs[0]));
        else if (what === 'K') seqs.forEach((s) => acking.add(Number(s)));
        else if (what === 'k') seqs.forEach((s) => acked.add(Number(s)));
        else if (what === 'c') compactions += 1;
      }
    }
    expect(new Set(appended).size, 'a seq was issued twice').toBe(appended.length);
    expect(compactions).toBeGreaterThan(0);
    const journal = await openJournal();
    expect(readdirSync(dir), 'temp files of killed compactions are cleared on open').toEqual(['outbox.journal']);
    const pending = journal.pending().map((e) => e.seq);
    expect(pending).toEqual([...new Set(pending)].sort((a, b) => a - b));
    for (const seq of appended) {
      if (acked.has(seq)) expect(pending, `acknowledged seq ${seq} is pending again`).not.toContain(seq);
      else if (!acking.has(seq)) expect(pending, `unacknowledged seq ${seq} was lost`).toContain(seq);
    }
    // Besides those, at most the one unreported append of each killed round.
    expect(pending.filter((s) => !appended.includes(s)).length).toBeLessThanOrEqual(rounds);
    console.warn(`outbox churn test: ${rounds} kills, ${appended.length} appends, ${acked.size} acknowledged, ${compactions} compactions, ${pending.length} pending`);
  }, 180_000);
});
