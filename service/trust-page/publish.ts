import { randomUUID } from 'node:crypto';
import type { AuditEvent } from '../../shared/audit/event';
import { toBase64 } from '../../shared/audit/tree-head';
import type { Posture } from '../../shared/posture/api';
import type { TrustPagePublication } from '../../shared/trust-page/api';
import {
  PLATFORM_TRUST_NAME,
  PLATFORM_TRUST_SLUG,
  TRUST_BUNDLE_FORMAT,
  trustSnapshotMessage,
  type TrustPageBundle,
  type TrustPageSubject,
} from '../../shared/trust-page/bundle';
import { buildTrustPageModel } from '../../shared/trust-page/model';
import { renderTrustPageHtml } from '../../shared/trust-page/render-html';
import { renderTrustPageMarkdown } from '../../shared/trust-page/render-markdown';
import type { TenantTx } from '../db/db';
import { appendAuditEvent, EVENT_COLUMNS, EVENT_FROM, toEvent, type Actor, type AuditRow } from '../audit/audit-log';
import { proveInclusion } from '../audit/proofs';
import type { AuditSigner } from '../audit/signing-key';
import { issueTreeHead } from '../audit/tree-heads';
import { scopeTenantId, type ScopedTx } from '../db/db';
import { evaluateAll } from '../posture/evaluate';
import type { EvaluationContext } from '../posture/evaluator';
import { storeSnapshot } from '../posture/snapshot-repository';
import { getTenant } from '../tenants/tenant-repository';
import { insertPublication } from './publication-repository';

/**
 * The snapshot a page is published from is recorded by the service, not by the
 * person publishing: its event's leaf is embedded in the public page, and a leaf
 * carries its actor's id. Who published is in the trust_page.published event.
 */
const SNAPSHOT_ACTOR: Actor = { type: 'system', id: 'trust_page' };

/** Whose page: the tenant's name and slug (read in its own scope), or the platform's. */
export const subjectOf = async (tenant: TenantTx | null): Promise<TrustPageSubject> => {
  if (!tenant) return { name: PLATFORM_TRUST_NAME, slug: PLATFORM_TRUST_SLUG };
  const row = await getTenant(tenant);
  if (!row) throw new Error('the tenant of this scope does not exist');
  return { name: row.name, slug: row.slug };
};

/** The page of a posture as previewed: not signed, not anchored; it says so. */
export const renderPreview = (subject: TrustPageSubject, posture: Posture, format: 'html' | 'markdown'): string => {
  const model = buildTrustPageModel({ subject, posture });
  return format === 'html' ? renderTrustPageHtml(model, null) : renderTrustPageMarkdown(model, null);
};

const eventAt = async (tx: ScopedTx, seq: number): Promise<AuditEvent> => {
  const [row] = await tx.query<AuditRow>(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE e.tenant_id = $1 AND e.seq = $2`, [scopeTenantId(tx), seq]);
  if (!row) throw new Error(`audit event ${seq} is missing`);
  // The leaf commits to the personal part; the page carries the commitment only.
  return { ...toEvent(row), personal: null };
};

/**
 * Publishes in the caller's transaction (all or nothing): a fresh snapshot and its
 * event, the trust_page.published event, a tree head over both, the snapshot
 * event's inclusion proof, the signature, both renderings, the stored row.
 * The signer's key must already be published (TreeHeadSigning.publishKey).
 */
export const publishTrustPage = async (
  ctx: EvaluationContext,
  own: ScopedTx,
  c: { tenantId: string; signer: AuditSigner; actor: Actor; requestId: string | null },
): Promise<TrustPagePublication> => {
  const subject = await subjectOf(ctx.tenant);
  const snapshot = await storeSnapshot(own, await evaluateAll(ctx, c.tenantId), { actor: SNAPSHOT_ACTOR, requestId: c.requestId });
  const id = randomUUID();
  await appendAuditEvent(own, {
    actor: c.actor,
    action: 'trust_page.published',
    target: `trust_page:${id}`,
    requestId: c.requestId,
    details: { snapshotId: snapshot.id, sha256: snapshot.sha256 },
  });
  const treeHead = await issueTreeHead(own, c.signer, ctx.now);
  const proof = await proveInclusion(own, snapshot.auditSeq, treeHead.treeSize);
  const content = { subject, snapshot };
  const bundle: TrustPageBundle = {
    format: TRUST_BUNDLE_FORMAT,
    ...content,
    signature: { keyId: c.signer.keyId, algorithm: 'Ed25519', publicKey: toBase64(c.signer.publicKey), value: toBase64(c.signer.sign(trustSnapshotMessage(content))) },
    treeHead,
    event: await eventAt(own, snapshot.auditSeq),
    proof,
  };
  const evidenceJson = JSON.stringify(bundle);
  const model = buildTrustPageModel({ subject, posture: snapshot.posture, snapshot });
  return insertPublication(own, subject.slug, {
    id,
    publishedAt: ctx.now,
    snapshotId: snapshot.id,
    sha256: snapshot.sha256,
    treeSize: treeHead.treeSize,
    bundle: evidenceJson,
    html: renderTrustPageHtml(model, evidenceJson),
    markdown: renderTrustPageMarkdown(model, evidenceJson),
  });
};
