import { z } from 'zod';

/**
 * A certificate pin: the SHA-256 of the certificate's DER-encoded
 * SubjectPublicKeyInfo, as 64 lowercase hex characters. Pinning the key rather
 * than the certificate survives re-issuing a certificate for the same key.
 */
export const SpkiFingerprintSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex characters (SHA-256 of the SPKI)');
export type SpkiFingerprint = z.infer<typeof SpkiFingerprintSchema>;

/** Accepts the forms people paste (upper case, colons, spaces) and returns the canonical one. */
export const normalizeFingerprint = (input: string): string => input.replace(/[\s:]/g, '').toLowerCase();
