import type { PersonMatch } from '../../shared/people/schemas';
import type { Db } from '../db/db';
import type { PersonScope } from './person-scope';

const likeOf = (q: string): string => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

type MatchRow = { user_id: string; email: string; display_name: string };
const toMatch = (r: MatchRow): PersonMatch => ({ userId: r.user_id, email: r.email, displayName: r.display_name });

/**
 * People matching by name or email. A tenant's scope finds only its members who
 * are not merely invited (RLS shows it no other profile); platform staff, anyone.
 * attest_people_matching (migration 0026) finds the ids through the trigram indexes,
 * in the transaction's scope; the rows are still read through users' policies.
 */
export const searchPeople = async (db: Db, scope: PersonScope, q: string, limit: number): Promise<PersonMatch[]> => {
  const like = likeOf(q);
  if (scope.kind === 'platform') {
    const rows = await db.platform((tx) =>
      tx.query<MatchRow>(
        `SELECT u.id AS user_id, u.email, u.display_name FROM attest_people_matching($1, $2) AS f(id) JOIN users u ON u.id = f.id
          ORDER BY u.display_name, u.id`,
        [like, limit],
      ),
    );
    return rows.map(toMatch);
  }
  const found = new Map<string, PersonMatch>();
  for (const tenantId of scope.tenantIds) {
    const rows = await db.tenant(tenantId, (tx) =>
      tx.query<MatchRow>(
        `SELECT u.id AS user_id, u.email, u.display_name FROM attest_people_matching($2, $3) AS f(id)
           JOIN users u ON u.id = f.id JOIN memberships m ON m.user_id = u.id AND m.tenant_id = $1 AND m.status <> 'invited'
          ORDER BY u.display_name, u.id`,
        [tenantId, like, limit],
      ),
    );
    for (const r of rows) found.set(r.user_id, toMatch(r));
  }
  return [...found.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)).slice(0, limit);
};
