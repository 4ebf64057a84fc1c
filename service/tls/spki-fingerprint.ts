import { createHash, X509Certificate } from 'node:crypto';

/** SHA-256 of the certificate's DER SubjectPublicKeyInfo, lowercase hex (the pin format of shared/tls/fingerprint.ts). */
export const spkiFingerprint = (cert: string | Buffer | X509Certificate): string => {
  const x = cert instanceof X509Certificate ? cert : new X509Certificate(cert);
  return createHash('sha256').update(x.publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
};
