/**
 * Test helper for the attack suites: two tenants, A (the attacker's) and B (the
 * victim's), each with an owner, and in B one of every object a path can name —
 * a member, their session, an incident affecting only B, an access review, a
 * pending approval, an API token and an audit event. Built through the API where
 * the API builds it, so the rows are what production writes.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { ApiTokenCreatedSchema } from '../../shared/api-tokens/schemas';
import { AccessReviewSchema } from '../../shared/access-reviews/schemas';
import { ApprovalRequestSchema } from '../../shared/approvals/schemas';
import { API_TOKEN_SCOPES } from '../../shared/identity/api-token-scopes';
import { IncidentDetailSchema } from '../../shared/incidents/api';
import type { TenantId } from '../../shared/tenants/tenant';
import { createTestTenant, createTestUser, type TestUser } from './identity-fixtures';
import type { InProcessService } from './in-process-service';

const DAY = 24 * 3600_000;

export interface TenantSide {
  readonly tenantId: TenantId;
  readonly owner: TestUser;
  /** The owner's session, stepped up for the whole test. */
  readonly ownerToken: string;
  /** An API token of the owner with every scope a token may hold. */
  readonly apiToken: string;
  readonly apiTokenId: string;
}

export interface TwoTenants {
  readonly a: TenantSide;
  readonly b: TenantSide & {
    readonly member: TestUser;
    readonly memberToken: string;
    readonly memberSessionId: string;
    readonly incidentId: string;
    readonly reviewId: string;
    readonly approvalId: string;
    readonly auditSeq: number;
  };
}

const created = <T>(res: { statusCode: number; body: string; json(): unknown }, schema: { parse(v: unknown): T }): T => {
  expect(res.statusCode, res.body).toBe(201);
  return schema.parse(res.json());
};

const side = async (svc: InProcessService, now: () => Date): Promise<TenantSide> => {
  const tenantId = await createTestTenant(svc.t.db);
  const owner = await createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId, role: 'owner' }] });
  const ownerToken = (await svc.steppedUp(owner, 365 * DAY)).accessToken;
  const token = created(
    await svc.call('POST', `/v1/tenants/${tenantId}/api-tokens`, {
      token: ownerToken,
      body: { name: 'every scope', scopes: [...API_TOKEN_SCOPES], expiresAt: new Date(now().getTime() + 30 * DAY).toISOString() },
    }),
    ApiTokenCreatedSchema,
  );
  return { tenantId, owner, ownerToken, apiToken: token.secret, apiTokenId: token.token.id };
};

export const setUpTwoTenants = async (svc: InProcessService, now: () => Date): Promise<TwoTenants> => {
  const a = await side(svc, now);
  const b = await side(svc, now);
  const member = await createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId: b.tenantId, role: 'editor' }] });
  const memberSession = await svc.session(member);
  const responder = await createTestUser(svc.t.db, svc.keys, svc.hasher, { platformRoles: ['incident_responder'] });
  const incident = created(
    await svc.call('POST', '/v1/incidents', {
      token: (await svc.session(responder)).accessToken,
      body: { title: 'B only', severity: 'P2', personalData: false, affectedTenantIds: [b.tenantId], detectedAt: new Date(now().getTime() - 60_000).toISOString() },
    }),
    IncidentDetailSchema,
  );
  const review = created(await svc.call('POST', `/v1/tenants/${b.tenantId}/access-reviews`, { token: b.ownerToken, body: { title: 'B review' } }), AccessReviewSchema);
  const approval = created(
    await svc.call('POST', `/v1/tenants/${b.tenantId}/sessions/revoke-all`, { token: b.ownerToken, body: { reason: `B leak ${randomUUID()}` } }),
    ApprovalRequestSchema,
  );
  return {
    a,
    b: {
      ...b,
      member,
      memberToken: memberSession.accessToken,
      memberSessionId: memberSession.session.id,
      incidentId: incident.incident.id,
      reviewId: review.review.id,
      approvalId: approval.id,
      auditSeq: 1,
    },
  };
};
