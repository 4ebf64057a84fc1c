/**
 * Test helper for the attack suites: requests to any declared endpoint built
 * from the route table alone — its path with a tenant's fixture ids filled in,
 * and a body its own schema accepts — so a new route is attacked without anyone
 * writing a test for it.
 */
import fc from 'fast-check';
import type { Endpoint } from '../../shared/api/endpoints';
import { jsonSchemaOf, validShaped } from './json-schema-arbitrary';
import type { TenantSide } from './two-tenants';

/**
 * The one hand-written table: which fixture object a path parameter names.
 * A new kind of id must be added here (a test fails until it is).
 */
export const ID_PARAMS: Readonly<Record<string, (side: TenantSide) => string>> = {
  tenantId: (s) => s.tenantId,
  tenantSlug: (s) => s.slug,
  userId: (s) => s.member.userId,
  sessionId: (s) => s.memberSessionId,
  tokenId: (s) => s.apiTokenId,
  incidentId: (s) => s.incidentId,
  reviewId: (s) => s.reviewId,
  approvalId: (s) => s.approvalId,
  seq: (s) => String(s.auditSeq),
};

export const pathParams = (e: Endpoint): string[] =>
  e.path
    .split('/')
    .filter((s) => s.startsWith(':'))
    .map((s) => s.slice(1));

/**
 * A path parameter that names no object of a tenant (a notice kind, a catalogue
 * control id) takes its schema's first allowed value, or its first example; null for an id.
 */
export const fixedParam = (e: Endpoint, name: string): string | null => {
  if (!e.params) return null;
  const props = jsonSchemaOf(e.params).schema.properties as Record<string, { enum?: unknown[]; examples?: unknown[] }> | undefined;
  const first = props?.[name]?.enum?.[0] ?? props?.[name]?.examples?.[0];
  return typeof first === 'string' ? first : null;
};

/** Path parameters that are ids of a kind ID_PARAMS does not know. */
export const unknownIdParams = (e: Endpoint): string[] => pathParams(e).filter((p) => fixedParam(e, p) === null && !(p in ID_PARAMS));

/** The endpoint's URL with `ids`' objects (and `tenantId`, if given, in place of theirs). */
export const urlFor = (e: Endpoint, ids: TenantSide, tenantId?: string): string =>
  pathParams(e).reduce((path, p) => {
    const value = p === 'tenantId' && tenantId !== undefined ? tenantId : (ID_PARAMS[p]?.(ids) ?? fixedParam(e, p));
    if (value === null) throw new Error(`${e.method} ${e.path}: no fixture for :${p}`);
    return path.replace(`:${p}`, value);
  }, e.path);

/** A body the endpoint's own schema accepts (so a request gets past parsing), drawn with a fixed seed; dates one day after `now`. */
export const validBody = (e: Endpoint, now: Date): object | undefined => {
  if (!e.body) return undefined;
  const { schema, defs } = jsonSchemaOf(e.body);
  const arbitrary = validShaped(schema, { defs, plainText: true, dateTimes: fc.constant(new Date(now.getTime() + 24 * 3600_000).toISOString()) });
  const body = fc.sample(arbitrary, { seed: 11, numRuns: 200 }).find((v) => e.body?.safeParse(v).success);
  if (typeof body !== 'object' || body === null) throw new Error(`no valid body could be drawn for ${e.method} ${e.path}`);
  return body;
};
