import { randomUUID } from 'node:crypto';
import { appendAuditEvent, type Actor } from '../audit/audit-log';
import type { PlatformTx } from '../db/db';
import { generateOperatorToken, hashToken } from './operator-token';

export interface Operator {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

export interface IssuedToken {
  readonly id: string;
  readonly operatorId: string;
  readonly label: string;
  /** The only time the token exists outside its holder: show it once, never store or log it. */
  readonly token: string;
}

export interface TokenRecord {
  readonly id: string;
  readonly operatorId: string;
  readonly operatorName: string;
  readonly tokenSha256: string;
  readonly lastUsedAt: Date | null;
}

export const countOperators = async (tx: PlatformTx): Promise<number> => {
  const rows = await tx.query<{ n: number | string }>('SELECT count(*) AS n FROM operators');
  return Number(rows[0]?.n ?? 0);
};

export const listOperators = async (tx: PlatformTx): Promise<Operator[]> => {
  const rows = await tx.query<{ id: string; name: string; created_at: Date | string }>(
    'SELECT id, name, created_at FROM operators ORDER BY created_at, id',
  );
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: new Date(r.created_at).toISOString() }));
};

export const createOperator = async (tx: PlatformTx, name: string, actor: Actor, requestId?: string): Promise<Operator> => {
  const rows = await tx.query<{ id: string; name: string; created_at: Date | string }>(
    'INSERT INTO operators (id, name) VALUES ($1, $2) RETURNING id, name, created_at',
    [randomUUID(), name],
  );
  const row = rows[0];
  if (!row) throw new Error('operator was not stored');
  await appendAuditEvent(tx, {
    actor,
    action: 'operator.created',
    target: `operator:${row.id}`,
    requestId: requestId ?? null,
    details: {},
    personal: { name: row.name },
  });
  return { id: row.id, name: row.name, createdAt: new Date(row.created_at).toISOString() };
};

export const issueOperatorToken = async (
  tx: PlatformTx,
  operatorId: string,
  label: string,
  actor: Actor,
  requestId?: string,
): Promise<IssuedToken> => {
  const token = generateOperatorToken();
  const id = randomUUID();
  await tx.query('INSERT INTO operator_tokens (id, operator_id, token_sha256, label) VALUES ($1, $2, $3, $4)', [
    id,
    operatorId,
    hashToken(token),
    label,
  ]);
  await appendAuditEvent(tx, {
    actor,
    action: 'operator_token.issued',
    target: `operator_token:${id}`,
    requestId: requestId ?? null,
    details: { operatorId },
    personal: { label },
  });
  return { id, operatorId, label, token };
};

export const findTokenByHash = async (tx: PlatformTx, tokenSha256: string): Promise<TokenRecord | null> => {
  const rows = await tx.query<{
    id: string;
    operator_id: string;
    operator_name: string;
    token_sha256: string;
    last_used_at: Date | string | null;
  }>(
    `SELECT t.id, t.operator_id, o.name AS operator_name, t.token_sha256, t.last_used_at
       FROM operator_tokens t JOIN operators o ON o.id = t.operator_id
      WHERE t.token_sha256 = $1`,
    [tokenSha256],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    operatorId: r.operator_id,
    operatorName: r.operator_name,
    tokenSha256: r.token_sha256,
    lastUsedAt: r.last_used_at === null ? null : new Date(r.last_used_at),
  };
};

/** Records use, at most once per interval per token (the WHERE keeps concurrent instances from both writing). */
export const touchToken = async (tx: PlatformTx, tokenId: string, intervalSeconds: number): Promise<void> => {
  await tx.query(
    `UPDATE operator_tokens SET last_used_at = now()
      WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2))`,
    [tokenId, intervalSeconds],
  );
};
