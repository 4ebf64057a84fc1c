import { scopeTenantId, type ScopedTx } from '../db/db';

export type ActorType = 'operator' | 'system' | 'user' | 'anonymous';
export type Outcome = 'success' | 'failure' | 'denied';

export interface Actor {
  readonly type: ActorType;
  readonly id: string;
}

export interface AuditEventInput {
  readonly actor: Actor;
  /** `domain.verb`, e.g. operator.created */
  readonly action: string;
  /** `kind:id` of what was acted on, e.g. tenant:3f…; */
  readonly target: string;
  readonly outcome?: Outcome;
  readonly requestId?: string | null;
  /** Never secrets (tokens, passwords, keys). */
  readonly details?: Record<string, unknown>;
}

export interface AuditEvent {
  readonly tenantId: string;
  readonly seq: number;
  readonly at: string;
  readonly actor: Actor;
  readonly action: string;
  readonly target: string;
  readonly outcome: Outcome;
  readonly requestId: string | null;
  readonly details: Record<string, unknown>;
}

interface AuditRow extends Record<string, unknown> {
  tenant_id: string;
  seq: number | string | bigint;
  at: Date | string;
  actor_type: ActorType;
  actor_id: string;
  action: string;
  target: string;
  outcome: Outcome;
  request_id: string | null;
  details: Record<string, unknown>;
}

const toEvent = (r: AuditRow): AuditEvent => ({
  tenantId: r.tenant_id,
  seq: Number(r.seq),
  at: new Date(r.at).toISOString(),
  actor: { type: r.actor_type, id: r.actor_id },
  action: r.action,
  target: r.target,
  outcome: r.outcome,
  requestId: r.request_id,
  details: r.details,
});

/**
 * Appends an event to the log of the transaction's scope (the tenant, or the
 * platform under the nil UUID), in that transaction: the mutation and its event
 * commit together or not at all. The per-tenant sequence row is bumped with an
 * upsert whose row lock serialises concurrent appenders, and rolls back with the
 * transaction, so sequences have no gaps.
 */
export const appendAuditEvent = async (tx: ScopedTx, event: AuditEventInput): Promise<AuditEvent> => {
  const rows = await tx.query<AuditRow>(
    `WITH next AS (
       INSERT INTO audit_sequences AS s (tenant_id, next_seq) VALUES ($1, 2)
       ON CONFLICT (tenant_id) DO UPDATE SET next_seq = s.next_seq + 1
       RETURNING next_seq - 1 AS seq
     )
     INSERT INTO audit_events (tenant_id, seq, actor_type, actor_id, action, target, outcome, request_id, details)
     SELECT $1, next.seq, $2, $3, $4, $5, $6, $7, $8::jsonb FROM next
     RETURNING *`,
    [
      scopeTenantId(tx),
      event.actor.type,
      event.actor.id,
      event.action,
      event.target,
      event.outcome ?? 'success',
      event.requestId ?? null,
      JSON.stringify(event.details ?? {}),
    ],
  );
  const row = rows[0];
  if (!row) throw new Error('audit event was not stored');
  return toEvent(row);
};

/** The scope's events in sequence order. */
export const listAuditEvents = async (tx: ScopedTx, options: { afterSeq?: number; limit?: number } = {}): Promise<AuditEvent[]> => {
  const rows = await tx.query<AuditRow>(
    'SELECT * FROM audit_events WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
    [scopeTenantId(tx), options.afterSeq ?? 0, options.limit ?? 1000],
  );
  return rows.map(toEvent);
};
