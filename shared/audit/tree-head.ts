/**
 * Signed tree heads (STH) and the service's audit signing keys, as served and as
 * signed. The message format is fixed here so the service signs and the console
 * verifies the same bytes.
 */
import canonicalize from 'canonicalize';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';
import { Timestamp, Hex32 } from '../common/primitives';
import { toHex } from './event';

const Base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/);

/** First 16 hex digits of SHA-256(raw public key): derived, so a key cannot claim another's id. */
export const KeyIdSchema = z.string().regex(/^[0-9a-f]{16}$/);

export const SignedTreeHeadSchema = z
  .object({
    tenantId: z.uuid(),
    treeSize: z.number().int().nonnegative(),
    rootHash: Hex32,
    timestamp: Timestamp,
    keyId: KeyIdSchema,
    /** Ed25519 over treeHeadMessage(), base64. */
    signature: Base64,
  })
  .strict()
  .meta({ id: 'SignedTreeHead' });
export type SignedTreeHead = z.infer<typeof SignedTreeHeadSchema>;

export const AuditKeySchema = z
  .object({
    keyId: KeyIdSchema,
    algorithm: z.literal('Ed25519'),
    /** Raw 32-byte public key, base64. */
    publicKey: Base64,
    createdAt: Timestamp,
    /** When it stopped signing; it stays published so old heads still verify. */
    retiredAt: Timestamp.nullable(),
  })
  .strict()
  .meta({ id: 'AuditKey' });
export type AuditKey = z.infer<typeof AuditKeySchema>;

export const AuditKeyListSchema = z.object({ items: z.array(AuditKeySchema) }).strict().meta({ id: 'AuditKeyList' });

const utf8 = new TextEncoder();

export const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
export const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c: string) => c.charCodeAt(0));

export const keyIdOf = (rawPublicKey: Uint8Array): string => toHex(sha256(rawPublicKey)).slice(0, 16);

/** The bytes signed: a domain tag line, then RFC 8785 JSON of every field but the signature. */
export const treeHeadMessage = (head: Omit<SignedTreeHead, 'signature'>): Uint8Array =>
  utf8.encode(
    'attest.audit.sth.v1\n' +
      canonicalize({ tenantId: head.tenantId, treeSize: head.treeSize, rootHash: head.rootHash, timestamp: head.timestamp, keyId: head.keyId }),
  );

export type SignatureVerifier = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

/** Pure-JS Ed25519 (isomorphic); Node callers may pass node:crypto's instead. */
export const nobleEd25519Verify: SignatureVerifier = (publicKey, message, signature) => {
  try {
    return ed25519.verify(signature, message, publicKey);
  } catch {
    return false;
  }
};

/** null when `head` is signed by the key it names and that key is among `keys`; else why not. */
export const treeHeadSignatureProblem = (
  head: SignedTreeHead,
  keys: readonly AuditKey[],
  verify: SignatureVerifier = nobleEd25519Verify,
): string | null => {
  const key = keys.find((k) => k.keyId === head.keyId);
  if (!key) return `tree head of size ${head.treeSize} is signed by unknown key ${head.keyId}`;
  const raw = fromBase64(key.publicKey);
  if (keyIdOf(raw) !== key.keyId) return `key ${key.keyId} does not match its public key`;
  let signature: Uint8Array;
  try {
    signature = fromBase64(head.signature);
  } catch {
    return `tree head of size ${head.treeSize} has a malformed signature`;
  }
  return verify(raw, treeHeadMessage(head), signature) ? null : `tree head of size ${head.treeSize} has a bad signature (key ${head.keyId})`;
};
