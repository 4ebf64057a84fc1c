import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { gcmOpen, gcmSeal } from './aead';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const VECTORS = resolve(repoRoot, '..', 'shared', 'vectors', 'wycheproof', 'aes_gcm_test.json');

const Test = z.object({
  tcId: z.number(),
  comment: z.string(),
  key: z.string(),
  iv: z.string(),
  aad: z.string(),
  msg: z.string(),
  ct: z.string(),
  tag: z.string(),
  result: z.enum(['valid', 'invalid', 'acceptable']),
  flags: z.array(z.string()),
});
const File = z.object({ algorithm: z.literal('AES-GCM'), testGroups: z.array(z.object({ tagSize: z.number(), tests: z.array(Test) })) });

const file = File.parse(JSON.parse(readFileSync(VECTORS, 'utf8')));
const tests = file.testGroups.flatMap((g) => g.tests);
const hex = (s: string) => Buffer.from(s, 'hex');

describe('AES-GCM against Wycheproof', () => {
  it('has vectors to run', () => {
    expect(tests.length).toBeGreaterThan(300);
  });

  it('opens every valid case to its plaintext and seals it to the same ciphertext and tag', () => {
    const valid = tests.filter((t) => t.result === 'valid');
    for (const t of valid) {
      const opened = gcmOpen(hex(t.key), hex(t.iv), hex(t.ct), hex(t.tag), hex(t.aad));
      expect([t.tcId, opened.toString('hex')]).toEqual([t.tcId, t.msg]);
      const sealed = gcmSeal(hex(t.key), hex(t.iv), hex(t.msg), hex(t.aad), hex(t.tag).length);
      expect([t.tcId, sealed.ciphertext.toString('hex'), sealed.tag.toString('hex')]).toEqual([t.tcId, t.ct, t.tag]);
    }
  });

  it('rejects every invalid case', () => {
    const invalid = tests.filter((t) => t.result === 'invalid');
    expect(invalid.length).toBeGreaterThan(0);
    for (const t of invalid) {
      let opened: Buffer | null = null;
      try {
        opened = gcmOpen(hex(t.key), hex(t.iv), hex(t.ct), hex(t.tag), hex(t.aad));
      } catch {
        opened = null;
      }
      expect([t.tcId, t.comment, opened]).toEqual([t.tcId, t.comment, null]);
    }
  });
});
