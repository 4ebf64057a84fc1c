import { readFile } from 'node:fs/promises';
import { CoreError } from '../core-error';
import { replaceFileDurably } from '../../../shared/node/durable-file';
import { checkKey, open as unseal, seal, NONCE_BYTES, TAG_BYTES } from './sealed-box';

/**
 * The replica snapshot on disk: the sql.js database bytes sealed with AES-256-GCM.
 *   "ATRP" | version u8 | 3 zero bytes | ciphertext length u64
 *   | key check: nonce (12) + GCM tag (16) of nothing, bytes 0–15 as AAD
 *   | nonce (12) | ciphertext | tag (16); bytes 0–43 as AAD
 * The key check tells a wrong key (replica_key_mismatch) from damaged contents
 * (replica_corrupt). Reading never deletes or rewrites the file: after a refusal
 * the console re-syncs from the service and writes a fresh snapshot.
 */
const MAGIC = Buffer.from('ATRP', 'ascii');
export const REPLICA_FILE_VERSION = 1;
const HEADER_BYTES = 56;

/** What every refusal of a replica file tells the user to do: a plain sync keeps a refused file, a re-sync replaces it. */
export const REPLICA_REBUILD_ADVICE = 'It was left in place; choose Re-sync from the service (Incidents) to replace it.';

const refused = (code: 'replica_corrupt' | 'replica_unsupported_format' | 'replica_key_mismatch', path: string, why: string): CoreError =>
  new CoreError(code, `The offline copy ${path} cannot be used: ${why}. ${REPLICA_REBUILD_ADVICE}`);

export function sealReplica(bytes: Uint8Array, key: Uint8Array): Buffer {
  checkKey(key, 'replica');
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header[4] = REPLICA_FILE_VERSION;
  header.writeBigUInt64BE(BigInt(bytes.length), 8);
  const check = seal(key, Buffer.alloc(0), header.subarray(0, 16));
  check.nonce.copy(header, 16);
  check.tag.copy(header, 28);
  const sealed = seal(key, bytes, header.subarray(0, 44));
  sealed.nonce.copy(header, 44);
  return Buffer.concat([header, sealed.ciphertext, sealed.tag]);
}

export function openReplica(file: Buffer, key: Uint8Array, path: string): Buffer {
  checkKey(key, 'replica');
  if (file.length === 0) throw refused('replica_corrupt', path, 'the file is empty');
  if (file.length < MAGIC.length || !file.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw refused('replica_unsupported_format', path, 'it is not an Attest replica file');
  }
  if (file.length < HEADER_BYTES) throw refused('replica_corrupt', path, `it is truncated (${file.length} bytes, shorter than its header)`);
  if (file[4] !== REPLICA_FILE_VERSION) {
    throw refused('replica_unsupported_format', path, `it is a replica file of version ${file[4]}; this console reads version ${REPLICA_FILE_VERSION}`);
  }
  const length = file.readBigUInt64BE(8);
  const expected = BigInt(HEADER_BYTES + TAG_BYTES) + length;
  if (BigInt(file.length) !== expected) throw refused('replica_corrupt', path, `it is ${file.length} bytes where its header says ${expected}`);
  if (unseal(key, file.subarray(16, 16 + NONCE_BYTES), Buffer.alloc(0), file.subarray(28, 44), file.subarray(0, 16)) === null) {
    throw refused('replica_key_mismatch', path, 'it was written under another key');
  }
  const ciphertext = file.subarray(HEADER_BYTES, file.length - TAG_BYTES);
  const plaintext = unseal(key, file.subarray(44, HEADER_BYTES), ciphertext, file.subarray(file.length - TAG_BYTES), file.subarray(0, 44));
  if (plaintext === null) throw refused('replica_corrupt', path, 'its contents fail authentication');
  return plaintext;
}

/** Writes the snapshot durably: temp file, fsync, rename, fsync of the directory. */
export async function writeReplicaFile(path: string, bytes: Uint8Array, key: Uint8Array): Promise<void> {
  await replaceFileDurably(path, sealReplica(bytes, key));
}

/** The snapshot's database bytes, or null when there is no snapshot yet. */
export async function readReplicaFile(path: string, key: Uint8Array): Promise<Buffer | null> {
  let file: Buffer;
  try {
    file = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return openReplica(file, key, path);
}
