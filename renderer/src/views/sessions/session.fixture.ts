import { SessionSummarySchema, type SessionSummary } from '../../../../shared/sessions/schemas';

/** A live session summary for the sessions tests: the n-th (1–9), of this person. */
export const sessionOf = (n: number, userId: string, email: string, opts: Partial<SessionSummary> = {}): SessionSummary =>
  SessionSummarySchema.parse({
    id: `00000000-0000-4000-8000-00000000000${n}`,
    userId,
    email,
    displayName: '',
    userAgent: 'Attest-Console/1.0',
    ip: '10.0.0.1',
    createdAt: '2026-03-01T09:00:00.000Z',
    lastSeenAt: `2026-03-02T09:0${n}:00.000Z`,
    idleExpiresAt: '2026-03-16T09:00:00.000Z',
    absoluteExpiresAt: '2026-03-31T09:00:00.000Z',
    current: false,
    flags: [],
    ...opts,
  });
