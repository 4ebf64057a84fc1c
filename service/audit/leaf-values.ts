/**
 * What may enter an audit event's hashed leaf, checked on every append.
 *
 * The leaf can never change (its hash is in the tree and in signed tree heads),
 * so nothing that erasure must reach may enter it: names, emails, IPs and free
 * text go to the event's personal part (a salted commitment in the leaf, the
 * data beside it, erasable). Types cannot tell a title from an id (both are
 * strings), so appendAuditEvent checks the values instead: every string hashed
 * into the leaf (details, target, actor id, request id) must have the shape of
 * a machine value: a UUID, a time, or a code such as `owner`, `P1`,
 * `bad_password` or `user:3f…` (no spaces, no punctuation but `_ . : -`, not an
 * IPv4 address). Anything else is refused with an error before anything is
 * written, which rolls the mutation back: a call site that passes free text in
 * details fails its first test instead of writing text nobody can erase.
 * Free text goes through `freeText`: its length in the leaf, itself in personal.
 * (A single word of free text has a code's shape and would pass the check: the
 * check catches the sentence, `freeText` at the call site is the rule.)
 */
import type { AuditDetails } from '../../shared/audit/event';

type Json = AuditDetails[string];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
/** Letters and digits joined by `_ . : -`, no spaces: enum values (`owner`, `P1`), actions, reason codes, `kind:id`. */
const CODE = /^[A-Za-z0-9]+(?:[_.:-][A-Za-z0-9]+)*$/;
/** An IPv4 address has a code's shape but is personal data. */
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
const MAX_CODE_LENGTH = 200;

export const isMachineValue = (text: string): boolean =>
  text.length <= MAX_CODE_LENGTH && (UUID.test(text) || TIME.test(text) || (CODE.test(text) && !IPV4.test(text)));

/** Where in `value` a string is not a machine value (or a key not an identifier), or null. */
const freeTextAt = (value: Json, path: string): string | null => {
  if (typeof value === 'string') return isMachineValue(value) ? null : path;
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = freeTextAt(value[i]!, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (!KEY.test(key)) return `${path} (key ${JSON.stringify(key.slice(0, 40))})`;
    const found = freeTextAt(inner, `${path}.${key}`);
    if (found) return found;
  }
  return null;
};

/** Throws when an event would hash free text into its leaf. */
export const assertLeafValues = (event: {
  action: string;
  target: string;
  actor: { id: string };
  requestId?: string | null;
  details?: Record<string, Json>;
}): void => {
  const found =
    freeTextAt(event.target, 'target') ??
    freeTextAt(event.actor.id, 'actor.id') ??
    freeTextAt(event.requestId ?? null, 'requestId') ??
    freeTextAt(event.details ?? {}, 'details');
  if (found) {
    throw new Error(`audit event ${event.action}: ${found} is not a machine value; pass free text and personal data as personal (see freeText)`);
  }
};

/** Free text of an event: each field's length for the leaf, the text itself for the erasable personal part. */
export const freeText = <K extends string>(
  fields: Readonly<Record<K, string>>,
): { readonly lengths: Readonly<Record<`${K}Length`, number>>; readonly personal: Readonly<Record<K, string>> } => {
  const entries = Object.entries(fields) as [K, string][];
  return {
    lengths: Object.fromEntries(entries.map(([k, v]) => [`${k}Length`, v.length])) as Record<`${K}Length`, number>,
    personal: Object.fromEntries(entries) as Record<K, string>,
  };
};
