/**
 * One audit event as the service stores and serves it, and the exact bytes that
 * become its Merkle leaf. Shared so that the service (writing, `audit verify`)
 * and the console (checking proofs, offline "Verify log") hash identically.
 *
 * Personal data (names, emails, IPs, free text) never enters the leaf. The leaf
 * holds a salted commitment to it; the data and salt sit beside the event and
 * can be erased, after which the event still verifies (its commitment is kept).
 */
import canonicalize from 'canonicalize';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { Timestamp, Hex32 } from '../common/primitives';


export const AUDIT_ACTOR_TYPES = ['operator', 'system', 'user', 'anonymous'] as const;
export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;

export const AuditActorSchema = z
  .object({
    type: z.enum(AUDIT_ACTOR_TYPES),
    /** A user, token or system component id — pseudonymous, never an email. */
    id: z.string().min(1).max(200),
  })
  .strict();
export type AuditActor = z.infer<typeof AuditActorSchema>;

export const AuditOutcomeSchema = z.enum(AUDIT_OUTCOMES);
export type AuditOutcome = z.infer<typeof AuditOutcomeSchema>;

/** `domain.verb`, e.g. session.revoked. */
export const AuditActionSchema = z.string().regex(/^[a-z_]+(\.[a-z_]+)+$/).max(100);

/** JSON values only (what canonical JSON can encode). */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const JsonSchema: z.ZodType<Json> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonSchema), z.record(z.string(), JsonSchema)]),
);
export const AuditDetailsSchema = z.record(z.string(), JsonSchema);
export type AuditDetails = z.infer<typeof AuditDetailsSchema>;

/** Personal data of an event, erasable: ip, email, name, free text, … */
export const AuditPersonalSchema = z
  .object({
    /** 16 random bytes, base64url: without it, the commitment cannot be brute-forced from guessed emails or IPs. */
    salt: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
    data: z.record(z.string(), JsonSchema),
  })
  .strict();
export type AuditPersonal = z.infer<typeof AuditPersonalSchema>;

export const AuditEventSchema = z
  .object({
    /** The tenant's id, or the nil UUID for the platform's own log. */
    tenantId: z.uuid(),
    /** 1, 2, 3, … with no gaps, per tenant; leaf index = seq − 1. */
    seq: z.number().int().positive(),
    /** Millisecond precision, UTC, as hashed. */
    at: Timestamp,
    actor: AuditActorSchema,
    action: AuditActionSchema,
    /** `kind:id` of what was acted on. */
    target: z.string().min(1).max(300),
    outcome: AuditOutcomeSchema,
    requestId: z.string().max(100).nullable(),
    /** Non-personal details: hashed into the leaf, so any change is detected. */
    details: AuditDetailsSchema,
    /** hex SHA-256 commitment to `personal` (kept after erasure). */
    personalCommitment: Hex32,
    /** null once erased (or where the reader may not see personal data). */
    personal: AuditPersonalSchema.nullable(),
  })
  .strict()
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof AuditEventSchema>;

const utf8 = new TextEncoder();
const PERSONAL_DOMAIN = utf8.encode('attest.audit.personal.v1\0');

const canonicalJson = (value: unknown): string => {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
};

export const toHex = (bytes: Uint8Array): string => bytesToHex(bytes);

export const fromHex = (hex: string): Uint8Array => {
  if (!/^(?:[0-9a-f]{2})*$/i.test(hex)) throw new TypeError('not hex');
  return hexToBytes(hex.toLowerCase());
};

const fromBase64Url = (text: string): Uint8Array => {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c: string) => c.charCodeAt(0));
};

/** One-shot SHA-256; Node callers may pass node:crypto's, which is several times faster than the pure-JS default. */
export type Sha256 = (input: Uint8Array) => Uint8Array;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const SEXTET = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64URL.length; i++) SEXTET[BASE64URL.charCodeAt(i)] = i;

/**
 * Decodes unpadded base64url into out at offset; returns the byte count, or -1 for a
 * character outside the alphabet. Trailing bits of a last partial group are ignored, as atob does.
 */
const base64UrlInto = (text: string, out: Uint8Array, offset: number): number => {
  let bits = 0;
  let acc = 0;
  let at = offset;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? SEXTET[c]! : -1;
    if (v < 0) return -1;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >> bits) & 0xff;
    }
  }
  return at - offset;
};

/** TextEncoder as every runtime has it (shared/'s lib declares only encode). */
type Utf8Encoder = { encodeInto(text: string, into: Uint8Array): { written: number } };
const utf8Into = utf8 as unknown as Utf8Encoder;

/** RFC 8785 JSON of a record of strings (the usual personal data: an IP, an email), without the general canonicaliser. */
const canonicalStringRecord = (data: Record<string, unknown>): string | null => {
  const keys = Object.keys(data).sort();
  let text = '{';
  for (let i = 0; i < keys.length; i++) {
    const value = data[keys[i]!];
    if (typeof value !== 'string') return null;
    text += (i === 0 ? '' : ',') + JSON.stringify(keys[i]) + ':' + JSON.stringify(value);
  }
  return text + '}';
};

/**
 * hex SHA-256("attest.audit.personal.v1\0" ‖ salt ‖ RFC 8785 JSON of data).
 *
 * Verifying a log computes one per event, so the input is built in one buffer: the salt
 * decoded in place, a record of strings serialised without the general canonicaliser
 * (keys sorted by UTF-16 code units, strings as JSON.stringify: RFC 8785 §3.2.2–3.2.3).
 * event.test.ts pins its output and checks it against the general path on random data.
 */
export const personalCommitment = (personal: AuditPersonal, digest: Sha256 = sha256): string => {
  const json = canonicalStringRecord(personal.data) ?? canonicalJson(personal.data);
  const input = new Uint8Array(PERSONAL_DOMAIN.length + Math.ceil((personal.salt.length * 3) / 4) + json.length * 3);
  input.set(PERSONAL_DOMAIN, 0);
  let length = PERSONAL_DOMAIN.length;
  const saltLength = base64UrlInto(personal.salt, input, length);
  if (saltLength < 0) throw new TypeError('salt is not base64url');
  length += saltLength;
  length += utf8Into.encodeInto(json, input.subarray(length)).written;
  return toHex(digest(input.subarray(0, length)));
};

/** The former implementation: the reference the fast path is tested against. */
export const personalCommitmentReference = (personal: AuditPersonal, digest: Sha256 = sha256): string => {
  const salt = fromBase64Url(personal.salt);
  const body = utf8.encode(canonicalJson(personal.data));
  const input = new Uint8Array(PERSONAL_DOMAIN.length + salt.length + body.length);
  input.set(PERSONAL_DOMAIN, 0);
  input.set(salt, PERSONAL_DOMAIN.length);
  input.set(body, PERSONAL_DOMAIN.length + salt.length);
  return toHex(digest(input));
};

/**
 * The bytes under the leaf hash: RFC 8785 canonical JSON of every field except
 * the personal data itself, tagged with a format version. Leaf hash =
 * SHA-256(0x00 ‖ these bytes), see merkle.ts `leafHash`.
 *
 * Written out by hand for the fixed fields (keys already in RFC 8785 order, strings
 * and integers serialised exactly as RFC 8785 §3.2.2 does, which is JSON.stringify),
 * with only `details` going through the general canonicaliser: verifying a log of a
 * million events builds a million of these, and the general path was 10× slower.
 * event.test.ts checks it against the general canonicaliser on random events.
 */
export const auditLeafBytes = (event: Omit<AuditEvent, 'personal'>): Uint8Array => {
  const q = JSON.stringify;
  const details = Object.keys(event.details).length === 0 ? '{}' : canonicalJson(event.details);
  if (!Number.isSafeInteger(event.seq)) throw new TypeError('seq must be a safe integer');
  return utf8.encode(
    `{"action":${q(event.action)},"actor":{"id":${q(event.actor.id)},"type":${q(event.actor.type)}},"at":${q(event.at)},` +
      `"details":${details},"outcome":${q(event.outcome)},"personalCommitment":${q(event.personalCommitment)},` +
      `"requestId":${event.requestId === null ? 'null' : q(event.requestId)},"seq":${event.seq},"target":${q(event.target)},` +
      `"tenantId":${q(event.tenantId)},"v":1}`,
  );
};

/** The same bytes through the general RFC 8785 canonicaliser: the reference the fast path is tested against. */
export const auditLeafBytesReference = (event: Omit<AuditEvent, 'personal'>): Uint8Array =>
  utf8.encode(
    canonicalJson({
      v: 1,
      tenantId: event.tenantId,
      seq: event.seq,
      at: event.at,
      actor: { type: event.actor.type, id: event.actor.id },
      action: event.action,
      target: event.target,
      outcome: event.outcome,
      requestId: event.requestId,
      details: event.details,
      personalCommitment: event.personalCommitment,
    }),
  );

/**
 * Checks what can be checked from the event alone: when its personal data is
 * present it must match the commitment in the leaf. null when consistent.
 */
export const personalDataMismatch = (event: AuditEvent, digest: Sha256 = sha256): string | null =>
  event.personal !== null && personalCommitment(event.personal, digest) !== event.personalCommitment
    ? `event ${event.seq}: personal data does not match its commitment`
    : null;
