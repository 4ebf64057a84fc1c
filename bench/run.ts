// `npm run bench [-- NAME…]`: one JSON object per line, each with a baseline
// measured in the same run. A benchmark, not a test: it asserts nothing.
import type { Bench } from './harness';
import { auditAppendBench } from './audit/append.bench';
import { auditProofBench } from './audit/proof.bench';
import { auditQueryBench } from './audit/query.bench';
import { auditRootBench } from './audit/root.bench';
import { authCheckBench } from './auth/auth-check.bench';
import { authLoginBench } from './auth/auth-login.bench';
import { consoleTablesBench } from './console/tables.bench';
import { outboxAppendBench } from './offline/outbox-append.bench';
import { replicaQueryBench } from './offline/replica-query.bench';
import { incidentListBench } from './offline/incident-list.bench';
import { syncPullBench } from './offline/sync-pull.bench';
import { postureEvaluateBench } from './posture/posture-evaluate.bench';
import { sessionsRevocationVisibilityBench } from './sessions/revocation-visibility.bench';
import { sessionsRevokeTenantBench } from './sessions/revoke-tenant.bench';
import { tenantsListBench } from './tenants/tenants-list.bench';
import { trustPageVerifyBench } from './trust-page/verify.bench';
import { usersListBench } from './users/users-list.bench';
import { personPageBench } from './people/person-page.bench';
import { demoLargeSeedBench } from './demo/large-seed.bench';
import { peopleSearchBench } from './people/people-search.bench';

const benches: readonly Bench[] = [
  tenantsListBench,
  authLoginBench,
  authCheckBench,
  auditRootBench,
  auditAppendBench,
  auditQueryBench,
  auditProofBench,
  sessionsRevokeTenantBench,
  sessionsRevocationVisibilityBench,
  outboxAppendBench,
  usersListBench,
  replicaQueryBench,
  incidentListBench,
  syncPullBench,
  postureEvaluateBench,
  trustPageVerifyBench,
  personPageBench,
  consoleTablesBench,
  demoLargeSeedBench,
  peopleSearchBench,
];

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((name) => !benches.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')}; known: ${benches.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
for (const bench of benches) {
  if (wanted.length > 0 && !wanted.includes(bench.name)) continue;
  for (const result of await bench.run()) console.log(JSON.stringify(result));
}
