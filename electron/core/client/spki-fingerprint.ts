import { createHash, type X509Certificate } from 'node:crypto';

/** Lowercase hex SHA-256 of a certificate's DER SubjectPublicKeyInfo (shared/tls/fingerprint.ts). */
export const spkiFingerprintOf = (certificate: X509Certificate): string =>
  createHash('sha256')
    .update(certificate.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
