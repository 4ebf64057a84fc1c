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
  /** Its slug (names its public trust page, never published by this fixture). */
  readonly slug: string;
  readonly owner: TestUser;
  /** The owner's session, stepped up for the whole test. */
  readonly ownerToken: string;
  /** An API token of the owner with every scope a token may hold. */
  readonly apiToken: string;
  readonly apiTokenId: string;
  /** An editor, signed in. */
  readonly member: TestUser;
  readonly memberToken: string;
  readonly memberSessionId: string;
  /** An incident affecting only this tenant. */
  readonly incidentId: string;
  /** An open access review. */
  readonly reviewId: string;
  /** A pending approval (revoke every session of the tenant). */
  readonly approvalId: string;
  /** An event of the tenant's audit log. */
  readonly auditSeq: number;
}

export interface TwoTenants {
  /** The attacker's tenant. */
  readonly a: TenantSide;
  /** The victim's tenant. */
  readonly b: TenantSide;
}

const created = <T>(res: { statusCode: number; body: string; json(): unknown }, schema: { parse(v: unknown): T }): T => {
  expect(res.statusCode, res.body).toBe(201);
  return schema.parse(res.json());
};

const side = async (svc: InProcessService, now: () => Date, responderToken: string): Promise<TenantSide> => {
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
  const member = await createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId, role: 'editor' }] });
  const memberSession = await svc.session(member);
  const incident = created(
    await svc.call('POST', '/v1/incidents', {
      token: responderToken,
      body: { title: 'One tenant', severity: 'P2', personalData: false, affectedTenantIds: [tenantId], detectedAt: new Date(now().getTime() - 60_000).toISOString() },
    }),
    IncidentDetailSchema,
  );
  const review = created(await svc.call('POST', `/v1/tenants/${tenantId}/access-reviews`, { token: ownerToken, body: { title: 'Review' } }), AccessReviewSchema);
  const approval = created(
    await svc.call('POST', `/v1/tenants/${tenantId}/sessions/revoke-all`, { token: ownerToken, body: { reason: `leak ${randomUUID()}` } }),
    ApprovalRequestSchema,
  );
  const [{ slug } = { slug: '' }] = await svc.t.engine.query<{ slug: string }>('SELECT slug FROM tenants WHERE id = $1', [tenantId]);
  return {
    tenantId,
    slug,
    owner,
    ownerToken,
    apiToken: token.secret,
    apiTokenId: token.token.id,
    member,
    memberToken: memberSession.accessToken,
    memberSessionId: memberSession.session.id,
    incidentId: incident.incident.id,
    reviewId: review.review.id,
    approvalId: approval.id,
    auditSeq: 1,
  };
};

export const setUpTwoTenants = async (svc: InProcessService, now: () => Date): Promise<TwoTenants> => {
  const responder = await createTestUser(svc.t.db, svc.keys, svc.hasher, { platformRoles: ['incident_responder'] });
  const responderToken = (await svc.session(responder)).accessToken;
  return { a: await side(svc, now, responderToken), b: await side(svc, now, responderToken) };
};
