import type { PersonMatch } from '../../shared/people/schemas';
import type { Db } from '../db/db';
import type { PersonScope } from './person-scope';

const likeOf = (q: string): string => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

type MatchRow = { user_id: string; email: string; display_name: string };
const toMatch = (r: MatchRow): PersonMatch => ({ userId: r.user_id, email: r.email, displayName: r.display_name });

/**
 * People matching by name or email. A tenant's scope finds only its members who
 * are not merely invited (RLS shows it no other profile); platform staff, anyone.
 */
export const searchPeople = async (db: Db, scope: PersonScope, q: string, limit: number): Promise<PersonMatch[]> => {
  const like = likeOf(q);
  if (scope.kind === 'platform') {
    const rows = await db.platform((tx) =>
      tx.query<MatchRow>(
        'SELECT id AS user_id, email, display_name FROM users WHERE lower(email) LIKE $1 OR lower(display_name) LIKE $1 ORDER BY display_name, id LIMIT $2',
        [like, limit],
      ),
    );
    return rows.map(toMatch);
  }
  const found = new Map<string, PersonMatch>();
  for (const tenantId of scope.tenantIds) {
    const rows = await db.tenant(tenantId, (tx) =>
      tx.query<MatchRow>(
        `SELECT u.id AS user_id, u.email, u.display_name FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.tenant_id = $1 AND m.status <> 'invited' AND (lower(u.email) LIKE $2 OR lower(u.display_name) LIKE $2)
          ORDER BY u.display_name, u.id LIMIT $3`,
        [tenantId, like, limit],
      ),
    );
    for (const r of rows) found.set(r.user_id, toMatch(r));
  }
  return [...found.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)).slice(0, limit);
};
