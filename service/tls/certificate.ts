// @peculiar/x509 resolves its ASN.1 providers through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { createPrivateKey, createPublicKey, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { replaceFileDurably } from '../../shared/node/durable-file';
import { spkiFingerprint } from './spki-fingerprint';

export interface TlsMaterial {
  /** PEM; never leaves the data directory (and this process). */
  readonly key: string;
  readonly cert: string;
  readonly fingerprint: string;
  readonly notAfter: Date;
}

export interface EnsureCertificateOptions {
  now?: () => Date;
  /** Re-issue when the certificate expires within this many days (default 30). */
  renewWithinDays?: number;
  validityDays?: number;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export const tlsPaths = (dataDir: string) => {
  const dir = join(dataDir, 'tls');
  return { dir, key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem') };
};

const assertPrivate = (path: string): void => {
  if (process.platform === 'win32') return;
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) {
    throw new Error(
      `${path} is readable by other users (mode ${mode.toString(8).padStart(4, '0')}); ` +
        `run "chmod 600 ${path}" (and consider the key compromised if others could read it)`,
    );
  }
};

const issue = async (privateKey: KeyObject, now: Date, validityDays: number): Promise<string> => {
  const signingKey = await webcrypto.subtle.importKey(
    'pkcs8',
    privateKey.export({ type: 'pkcs8', format: 'der' }),
    ALGORITHM,
    false,
    ['sign'],
  );
  const publicKey = await webcrypto.subtle.importKey(
    'spki',
    createPublicKey(privateKey).export({ type: 'spki', format: 'der' }),
    ALGORITHM,
    true,
    ['verify'],
  );
  const name = 'CN=Attest service (localhost)';
  const cert = await x509.X509CertificateGenerator.create(
    {
      subject: name,
      issuer: name,
      publicKey,
      signingKey,
      signingAlgorithm: SIGNING,
      // A little slack for clocks of clients on the same machine that run behind.
      notBefore: new Date(now.getTime() - 5 * 60_000),
      notAfter: new Date(now.getTime() + validityDays * DAY),
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([
          { type: 'ip', value: '127.0.0.1' },
          { type: 'ip', value: '::1' },
          { type: 'dns', value: 'localhost' },
        ]),
        await x509.SubjectKeyIdentifierExtension.create(publicKey, false, webcrypto),
      ],
    },
    webcrypto,
  );
  return cert.toString('pem');
};

const generateKey = async (): Promise<KeyObject> => {
  const pair = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const der = await webcrypto.subtle.exportKey('pkcs8', pair.privateKey);
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
};

const usable = (certPem: string, privateKey: KeyObject, now: Date, renewWithinDays: number): boolean => {
  try {
    const cert = new X509Certificate(certPem);
    return cert.checkPrivateKey(privateKey) && new Date(cert.validTo).getTime() - now.getTime() > renewWithinDays * DAY;
  } catch {
    return false;
  }
};

/**
 * The service's TLS identity in `<dataDir>/tls`: an ECDSA P-256 key (0600) and a
 * self-signed certificate for 127.0.0.1, ::1 and localhost. Created on first
 * start. A certificate close to expiry (or missing) is re-issued for the same key,
 * so clients' SPKI pins keep working; the key itself is never replaced silently.
 */
export const ensureCertificate = async (dataDir: string, options: EnsureCertificateOptions = {}): Promise<TlsMaterial> => {
  const now = (options.now ?? (() => new Date()))();
  const paths = tlsPaths(dataDir);
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });

  let privateKey: KeyObject;
  if (existsSync(paths.key)) {
    assertPrivate(paths.key);
    try {
      privateKey = createPrivateKey(readFileSync(paths.key));
    } catch (err) {
      throw new Error(`cannot read the TLS key ${paths.key}: ${(err as Error).message}`, { cause: err });
    }
  } else {
    privateKey = await generateKey();
    // Durably (temp file, fsync, rename, fsync of the folder): a crash never leaves a half-written key or certificate.
    await replaceFileDurably(paths.key, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  }

  let cert = existsSync(paths.cert) ? readFileSync(paths.cert, 'utf8') : '';
  if (!usable(cert, privateKey, now, options.renewWithinDays ?? 30)) {
    cert = await issue(privateKey, now, options.validityDays ?? 365);
    await replaceFileDurably(paths.cert, cert, { mode: 0o644 });
  }
  const x = new X509Certificate(cert);
  return {
    key: readFileSync(paths.key, 'utf8'),
    cert,
    fingerprint: spkiFingerprint(x),
    notAfter: new Date(x.validTo),
  };
};
