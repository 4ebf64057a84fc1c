import { fromBase64 } from '../../../shared/audit/tree-head';
import type { AuditKeySchema } from '../../../shared/audit/tree-head';
import type { z } from 'zod';
import { parseTrustPageFile } from '../../../shared/trust-page/parse';
import { verifyTrustPage } from '../../../shared/trust-page/verify';
import type { TrustPageVerifyResult } from '../../../shared/ipc/trust-page';

type AuditKey = z.infer<typeof AuditKeySchema>;

/** The key id a page's evidence names, if it embeds readable evidence at all. */
const keyIdOfPage = (text: string): string | null => {
  try {
    const json = parseTrustPageFile(text).evidenceJson;
    const keyId = json === null ? undefined : (JSON.parse(json) as { signature?: { keyId?: unknown } }).signature?.keyId;
    return typeof keyId === 'string' ? keyId : null;
  } catch {
    return null;
  }
};

/**
 * Verifies a page with the shared verifier, pinned to the service's own key when
 * the service's key list is at hand (`keys` null: offline, the page's embedded key
 * is used and the result says so). A page signed by a key the service never
 * published fails: its embedded key proves only that it is self-consistent.
 */
export function verifyPageText(file: string, text: string, keys: readonly AuditKey[] | null): Extract<TrustPageVerifyResult, { state: 'checked' }> {
  const keyId = keyIdOfPage(text);
  const known = keys?.find((k) => k.keyId === keyId);
  if (keys !== null && keyId !== null && !known) {
    return { state: 'checked', file, ok: false, code: 'signature_invalid', keyPinned: true, message: `The page is signed by key ${keyId}, which this service never published: it was not signed by this service.` };
  }
  const result = verifyTrustPage(text, known ? { publicKey: fromBase64(known.publicKey) } : {});
  if (!result.ok) return { state: 'checked', file, ok: false, code: result.code, keyPinned: result.keyPinned, message: `Does not verify: ${result.message}.` };
  const pinned = result.keyPinned ? `the service's key ${result.keyId}` : `the key ${result.keyId} the page embeds (the service's keys could not be fetched to pin it)`;
  return {
    state: 'checked',
    file,
    ok: true,
    code: null,
    keyPinned: result.keyPinned,
    message: `Verified: the ${result.subject.name} page of ${result.takenAt} is signed by ${pinned}, its ${result.sentences} sentences re-render from the signed snapshot, and the snapshot is in the audit log under the signed tree head of size ${result.treeSize}.`,
  };
}
