import type { Database } from 'sql.js';
import { z } from 'zod';
import { MfaCountsSchema, type MemberQuery, type MemberSort, type MfaCounts } from '../../../shared/identity/members';
import { MemberSchema, type Member } from '../../../shared/identity/schemas';
import { TENANT_ROLES } from '../../../shared/identity/roles';
import { OfflineCutSchema, type OfflineCut } from '../../../shared/ipc/directory';
import { SessionSummarySchema, type SessionSummary } from '../../../shared/sessions/schemas';
import { TenantSchema, type Tenant } from '../../../shared/tenants/tenant';

/**
 * The directory part of the replica: the tenants the signed-in person sees, and
 * per tenant its members and live sessions as the service last listed them, each
 * list with the time it was fetched and, when the pull stopped at its bound, why
 * (`cut`: JSON of OfflineCut; NULL for a whole list). A pull replaces a tenant's list whole.
 */
export const DIRECTORY_SCHEMA = `
  CREATE TABLE directory_tenants (id TEXT PRIMARY KEY, data TEXT NOT NULL) STRICT;
  CREATE TABLE member_lists (
    tenant_id TEXT PRIMARY KEY,
    fetched_at TEXT NOT NULL,
    counts TEXT NOT NULL,
    cut TEXT
  ) STRICT;
  CREATE TABLE members (
    tenant_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    email_lower TEXT NOT NULL,
    role TEXT NOT NULL,
    role_rank INTEGER NOT NULL,
    status TEXT NOT NULL,
    status_rank INTEGER NOT NULL,
    mfa_enrolled INTEGER NOT NULL,
    last_sign_in_at TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
  ) STRICT;
  CREATE INDEX members_by_email ON members (tenant_id, email_lower, user_id);
  CREATE TABLE session_lists (tenant_id TEXT PRIMARY KEY, fetched_at TEXT NOT NULL, cut TEXT) STRICT;
  CREATE TABLE sessions (
    tenant_id TEXT NOT NULL,
    id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    flagged INTEGER NOT NULL,
    expires_at TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
  ) STRICT;
  CREATE INDEX sessions_by_use ON sessions (tenant_id, last_seen_at, id);
`;

export type MemberListQuery = Partial<MemberQuery>;
export interface StoredMemberList {
  items: Member[];
  hasMore: boolean;
  counts: MfaCounts;
  fetchedAt: string;
  cut: OfflineCut | null;
}
export interface StoredSessionList {
  items: SessionSummary[];
  fetchedAt: string;
  cut: OfflineCut | null;
}

export interface DirectoryReplica {
  /** Names (display name, else email) of the people among `userIds` found in any stored member list. */
  personNames(userIds: readonly string[]): Map<string, string>;
  /** Whose directory this is: the person signed in at the last pull, null before it. */
  directoryUser(): string | null;
  /** Makes the directory this person's; another person's stored lists are dropped first. */
  setDirectoryUser(userId: string): boolean;
  /** When the last complete directory pull began, null before it. */
  directoryPulledAt(): string | null;
  setDirectoryPulledAt(at: string): void;
  /** The tenants list as last fetched (empty before the first pull). */
  replaceTenants(tenants: readonly Tenant[]): boolean;
  tenants(): Tenant[];
  /**
   * Replaces a tenant's members in one transaction; `cut` says why when the pull
   * stopped at its bound (null: the whole list). Returns whether anything but the fetch time changed.
   */
  replaceMembers(tenantId: string, list: { items: readonly Member[]; counts: MfaCounts; cut: OfflineCut | null; fetchedAt: string }): boolean;
  /** A page of a tenant's stored members, filtered and ordered like the service's list; null when none were fetched. */
  memberList(tenantId: string, query: MemberListQuery): StoredMemberList | null;
  /** Replaces a tenant's sessions in one transaction, like replaceMembers. */
  replaceSessions(tenantId: string, list: { items: readonly SessionSummary[]; cut: OfflineCut | null; fetchedAt: string }): boolean;
  /** A tenant's stored sessions not expired at `now`, most recently used first; null when none were fetched. */
  sessionList(tenantId: string, filter: { userId?: string | undefined; flagged?: boolean | undefined }, now: Date): StoredSessionList | null;
  /** Drops a tenant's stored members or sessions (the person may no longer see them); returns whether there were any. */
  forgetTenantList(tenantId: string, kind: 'members' | 'sessions'): boolean;
  /** Drops the members and sessions of every tenant not in `tenantIds`; returns whether there were any. */
  keepDirectoryOf(tenantIds: readonly string[]): boolean;
}

type Rows = (sql: string, params?: (string | number)[]) => Array<Record<string, unknown>>;

const ROLE_RANK = new Map<string, number>(TENANT_ROLES.map((r, i) => [r, i]));
const STATUS_RANK: Readonly<Record<Member['status'], number>> = { active: 0, invited: 1, deactivated: 2 };

// The service's orders (service/members/member-repository.ts), on the stored copies of its columns.
const ORDER: Readonly<Record<MemberSort, (dir: 'ASC' | 'DESC') => string>> = {
  email: (dir) => `email_lower ${dir}`,
  role: (dir) => `role_rank ${dir}`,
  status: (dir) => `status_rank ${dir}`,
  mfa: (dir) => `mfa_enrolled ${dir}`,
  last_sign_in: (dir) => `last_sign_in_at ${dir} ${dir === 'ASC' ? 'NULLS FIRST' : 'NULLS LAST'}`,
};

const iso = (t: string): string => new Date(t).toISOString();
const cutJson = (cut: OfflineCut | null): string | null => (cut === null ? null : JSON.stringify(OfflineCutSchema.parse(cut)));
const cutOf = (stored: unknown): OfflineCut | null => (typeof stored === 'string' ? OfflineCutSchema.parse(JSON.parse(stored)) : null);

/** Runs `work` in one transaction: a tenant's list is replaced whole or not at all. */
const inTransaction = <T>(db: Database, work: () => T): T => {
  db.run('BEGIN');
  try {
    const result = work();
    db.run('COMMIT');
    return result;
  } catch (error) {
    db.run('ROLLBACK');
    throw error;
  }
};

/** Inserts rows with one prepared statement (bind/step/reset: a tenant may have thousands of members). */
const insertAll = (db: Database, sql: string, rows: readonly (string | number | null)[][]): void => {
  const insert = db.prepare(sql);
  try {
    for (const row of rows) {
      insert.bind(row);
      insert.step();
      insert.reset();
    }
  } finally {
    insert.free();
  }
};

export function directoryOf(db: Database, all: Rows): DirectoryReplica {
  const stored = (sql: string, params: string[]): string[] => all(sql, params).map((r) => r.data as string);
  const forget = (tenantId: string, kind: 'members' | 'sessions'): boolean => {
    const had = all(`SELECT 1 FROM ${kind === 'members' ? 'member_lists' : 'session_lists'} WHERE tenant_id = ?`, [tenantId]).length > 0;
    inTransaction(db, () => {
      db.run(`DELETE FROM ${kind} WHERE tenant_id = ?`, [tenantId]);
      db.run(`DELETE FROM ${kind === 'members' ? 'member_lists' : 'session_lists'} WHERE tenant_id = ?`, [tenantId]);
    });
    return had;
  };

  const metaValue = (key: string): string | null => (all(`SELECT value FROM meta WHERE key = ?`, [key])[0]?.value as string | undefined) ?? null;
  const setMeta = (key: string, value: string | null): void => {
    if (value === null) db.run(`DELETE FROM meta WHERE key = ?`, [key]);
    else db.run(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [key, value]);
  };
  const personNames = (userIds: readonly string[]): Map<string, string> => {
    const names = new Map<string, string>();
    const wanted = [...new Set(userIds)];
    // sql.js binds at most 999 parameters per statement.
    for (let start = 0; start < wanted.length; start += 500) {
      const batch = wanted.slice(start, start + 500);
      for (const row of all(`SELECT user_id, data FROM members WHERE user_id IN (${batch.map(() => '?').join(', ')})`, batch)) {
        const member = JSON.parse(row.data as string) as { displayName?: string; email?: string };
        const name = member.displayName || member.email;
        if (name && !names.has(row.user_id as string)) names.set(row.user_id as string, name);
      }
    }
    return names;
  };
  const directoryUser = (): string | null => metaValue('directory_user');
  const keepDirectoryOf = (tenantIds: readonly string[]): boolean => {
    const keep = new Set(tenantIds);
    let dropped = false;
    for (const kind of ['members', 'sessions'] as const) {
      const lists = all(`SELECT tenant_id FROM ${kind === 'members' ? 'member_lists' : 'session_lists'}`).map((r) => r.tenant_id as string);
      for (const tenantId of lists) if (!keep.has(tenantId)) dropped = forget(tenantId, kind) || dropped;
    }
    return dropped;
  };

  return {
    personNames,
    directoryUser,
    setDirectoryUser: (userId) => {
      if (directoryUser() === userId) return false;
      keepDirectoryOf([]);
      db.run('DELETE FROM directory_tenants');
      setMeta('directory_pulled_at', null);
      setMeta('directory_user', userId);
      return true;
    },
    directoryPulledAt: () => metaValue('directory_pulled_at'),
    setDirectoryPulledAt: (at) => setMeta('directory_pulled_at', new Date(at).toISOString()),
    replaceTenants: (tenants) => {
      const checked = tenants.map((t) => TenantSchema.parse(t));
      const before = stored(`SELECT data FROM directory_tenants ORDER BY id`, []);
      const after = checked.map((t) => JSON.stringify(t));
      const sorted = [...checked].sort((a, b) => a.id.localeCompare(b.id)).map((t) => JSON.stringify(t));
      if (before.length === sorted.length && before.every((d, i) => d === sorted[i])) return false;
      inTransaction(db, () => {
        db.run('DELETE FROM directory_tenants');
        insertAll(db, 'INSERT INTO directory_tenants (id, data) VALUES (?, ?)', checked.map((t, i) => [t.id, after[i]!]));
      });
      return true;
    },
    tenants: () => all(`SELECT data FROM directory_tenants`).map((r) => TenantSchema.parse(JSON.parse(r.data as string))),

    replaceMembers: (tenantId, { items, counts, cut, fetchedAt }) => {
      const checked = items.map((m) => MemberSchema.parse(m));
      const countsJson = JSON.stringify(MfaCountsSchema.parse(counts));
      const before = stored(`SELECT data FROM members WHERE tenant_id = ? ORDER BY user_id`, [tenantId]);
      const after = [...checked].sort((a, b) => (a.userId < b.userId ? -1 : 1)).map((m) => JSON.stringify(m));
      const cutText = cutJson(cut);
      const list = all(`SELECT counts, cut FROM member_lists WHERE tenant_id = ?`, [tenantId])[0];
      const changed =
        list === undefined ||
        list.counts !== countsJson ||
        list.cut !== cutText ||
        before.length !== after.length ||
        before.some((d, i) => d !== after[i]);
      inTransaction(db, () => {
        db.run(`DELETE FROM members WHERE tenant_id = ?`, [tenantId]);
        insertAll(
          db,
          `INSERT INTO members (tenant_id, user_id, email_lower, role, role_rank, status, status_rank, mfa_enrolled, last_sign_in_at, data)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          checked.map((m) => [
            tenantId,
            m.userId,
            m.email.toLowerCase(),
            m.role,
            ROLE_RANK.get(m.role) ?? TENANT_ROLES.length,
            m.status,
            STATUS_RANK[m.status],
            m.mfaEnrolled ? 1 : 0,
            m.lastSignInAt === null ? null : iso(m.lastSignInAt),
            JSON.stringify(m),
          ]),
        );
        db.run(
          `INSERT INTO member_lists (tenant_id, fetched_at, counts, cut) VALUES (?, ?, ?, ?)
           ON CONFLICT (tenant_id) DO UPDATE SET fetched_at = excluded.fetched_at, counts = excluded.counts, cut = excluded.cut`,
          [tenantId, iso(fetchedAt), countsJson, cutText],
        );
      });
      return changed;
    },

    memberList: (tenantId, q) => {
      const list = all(`SELECT fetched_at, counts, cut FROM member_lists WHERE tenant_id = ?`, [tenantId])[0];
      if (!list) return null;
      const where = ['tenant_id = ?'];
      const params: (string | number)[] = [tenantId];
      const add = (sql: string, value: string) => {
        where.push(sql);
        params.push(value);
      };
      if (q.role) add('role = ?', q.role);
      if (q.status) add('status = ?', q.status);
      if (q.mfa) where.push(q.mfa === 'enrolled' ? 'mfa_enrolled = 1' : 'mfa_enrolled = 0');
      if (q.signedInBefore) add('(last_sign_in_at IS NULL OR last_sign_in_at < ?)', iso(q.signedInBefore));
      const dir = q.order === 'desc' ? 'DESC' : 'ASC';
      const limit = q.limit ?? 200;
      const rows = all(
        `SELECT data FROM members WHERE ${where.join(' AND ')}
          ORDER BY ${ORDER[q.sort ?? 'email'](dir)}, email_lower ${dir}, user_id ${dir} LIMIT ? OFFSET ?`,
        [...params, limit + 1, q.offset ?? 0],
      );
      return {
        items: rows.slice(0, limit).map((r) => MemberSchema.parse(JSON.parse(r.data as string))),
        // A list cut at the pull's bound may hold fewer matches than the service does.
        hasMore: rows.length > limit || list.cut !== null,
        counts: MfaCountsSchema.parse(JSON.parse(list.counts as string)),
        fetchedAt: list.fetched_at as string,
        cut: cutOf(list.cut),
      };
    },

    replaceSessions: (tenantId, { items, cut, fetchedAt }) => {
      const checked = items.map((s) => SessionSummarySchema.parse(s));
      const cutText = cutJson(cut);
      const before = stored(`SELECT data FROM sessions WHERE tenant_id = ? ORDER BY id`, [tenantId]);
      const after = [...checked].sort((a, b) => (a.id < b.id ? -1 : 1)).map((s) => JSON.stringify(s));
      const list = all(`SELECT cut FROM session_lists WHERE tenant_id = ?`, [tenantId])[0];
      const changed =
        list === undefined ||
        list.cut !== cutText ||
        before.length !== after.length ||
        before.some((d, i) => d !== after[i]);
      inTransaction(db, () => {
        db.run(`DELETE FROM sessions WHERE tenant_id = ?`, [tenantId]);
        insertAll(
          db,
          `INSERT INTO sessions (tenant_id, id, user_id, last_seen_at, flagged, expires_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)`,
          checked.map((s) => {
            const expires = [iso(s.idleExpiresAt), iso(s.absoluteExpiresAt)].sort()[0]!;
            return [tenantId, s.id, s.userId, iso(s.lastSeenAt), s.flags.length > 0 ? 1 : 0, expires, JSON.stringify(s)];
          }),
        );
        db.run(
          `INSERT INTO session_lists (tenant_id, fetched_at, cut) VALUES (?, ?, ?)
           ON CONFLICT (tenant_id) DO UPDATE SET fetched_at = excluded.fetched_at, cut = excluded.cut`,
          [tenantId, iso(fetchedAt), cutText],
        );
      });
      return changed;
    },

    sessionList: (tenantId, { userId, flagged }, now) => {
      const list = all(`SELECT fetched_at, cut FROM session_lists WHERE tenant_id = ?`, [tenantId])[0];
      if (!list) return null;
      const where = ['tenant_id = ?', 'expires_at > ?'];
      const params: string[] = [tenantId, now.toISOString()];
      if (userId !== undefined) {
        where.push('user_id = ?');
        params.push(userId);
      }
      if (flagged !== undefined) where.push(flagged ? 'flagged = 1' : 'flagged = 0');
      const rows = all(`SELECT data FROM sessions WHERE ${where.join(' AND ')} ORDER BY last_seen_at DESC, id`, params);
      return {
        items: z.array(SessionSummarySchema).parse(rows.map((r) => JSON.parse(r.data as string))),
        fetchedAt: list.fetched_at as string,
        cut: cutOf(list.cut),
      };
    },

    forgetTenantList: forget,

    keepDirectoryOf,
  };
}
