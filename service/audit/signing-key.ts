import { existsSync, readFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { replaceFileDurably } from '../../shared/node/durable-file';
import { keyIdOf, toBase64, type AuditKey } from '../../shared/audit/tree-head';
import type { PlatformTx } from '../db/db';
import { ed25519RawPublicKey, ed25519Sign, generateEd25519KeyPair } from './ed25519';

/** The key that signs tree heads; only its public half leaves the data directory (audit_signing_keys). */
export interface AuditSigner {
  readonly keyId: string;
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export const signerFromKey = (privateKey: KeyObject): AuditSigner => {
  const publicKey = ed25519RawPublicKey(createPublicKey(privateKey));
  return { keyId: keyIdOf(publicKey), publicKey, sign: (message) => ed25519Sign(privateKey, message) };
};

/** A signer that lives only in memory: for tests and benchmarks. */
export const ephemeralAuditSigner = (): AuditSigner => signerFromKey(generateEd25519KeyPair().privateKey);

export const signingKeyPath = (dataDir: string): string => join(dataDir, 'keys', 'audit-signing', 'current.pem');

/** Writes a new key (0600, PKCS#8 PEM, durably) over the current one: a retired key can sign nothing afterwards. */
const writeNewKey = async (path: string): Promise<void> => {
  const pem = generateEd25519KeyPair().privateKey.export({ format: 'pem', type: 'pkcs8' });
  await replaceFileDurably(path, pem);
};

/** Loads `<dataDir>/keys/audit-signing/current.pem`, creating it on first start. */
export const loadOrCreateAuditSigner = async (dataDir: string): Promise<AuditSigner> => {
  const path = signingKeyPath(dataDir);
  if (!existsSync(path)) await writeNewKey(path);
  const key = createPrivateKey(readFileSync(path, 'utf8'));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${path} is not an Ed25519 private key`);
  return signerFromKey(key);
};

/** Replaces the signing key in the data directory; publishAuditKey then retires the old one. */
export const rotateAuditSigningKey = async (dataDir: string): Promise<AuditSigner> => {
  await writeNewKey(signingKeyPath(dataDir));
  return loadOrCreateAuditSigner(dataDir);
};

/**
 * Publishes the signer's public key (once) and retires every other published
 * key that is still current: old keys stay listed so old heads still verify.
 */
export const publishAuditKey = async (tx: PlatformTx, signer: AuditSigner, now: Date): Promise<void> => {
  await tx.query('UPDATE audit_signing_keys SET retired_at = $2 WHERE retired_at IS NULL AND key_id <> $1', [signer.keyId, now.toISOString()]);
  await tx.query('INSERT INTO audit_signing_keys (key_id, public_key, created_at) VALUES ($1, $2, $3) ON CONFLICT (key_id) DO NOTHING', [
    signer.keyId,
    Buffer.from(signer.publicKey),
    now.toISOString(),
  ]);
};

export const listAuditKeys = async (tx: PlatformTx): Promise<AuditKey[]> => {
  const rows = await tx.query<{ key_id: string; public_key: Uint8Array; created_at: Date | string; retired_at: Date | string | null }>(
    'SELECT key_id, public_key, created_at, retired_at FROM audit_signing_keys ORDER BY created_at, key_id',
  );
  return rows.map((r) => ({
    keyId: r.key_id,
    algorithm: 'Ed25519',
    publicKey: toBase64(Uint8Array.from(r.public_key)),
    createdAt: new Date(r.created_at).toISOString(),
    retiredAt: r.retired_at === null ? null : new Date(r.retired_at).toISOString(),
  }));
};
