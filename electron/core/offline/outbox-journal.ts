import { randomBytes, randomUUID } from 'node:crypto';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { CoreError, describeCause } from '../core-error';
import { removeStaleTempFiles, replaceFileDurably, writeAll } from '../../../shared/node/durable-file';
import { checkKey, checksum, open as unseal, seal, NONCE_BYTES, TAG_BYTES } from './sealed-box';

/**
 * The outbox: offline edits, appended to one file and fsynced before `append`
 * resolves — the moment the console may show an edit as "saved, pending sync".
 *
 * File: a 64-byte header, then records.
 *   header  "ATOJ" | version u8 | 3 zero bytes | journal id (16) | next seq u64 (the
 *           floor for new seqs: compaction may have removed the highest ones)
 *           | key check: nonce (12) + GCM tag (16) of nothing, header bytes 0–31 as AAD
 *           | CRC-32 of bytes 0–59
 *   record  body length u32 | CRC-32 of those 4 bytes | body | CRC-32 of body
 *   body    type u8 (1 entry, 2 ack) | seq u64 | nonce (12) | ciphertext | tag (16);
 *           AAD: journal id | type | seq
 * The length has its own checksum so that a flipped length in the middle is never
 * mistaken for a torn tail: only a record that runs past the end of the file, or
 * the very last one, is taken for an interrupted append and cut off.
 */
const MAGIC = Buffer.from('ATOJ', 'ascii');
const VERSION = 1;
const HEADER_BYTES = 64;
const BODY_FIXED = 1 + 8 + NONCE_BYTES + TAG_BYTES;
/** One edit is a note or a field change; anything near this is not an edit. */
export const MAX_ENTRY_BYTES = 1024 * 1024;
const MAX_BODY = BODY_FIXED + MAX_ENTRY_BYTES;

const ENTRY = 1;
const ACK = 2;

export interface OutboxEntry<P = unknown> {
  /** Local order of the edit; increases by one per append and never repeats, compaction included. */
  readonly seq: number;
  /** Sent with the edit; the service applies an edit once however often it is resent. */
  readonly idempotencyKey: string;
  readonly createdAt: string;
  readonly payload: P;
}

export interface OutboxRecovery {
  /** Bytes of an interrupted last append cut off on open (0 when the file ended cleanly). */
  readonly truncatedBytes: number;
}

export interface OutboxJournal<P = unknown> {
  readonly path: string;
  readonly recovery: OutboxRecovery;
  /** Resolves once the edit is on disk (fsynced). */
  append(payload: P, options?: { idempotencyKey?: string }): Promise<OutboxEntry<P>>;
  /** Records that the service has applied these edits (fsynced); unknown or repeated seqs are ignored. */
  acknowledge(seqs: readonly number[]): Promise<void>;
  /** Edits not yet acknowledged, in seq order: what sync pushes. */
  pending(): OutboxEntry<P>[];
  /** Every edit still in the file, acknowledged or not, in seq order. */
  entries(): Array<OutboxEntry<P> & { acknowledged: boolean }>;
  /** Rewrites the file without acknowledged edits (atomically: a crash leaves the old file or the new one). */
  compact(): Promise<{ removed: number; kept: number }>;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

const corrupt = (path: string, detail: string): CoreError =>
  new CoreError('outbox_corrupt', `The offline outbox ${path} is damaged (${detail}); it was left as it is. Unsynced edits in it cannot be read.`);

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

const recordAad = (journalId: Buffer, type: number, seq: number): Buffer => {
  const aad = Buffer.alloc(16 + 1 + 8);
  journalId.copy(aad, 0);
  aad[16] = type;
  aad.writeBigUInt64BE(BigInt(seq), 17);
  return aad;
};

const encodeHeader = (key: Uint8Array, journalId: Buffer, nextSeqFloor: number): Buffer => {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header[4] = VERSION;
  journalId.copy(header, 8);
  header.writeBigUInt64BE(BigInt(nextSeqFloor), 24);
  const check = seal(key, Buffer.alloc(0), header.subarray(0, 32));
  check.nonce.copy(header, 32);
  check.tag.copy(header, 44);
  header.writeUInt32BE(checksum(header.subarray(0, 60)), 60);
  return header;
};

const encodeRecord = (key: Uint8Array, journalId: Buffer, type: number, seq: number, plaintext: Uint8Array): Buffer => {
  const sealed = seal(key, plaintext, recordAad(journalId, type, seq));
  const body = Buffer.alloc(BODY_FIXED + sealed.ciphertext.length);
  body[0] = type;
  body.writeBigUInt64BE(BigInt(seq), 1);
  sealed.nonce.copy(body, 9);
  sealed.ciphertext.copy(body, 9 + NONCE_BYTES);
  sealed.tag.copy(body, body.length - TAG_BYTES);
  const length = u32(body.length);
  return Buffer.concat([length, u32(checksum(length)), body, u32(checksum(body))]);
};

interface Parsed {
  journalId: Buffer;
  nextSeq: number;
  entries: Map<number, OutboxEntry>;
  acked: Set<number>;
  validEnd: number;
}

function parseHeader(path: string, bytes: Buffer, key: Uint8Array): { journalId: Buffer; nextSeqFloor: number } {
  if (bytes.length >= MAGIC.length && !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new CoreError('outbox_unsupported_format', `${path} is not an Attest outbox journal; it was left as it is.`);
  }
  if (bytes.length < HEADER_BYTES) throw corrupt(path, `only ${bytes.length} bytes, shorter than its header`);
  if (bytes.readUInt32BE(60) !== checksum(bytes.subarray(0, 60))) throw corrupt(path, 'header checksum mismatch');
  if (bytes[4] !== VERSION) {
    throw new CoreError('outbox_unsupported_format', `${path} is an outbox journal of version ${bytes[4]}; this console reads version ${VERSION}.`);
  }
  if (unseal(key, bytes.subarray(32, 44), Buffer.alloc(0), bytes.subarray(44, 60), bytes.subarray(0, 32)) === null) {
    throw new CoreError('outbox_key_mismatch', `The offline outbox ${path} was written under another key; it was left as it is.`);
  }
  return { journalId: Buffer.from(bytes.subarray(8, 24)), nextSeqFloor: Number(bytes.readBigUInt64BE(24)) };
}

const allZero = (bytes: Uint8Array): boolean => bytes.every((b) => b === 0);

function parse(path: string, bytes: Buffer, key: Uint8Array): Parsed {
  const { journalId, nextSeqFloor } = parseHeader(path, bytes, key);
  const entries = new Map<number, OutboxEntry>();
  const acked = new Set<number>();
  let lastSeq = 0;
  let pos = HEADER_BYTES;
  while (pos < bytes.length) {
    const rest = bytes.length - pos;
    // An append cut short before its 8-byte frame header was complete.
    if (rest < 8) break;
    const length = bytes.readUInt32BE(pos);
    if (bytes.readUInt32BE(pos + 4) !== checksum(bytes.subarray(pos, pos + 4))) {
      // Blocks allocated but never written read back as zeros after a crash.
      if (allZero(bytes.subarray(pos))) break;
      throw corrupt(path, `record length at byte ${pos} fails its checksum`);
    }
    if (length < BODY_FIXED || length > MAX_BODY) throw corrupt(path, `record at byte ${pos} has an impossible length ${length}`);
    const end = pos + 8 + length + 4;
    if (end > bytes.length) break;
    const body = bytes.subarray(pos + 8, pos + 8 + length);
    if (bytes.readUInt32BE(pos + 8 + length) !== checksum(body)) {
      if (end === bytes.length) break;
      throw corrupt(path, `record at byte ${pos} fails its checksum`);
    }
    const type = body[0]!;
    const seq = Number(body.readBigUInt64BE(1));
    const nonce = body.subarray(9, 9 + NONCE_BYTES);
    const ciphertext = body.subarray(9 + NONCE_BYTES, length - TAG_BYTES);
    const plaintext = unseal(key, nonce, ciphertext, body.subarray(length - TAG_BYTES), recordAad(journalId, type, seq));
    if (plaintext === null) throw corrupt(path, `record at byte ${pos} fails authentication`);
    const value = JSON.parse(plaintext.toString('utf8')) as Record<string, unknown>;
    if (type === ENTRY) {
      if (seq <= lastSeq) throw corrupt(path, `record at byte ${pos} has seq ${seq} after ${lastSeq}`);
      entries.set(seq, { seq, idempotencyKey: value.k as string, createdAt: value.at as string, payload: value.p });
      lastSeq = seq;
    } else if (type === ACK) {
      for (const s of value.seqs as number[]) if (entries.has(s)) acked.add(s);
    } else {
      throw corrupt(path, `record at byte ${pos} has unknown type ${type}`);
    }
    pos = end;
  }
  return { journalId, nextSeq: Math.max(lastSeq + 1, nextSeqFloor), entries, acked, validEnd: pos };
}

const exists = async (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );

/**
 * Opens the journal at `path`, creating it when missing. An interrupted last
 * append is cut off (reported in `recovery`); damage anywhere else, a wrong key or
 * a foreign file is refused with a CoreError and the file is left untouched.
 */
export async function openOutboxJournal<P = unknown>(path: string, key: Uint8Array): Promise<OutboxJournal<P>> {
  checkKey(key, 'outbox');
  const sealKey = Buffer.from(key);
  // One process owns the journal, so any temp file of it is the remains of a killed compaction.
  await removeStaleTempFiles(path);
  if (!(await exists(path))) await replaceFileDurably(path, encodeHeader(sealKey, randomBytes(16), 1));

  let handle: FileHandle = await open(path, 'r+');
  let state: Parsed;
  let truncatedBytes = 0;
  try {
    const bytes = await handle.readFile();
    state = parse(path, bytes, sealKey);
    if (state.validEnd < bytes.length) {
      truncatedBytes = bytes.length - state.validEnd;
      await handle.truncate(state.validEnd);
      await handle.sync();
    }
  } catch (error) {
    await handle.close();
    throw error;
  }

  let end = state.validEnd;
  let nextSeq = state.nextSeq;
  let closed = false;
  /** After a failed write or fsync the kernel's view of the file can no longer be trusted; only a reopen (which re-reads it) can. */
  let failed: unknown = null;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(() => {
      if (closed) throw new CoreError('outbox_unavailable', 'The offline outbox is closed.');
      if (failed !== null) throw new CoreError('outbox_unavailable', `The offline outbox failed a write (${describeCause(failed)}); reopen it before saving more edits.`);
      return task();
    });
    queue = run.catch(() => undefined);
    return run;
  };

  /** Appends one record durably; on failure the file is cut back so no half record stays behind. */
  const appendRecord = async (record: Buffer): Promise<void> => {
    try {
      await writeAll(handle, record, end);
      await handle.datasync();
    } catch (error) {
      failed = error;
      await handle.truncate(end).catch(() => undefined);
      throw new CoreError('outbox_unavailable', `The edit was not saved: the outbox could not be written (${describeCause(error)}).`, { cause: error });
    }
    end += record.length;
  };

  return {
    path,
    recovery: { truncatedBytes },
    append: (payload, options = {}) =>
      serial(async () => {
        const idempotencyKey = options.idempotencyKey ?? randomUUID();
        if (!UUID.test(idempotencyKey)) throw new CoreError('invalid_input', 'An idempotency key is a UUID.');
        const plaintext = Buffer.from(JSON.stringify({ k: idempotencyKey, at: new Date().toISOString(), p: payload }), 'utf8');
        if (plaintext.length > MAX_ENTRY_BYTES) throw new CoreError('payload_too_large', `An offline edit holds at most ${MAX_ENTRY_BYTES} bytes.`);
        const seq = nextSeq;
        const value = JSON.parse(plaintext.toString('utf8')) as { at: string; p: P };
        await appendRecord(encodeRecord(sealKey, state.journalId, ENTRY, seq, plaintext));
        nextSeq = seq + 1;
        const entry: OutboxEntry<P> = { seq, idempotencyKey, createdAt: value.at, payload: value.p };
        state.entries.set(seq, entry);
        return entry;
      }),
    acknowledge: (seqs) =>
      serial(async () => {
        const fresh = [...new Set(seqs)].filter((s) => state.entries.has(s) && !state.acked.has(s));
        if (fresh.length === 0) return;
        await appendRecord(encodeRecord(sealKey, state.journalId, ACK, 0, Buffer.from(JSON.stringify({ seqs: fresh }), 'utf8')));
        for (const s of fresh) state.acked.add(s);
      }),
    pending: () => [...state.entries.values()].filter((e) => !state.acked.has(e.seq)) as OutboxEntry<P>[],
    entries: () => [...state.entries.values()].map((e) => ({ ...(e as OutboxEntry<P>), acknowledged: state.acked.has(e.seq) })),
    compact: () =>
      serial(async () => {
        const kept = [...state.entries.values()].filter((e) => !state.acked.has(e.seq));
        const removed = state.entries.size - kept.length;
        if (removed === 0) return { removed, kept: kept.length };
        const records = kept.map((e) =>
          encodeRecord(sealKey, state.journalId, ENTRY, e.seq, Buffer.from(JSON.stringify({ k: e.idempotencyKey, at: e.createdAt, p: e.payload }), 'utf8')),
        );
        // The new file starts its seqs after the last one ever issued, so none repeats.
        const next = Buffer.concat([encodeHeader(sealKey, state.journalId, nextSeq), ...records]);
        await handle.close();
        try {
          await replaceFileDurably(path, next);
        } finally {
          handle = await open(path, 'r+');
        }
        state = { ...state, entries: new Map(kept.map((e) => [e.seq, e])), acked: new Set(), nextSeq, validEnd: next.length };
        end = (await handle.stat()).size;
        return { removed, kept: kept.length };
      }),
    close: () =>
      serial(async () => {
        closed = true;
        await handle.close();
      }),
  };
}
