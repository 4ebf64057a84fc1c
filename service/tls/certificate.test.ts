import { X509Certificate } from 'node:crypto';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { SpkiFingerprintSchema } from '../../shared/tls/fingerprint';
import { removeTempDirs, tempDir } from '../testing/databases';
import { ensureCertificate, tlsPaths } from './certificate';
import { spkiFingerprint } from './spki-fingerprint';

const DAY = 86_400_000;

describe('ensureCertificate', () => {
  afterAll(removeTempDirs);

  it('creates an ECDSA P-256 key (0600) and a self-signed certificate for localhost', async () => {
    const dir = tempDir();
    const tls = await ensureCertificate(dir);
    const paths = tlsPaths(dir);
    expect(statSync(paths.key).mode & 0o777).toBe(0o600);
    expect(statSync(paths.dir).mode & 0o777).toBe(0o700);
    expect(readFileSync(paths.key, 'utf8')).toBe(tls.key);

    const cert = new X509Certificate(tls.cert);
    expect(cert.publicKey.asymmetricKeyType).toBe('ec');
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.verify(cert.publicKey)).toBe(true);
    const validDays = (new Date(cert.validTo).getTime() - Date.now()) / DAY;
    expect(validDays).toBeGreaterThan(360);
    expect(validDays).toBeLessThan(367);

    expect(SpkiFingerprintSchema.parse(tls.fingerprint)).toBe(spkiFingerprint(cert));
  });

  it('reuses the key and certificate on the next start', async () => {
    const dir = tempDir();
    const first = await ensureCertificate(dir);
    const second = await ensureCertificate(dir);
    expect(second).toEqual(first);
  });

  it('re-issues a certificate near expiry for the same key, so pins keep working', async () => {
    const dir = tempDir();
    const first = await ensureCertificate(dir);
    const later = new Date(Date.now() + 350 * DAY);
    const renewed = await ensureCertificate(dir, { now: () => later });
    expect(renewed.cert).not.toBe(first.cert);
    expect(renewed.fingerprint).toBe(first.fingerprint);
    expect(renewed.notAfter.getTime()).toBeGreaterThan(later.getTime() + 360 * DAY);
  });

  it('refuses a key file that others can read', async () => {
    const dir = tempDir();
    await ensureCertificate(dir);
    chmodSync(tlsPaths(dir).key, 0o644);
    await expect(ensureCertificate(dir)).rejects.toThrow(/readable by other users.*chmod 600/);
  });
});
