import { readFileSync, statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../testing/databases';
import { ephemeralKeyRing, keyFilePath, loadOrCreateKeyRing, rotateKeyFile } from './key-ring';

afterAll(removeTempDirs);

describe('the key ring', () => {
  it('seals with the current key id, a fresh nonce and the associated data', () => {
    const ring = ephemeralKeyRing();
    const secret = Buffer.from('totp secret bytes');
    const a = ring.seal(secret, 'user:1');
    const b = ring.seal(secret, 'user:1');
    expect(a).not.toBe(b);
    expect(a.split('.')[1]).toBe(ring.currentKeyId);
    expect(ring.open(a, 'user:1')).toEqual(secret);
    expect(() => ring.open(a, 'user:2')).toThrow(/decryption failed/);
    const parts = a.split('.');
    const tampered = [...parts.slice(0, 3), Buffer.from('x').toString('base64url'), parts[4]].join('.');
    expect(() => ring.open(tampered, 'user:1')).toThrow();
    expect(() => ring.open('garbage', 'user:1')).toThrow(/not a sealed secret/);
  });

  it('creates the key file owner-only on first start, reloads it, and opens old ciphertexts after rotation', async () => {
    const dir = tempDir();
    const first = await loadOrCreateKeyRing(dir);
    if (process.platform !== 'win32') expect(statSync(keyFilePath(dir)).mode & 0o777).toBe(0o600);
    const sealed = first.seal(Buffer.from('s'), 'aad');
    const again = await loadOrCreateKeyRing(dir);
    expect(again.currentKeyId).toBe(first.currentKeyId);
    expect(again.open(sealed, 'aad').toString()).toBe('s');
    const newId = await rotateKeyFile(dir);
    const rotated = await loadOrCreateKeyRing(dir);
    expect(rotated.currentKeyId).toBe(newId);
    expect(rotated.open(sealed, 'aad').toString()).toBe('s');
    expect(rotated.seal(Buffer.from('t'), 'aad').split('.')[1]).toBe(newId);
    expect(Object.keys((JSON.parse(readFileSync(keyFilePath(dir), 'utf8')) as { keys: object }).keys)).toHaveLength(2);
  });
});
