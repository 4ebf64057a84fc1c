import { randomUUID } from 'node:crypto';
import type { AccessReviewItem, AccessReviewSummary, ReviewDecision } from '../../shared/access-reviews/schemas';
import type { TenantRole } from '../../shared/identity/roles';
import type { TenantTx } from '../db/db';

/** Access review campaigns and their items (migration 0012), in the tenant's scope. */

interface ReviewRow extends Record<string, unknown> {
  tenant_id: string;
  id: string;
  title: string;
  started_by: string;
  started_by_email: string;
  started_at: Date | string;
  due_at: Date | string;
  closed_by: string | null;
  closed_by_email: string | null;
  closed_at: Date | string | null;
  memberships: number;
  decided: number;
  keep: number;
  change_role: number;
  remove: number;
}

interface ItemRow extends Record<string, unknown> {
  user_id: string;
  email: string;
  display_name: string;
  role: TenantRole;
  decision: ReviewDecision | null;
  new_role: TenantRole | null;
  comment: string | null;
  decided_by: string | null;
  decided_by_email: string | null;
  decided_at: Date | string | null;
  outcome: AccessReviewItem['outcome'];
  /** From the users table, when the query joins it (live state beside the decision). */
  last_sign_in_at?: Date | string | null;
  mfa_enrolled_at?: Date | string | null;
  account?: string | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();

const toSummary = (r: ReviewRow, now: Date): AccessReviewSummary => ({
  id: r.id,
  tenantId: r.tenant_id,
  title: r.title,
  startedBy: { userId: r.started_by, email: r.started_by_email },
  startedAt: iso(r.started_at),
  dueAt: iso(r.due_at),
  status: r.closed_at === null ? 'open' : 'closed',
  overdue: r.closed_at === null && new Date(r.due_at) <= now,
  closedBy: r.closed_by === null ? null : { userId: r.closed_by, email: r.closed_by_email ?? '' },
  closedAt: r.closed_at === null ? null : iso(r.closed_at),
  counts: { memberships: r.memberships, decided: r.decided, keep: r.keep, changeRole: r.change_role, remove: r.remove },
});

export const toItem = (r: ItemRow): AccessReviewItem => ({
  userId: r.user_id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  decision: r.decision,
  newRole: r.new_role,
  comment: r.comment,
  decidedBy: r.decided_by === null ? null : { userId: r.decided_by, email: r.decided_by_email ?? '' },
  decidedAt: r.decided_at === null ? null : iso(r.decided_at),
  outcome: r.outcome,
  lastSignInAt: r.last_sign_in_at ? iso(r.last_sign_in_at) : null,
  mfaEnrolled: r.account ? r.mfa_enrolled_at !== null && r.mfa_enrolled_at !== undefined : null,
});

const SUMMARY = `SELECT r.*,
    (SELECT count(*)::int FROM access_review_items i WHERE i.tenant_id = r.tenant_id AND i.review_id = r.id) AS memberships,
    (SELECT count(*)::int FROM access_review_items i WHERE i.tenant_id = r.tenant_id AND i.review_id = r.id AND i.decision IS NOT NULL) AS decided,
    (SELECT count(*)::int FROM access_review_items i WHERE i.tenant_id = r.tenant_id AND i.review_id = r.id AND i.decision = 'keep') AS keep,
    (SELECT count(*)::int FROM access_review_items i WHERE i.tenant_id = r.tenant_id AND i.review_id = r.id AND i.decision = 'change_role') AS change_role,
    (SELECT count(*)::int FROM access_review_items i WHERE i.tenant_id = r.tenant_id AND i.review_id = r.id AND i.decision = 'remove') AS remove
  FROM access_reviews r`;

export const listReviews = async (tx: TenantTx, now: Date): Promise<AccessReviewSummary[]> =>
  (await tx.query<ReviewRow>(`${SUMMARY} WHERE r.tenant_id = $1 ORDER BY r.started_at DESC, r.id`, [tx.tenantId])).map((r) => toSummary(r, now));

export const getReview = async (tx: TenantTx, reviewId: string, now: Date): Promise<AccessReviewSummary | null> => {
  const r = (await tx.query<ReviewRow>(`${SUMMARY} WHERE r.tenant_id = $1 AND r.id = $2`, [tx.tenantId, reviewId]))[0];
  return r ? toSummary(r, now) : null;
};

/** Locks the campaign row (deciding and closing serialise on it); null when the tenant has no such campaign. */
export const lockReview = async (tx: TenantTx, reviewId: string): Promise<{ closed: boolean } | null> => {
  const r = (await tx.query<{ closed_at: unknown }>('SELECT closed_at FROM access_reviews WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tx.tenantId, reviewId]))[0];
  return r ? { closed: r.closed_at !== null } : null;
};

/** The account's live state, for an invited membership none (its user row is not the tenant's to read). */
const ACCOUNT_COLUMNS = 'u.id::text AS account, u.last_sign_in_at, u.mfa_enrolled_at';
const ACCOUNT_JOIN = `LEFT JOIN memberships m ON m.tenant_id = i.tenant_id AND m.user_id = i.user_id
  LEFT JOIN users u ON u.id = i.user_id AND m.status IS DISTINCT FROM 'invited'`;

export const listItems = async (tx: TenantTx, reviewId: string): Promise<AccessReviewItem[]> =>
  (
    await tx.query<ItemRow>(
      `SELECT i.*, ${ACCOUNT_COLUMNS} FROM access_review_items i ${ACCOUNT_JOIN} WHERE i.tenant_id = $1 AND i.review_id = $2 ORDER BY lower(i.email), i.user_id`,
      [tx.tenantId, reviewId],
    )
  ).map(toItem);

export const hasOpenReview = async (tx: TenantTx): Promise<boolean> =>
  (await tx.query('SELECT 1 FROM access_reviews WHERE tenant_id = $1 AND closed_at IS NULL', [tx.tenantId])).length > 0;

/** A new campaign with one item per current membership (an invited person's profile is not the tenant's: only the address it typed). */
export const insertReview = async (
  tx: TenantTx,
  input: { title: string; startedBy: { userId: string; email: string }; at: Date; dueAt: Date },
): Promise<string> => {
  const id = randomUUID();
  await tx.query(
    'INSERT INTO access_reviews (tenant_id, id, title, started_by, started_by_email, started_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [tx.tenantId, id, input.title, input.startedBy.userId, input.startedBy.email, input.at.toISOString(), input.dueAt.toISOString()],
  );
  await tx.query(
    `INSERT INTO access_review_items (tenant_id, review_id, user_id, email, display_name, role)
     SELECT m.tenant_id, $2, m.user_id, COALESCE(u.email, m.email_lower), COALESCE(u.display_name, split_part(m.email_lower, '@', 1)), m.role
       FROM memberships m LEFT JOIN users u ON u.id = m.user_id AND m.status <> 'invited' WHERE m.tenant_id = $1`,
    [tx.tenantId, id],
  );
  return id;
};

export const lockItem = async (tx: TenantTx, reviewId: string, userId: string): Promise<AccessReviewItem | null> => {
  const r = (await tx.query<ItemRow>('SELECT * FROM access_review_items WHERE tenant_id = $1 AND review_id = $2 AND user_id = $3 FOR UPDATE', [tx.tenantId, reviewId, userId]))[0];
  return r ? toItem(r) : null;
};

export const recordItemDecision = async (
  tx: TenantTx,
  reviewId: string,
  userId: string,
  d: { decision: ReviewDecision; newRole: TenantRole | null; comment: string | null; by: { userId: string; email: string }; at: Date },
): Promise<AccessReviewItem> => {
  const rows = await tx.query<ItemRow>(
    `WITH i AS (UPDATE access_review_items SET decision = $4, new_role = $5, comment = $6, decided_by = $7, decided_by_email = $8, decided_at = $9
      WHERE tenant_id = $1 AND review_id = $2 AND user_id = $3 RETURNING *)
     SELECT i.*, ${ACCOUNT_COLUMNS} FROM i ${ACCOUNT_JOIN}`,
    [tx.tenantId, reviewId, userId, d.decision, d.newRole, d.comment, d.by.userId, d.by.email, d.at.toISOString()],
  );
  return toItem(rows[0] as ItemRow);
};

export const setOutcome = async (tx: TenantTx, reviewId: string, userId: string, outcome: NonNullable<AccessReviewItem['outcome']>): Promise<void> => {
  await tx.query('UPDATE access_review_items SET outcome = $4 WHERE tenant_id = $1 AND review_id = $2 AND user_id = $3', [tx.tenantId, reviewId, userId, outcome]);
};

export const markClosed = async (tx: TenantTx, reviewId: string, by: { userId: string; email: string }, at: Date, result: Record<string, number>): Promise<void> => {
  await tx.query('UPDATE access_reviews SET closed_by = $3, closed_by_email = $4, closed_at = $5, result = $6::jsonb WHERE tenant_id = $1 AND id = $2', [
    tx.tenantId,
    reviewId,
    by.userId,
    by.email,
    at.toISOString(),
    JSON.stringify(result),
  ]);
};
