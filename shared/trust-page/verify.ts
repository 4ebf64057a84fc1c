import { auditLeafBytes, fromHex } from '../audit/event';
import { leafHash, verifyInclusion } from '../audit/merkle';
import { fromBase64, keyIdOf, nobleEd25519Verify, treeHeadMessage, type SignatureVerifier } from '../audit/tree-head';
import { TrustPageBundleSchema, trustSnapshotMessage, type TrustPageBundle } from './bundle';
import { allSentences, buildTrustPageModel, type TrustPageModel } from './model';
import { parseTrustPageFile, TrustPageParseError, type ParsedTrustPage, type PrintedSentence } from './parse';
import { renderTrustPageHtml } from './render-html';
import { renderTrustPageMarkdown } from './render-markdown';
import { postureSha256Of } from './snapshot-hash';

/** Why a page does not verify: stable codes, checked in this order (the first that fails is reported). */
export const TRUST_PAGE_FAILURES = [
  'unparseable',
  'not_signed',
  'signature_invalid',
  'tree_head_invalid',
  'snapshot_hash_mismatch',
  'snapshot_not_in_log',
  'subject_mismatch',
  'sentence_changed',
  'sentence_removed',
  'sentence_added',
  'page_altered',
] as const;
export type TrustPageFailureCode = (typeof TRUST_PAGE_FAILURES)[number];

export interface TrustPageVerified {
  readonly ok: true;
  readonly format: ParsedTrustPage['format'];
  readonly subject: TrustPageBundle['subject'];
  readonly tenantId: string;
  readonly snapshotId: string;
  readonly takenAt: string;
  readonly keyId: string;
  /** False when no key was given: the page was checked against the key it embeds, which proves only that it is self-consistent. */
  readonly keyPinned: boolean;
  readonly treeSize: number;
  readonly sentences: number;
}

export interface TrustPageFailure {
  readonly ok: false;
  readonly code: TrustPageFailureCode;
  /** Names what failed: the control and sentence, the key, the event. */
  readonly message: string;
  readonly controlId?: string;
  readonly keyPinned: boolean;
}

export type TrustPageVerification = TrustPageVerified | TrustPageFailure;

export interface VerifyTrustPageOptions {
  /** The service's raw 32-byte Ed25519 public key; without it the page's own key is used (and the result says it was not pinned). */
  readonly publicKey?: Uint8Array;
  /** node:crypto's verify may be passed by Node callers; the default is pure JS. */
  readonly verify?: SignatureVerifier;
}

class Failed extends Error {
  constructor(
    readonly code: TrustPageFailureCode,
    message: string,
    readonly controlId?: string,
  ) {
    super(message);
  }
}

const parseBundle = (parsed: ParsedTrustPage): TrustPageBundle => {
  if (parsed.evidenceJson === null) throw new Failed('not_signed', 'the page embeds no signed evidence: it is a preview, or the evidence was removed');
  let json: unknown;
  try {
    json = JSON.parse(parsed.evidenceJson);
  } catch {
    throw new Failed('unparseable', 'the embedded evidence is not JSON');
  }
  const bundle = TrustPageBundleSchema.safeParse(json);
  if (!bundle.success) throw new Failed('unparseable', `the embedded evidence is not an Attest trust page bundle (${bundle.error.issues[0]?.path.join('.') ?? ''}: ${bundle.error.issues[0]?.message ?? ''})`);
  return bundle.data;
};

const checkSignatures = (b: TrustPageBundle, options: VerifyTrustPageOptions): void => {
  const verify = options.verify ?? nobleEd25519Verify;
  const embedded = fromBase64(b.signature.publicKey);
  const key = options.publicKey ?? embedded;
  const keyId = keyIdOf(key);
  if (options.publicKey && b.signature.keyId !== keyId) throw new Failed('signature_invalid', `the snapshot is signed by key ${b.signature.keyId}, not by the pinned key ${keyId}`);
  if (keyIdOf(embedded) !== b.signature.keyId) throw new Failed('signature_invalid', `the embedded public key does not have the key id ${b.signature.keyId} it claims`);
  if (!verify(key, trustSnapshotMessage(b), fromBase64(b.signature.value)))
    throw new Failed('signature_invalid', `the snapshot's signature does not verify under key ${keyId}: the snapshot or its heading was changed, or another key signed it`);
  if (b.treeHead.keyId !== keyId) throw new Failed('tree_head_invalid', `the tree head is signed by key ${b.treeHead.keyId}, not by ${keyId}`);
  if (!verify(key, treeHeadMessage(b.treeHead), fromBase64(b.treeHead.signature)))
    throw new Failed('tree_head_invalid', `the signature of the tree head of size ${b.treeHead.treeSize} does not verify under key ${keyId}`);
};

const checkAnchoring = (b: TrustPageBundle): void => {
  const { snapshot, event, treeHead, proof } = b;
  const hash = postureSha256Of(snapshot.posture);
  if (hash !== snapshot.sha256) throw new Failed('snapshot_hash_mismatch', `the snapshot's posture hashes to ${hash}, not to the ${snapshot.sha256} it states`);
  const logOf = `${snapshot.tenantId === treeHead.tenantId ? 'its' : `another (${treeHead.tenantId})`} log`;
  const problems = [
    snapshot.posture.tenantId !== snapshot.tenantId && 'the posture belongs to another tenant than the snapshot',
    event.action !== 'posture.snapshot' && `event ${event.seq} is a ${event.action}, not a posture.snapshot`,
    event.details.sha256 !== snapshot.sha256 && `event ${event.seq} records hash ${String(event.details.sha256)}, not the snapshot's ${snapshot.sha256}`,
    event.target !== `posture_snapshot:${snapshot.id}` && `event ${event.seq} is about ${event.target}, not snapshot ${snapshot.id}`,
    (event.seq !== snapshot.auditSeq || proof.seq !== event.seq) && `the snapshot names event ${snapshot.auditSeq}; the proof is for event ${proof.seq}`,
    (event.tenantId !== snapshot.tenantId || treeHead.tenantId !== snapshot.tenantId) && `the event and tree head are of ${logOf}, not of tenant ${snapshot.tenantId}`,
    proof.treeSize !== treeHead.treeSize && `the proof is for a tree of ${proof.treeSize} events; the tree head has ${treeHead.treeSize}`,
  ].find((p) => typeof p === 'string');
  if (problems) throw new Failed('snapshot_not_in_log', `the snapshot is not shown to be in the audit log: ${problems}`);
  const included = verifyInclusion(leafHash(auditLeafBytes(event)), event.seq - 1, treeHead.treeSize, proof.path.map(fromHex), fromHex(treeHead.rootHash));
  if (!included.ok)
    throw new Failed('snapshot_not_in_log', `event ${event.seq} is not in the log under the signed tree head of size ${treeHead.treeSize}: ${included.reason}`);
};

const key = (s: PrintedSentence): string => `${s.controlId} ${s.kind}`;

/** The first difference between the sentences printed and those the snapshot gives, in page order. */
const checkSentences = (printed: readonly PrintedSentence[], model: TrustPageModel): void => {
  const expected = allSentences(model);
  const expectedKeys = new Set(expected.map(key));
  const printedKeys = new Set(printed.map(key));
  const used = new Set<string>();
  for (let i = 0; i < Math.max(printed.length, expected.length); i++) {
    const p = printed[i];
    const e = expected[i];
    if (p && e && key(p) === key(e)) {
      used.add(key(p));
      if (p.text !== e.text) throw new Failed('sentence_changed', `${e.controlId}: the page says "${p.text}" but its signed snapshot gives "${e.text}"`, e.controlId);
      continue;
    }
    if (p && (!expectedKeys.has(key(p)) || used.has(key(p))))
      throw new Failed('sentence_added', `${p.controlId}: the page adds "${p.text}", which no control of its snapshot backs`, p.controlId);
    if (e && !printedKeys.has(key(e))) throw new Failed('sentence_removed', `${e.controlId}: the page leaves out "${e.text}"`, e.controlId);
    throw new Failed('page_altered', `the page's sentences are out of order at sentence ${i + 1}`, (p ?? e)?.controlId);
  }
};

/** Every other byte: what is not a marked sentence must be as rendered too (an unmarked paragraph is added text). */
const checkWholePage = (parsed: ParsedTrustPage, model: TrustPageModel): void => {
  if (parsed.format === 'bundle') return;
  const rendered = (parsed.format === 'html' ? renderTrustPageHtml : renderTrustPageMarkdown)(model, parsed.evidenceJson);
  if (rendered === parsed.text) return;
  const want = rendered.split('\n');
  const got = parsed.text.split('\n');
  let i = 0;
  while (i < want.length && i < got.length && want[i] === got[i]) i++;
  const line = (s: string | undefined) => (s ?? '(end of file)').slice(0, 200);
  if (i < got.length && want.slice(i).includes(got[i + 1] ?? '\0') && !want.includes(got[i]!))
    throw new Failed('sentence_added', `line ${i + 1} adds text no control backs: ${line(got[i])}`);
  if (i < want.length && got.slice(i).includes(want[i + 1] ?? '\0') && !got.includes(want[i]!))
    throw new Failed('sentence_removed', `line ${i + 1} of the page as rendered is missing: ${line(want[i])}`);
  throw new Failed('page_altered', `line ${i + 1} differs from the page as rendered from its snapshot: ${line(got[i])}`);
};

/**
 * Checks a trust page (HTML or Markdown as Attest renders them, or a snapshot.json
 * bundle) offline: the snapshot's signature, its hash in its audit event, the
 * event's inclusion under the signed tree head, the heading's subject, and every
 * sentence against the sentences rendered from the signed snapshot. Never throws.
 */
export const verifyTrustPage = (text: string, options: VerifyTrustPageOptions = {}): TrustPageVerification => {
  const keyPinned = options.publicKey !== undefined;
  try {
    let parsed: ParsedTrustPage;
    try {
      parsed = parseTrustPageFile(text);
    } catch (e) {
      throw new Failed('unparseable', e instanceof TrustPageParseError ? e.message : 'the file cannot be read as a trust page');
    }
    const b = parseBundle(parsed);
    checkSignatures(b, options);
    checkAnchoring(b);
    if (parsed.format !== 'bundle' && parsed.subjectSlug !== b.subject.slug)
      throw new Failed('subject_mismatch', `the page is headed for "${parsed.subjectSlug ?? '(none)'}" but its evidence is the page of "${b.subject.slug}"`);
    const model = buildTrustPageModel({ subject: b.subject, posture: b.snapshot.posture, snapshot: b.snapshot });
    if (parsed.format !== 'bundle') checkSentences(parsed.sentences, model);
    checkWholePage(parsed, model);
    return {
      ok: true,
      format: parsed.format,
      subject: b.subject,
      tenantId: b.snapshot.tenantId,
      snapshotId: b.snapshot.id,
      takenAt: b.snapshot.takenAt,
      keyId: b.signature.keyId,
      keyPinned,
      treeSize: b.treeHead.treeSize,
      sentences: allSentences(model).length,
    };
  } catch (e) {
    if (e instanceof Failed) return { ok: false, code: e.code, message: e.message, keyPinned, ...(e.controlId ? { controlId: e.controlId } : {}) };
    return { ok: false, code: 'unparseable', message: `the file cannot be checked: ${e instanceof Error ? e.message : String(e)}`, keyPinned };
  }
};
