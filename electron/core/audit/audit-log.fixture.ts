/**
 * A real audit log for tests: events built and hashed with shared/audit, a real
 * RFC 9162 tree, heads signed with real Ed25519 keys, proofs computed with
 * shared/audit/merkle.ts. Like the service's storage, the tree (leaf hashes) and
 * the served event rows are kept apart, so a test can tamper with the rows
 * (as someone with database access would) while the signed tree stays honest.
 */
import { randomBytes } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { AuditEventPage } from '../../../shared/audit/api';
import { auditLeafBytes, personalCommitment, toHex, type AuditEvent, type AuditPersonal } from '../../../shared/audit/event';
import { consistencyProof, inclusionProof, leafHash, rootOfLeafHashes } from '../../../shared/audit/merkle';
import { keyIdOf, toBase64, treeHeadMessage, type AuditKey, type SignedTreeHead } from '../../../shared/audit/tree-head';
import { CoreError } from '../core-error';
import type { AuditLogSource } from './audit-source';

export interface TestKey {
  key: AuditKey;
  secret: Uint8Array;
}

export const newTestKey = (createdAt = '2026-01-01T00:00:00.000Z'): TestKey => {
  const secret = ed25519.utils.randomSecretKey();
  const publicKey = ed25519.getPublicKey(secret);
  return { secret, key: { keyId: keyIdOf(publicKey), algorithm: 'Ed25519', publicKey: toBase64(publicKey), createdAt, retiredAt: null } };
};

export const signHead = (tenantId: string, treeSize: number, rootHash: string, signer: TestKey, keyId = signer.key.keyId): SignedTreeHead => {
  const unsigned = { tenantId, treeSize, rootHash, timestamp: new Date(Date.UTC(2026, 0, 2) + treeSize * 1000).toISOString(), keyId };
  return { ...unsigned, signature: toBase64(ed25519.sign(treeHeadMessage(unsigned), signer.secret)) };
};

const ACTIONS = ['session.created', 'member.role_changed', 'tenant.updated', 'session.revoked'] as const;
const OUTCOMES = ['success', 'failure', 'denied'] as const;

export const makeEvent = (tenantId: string, seq: number): AuditEvent => {
  const personal: AuditPersonal = {
    salt: randomBytes(16).toString('base64url'),
    data: { email: `user${seq % 97}@example.com`, ip: `192.0.2.${seq % 250}` },
  };
  return {
    tenantId,
    seq,
    at: new Date(Date.UTC(2026, 0, 1) + seq * 60_000).toISOString(),
    actor: { type: 'user', id: `u-${seq % 13}` },
    action: ACTIONS[seq % ACTIONS.length]!,
    target: `member:m-${seq % 31}`,
    outcome: OUTCOMES[seq % OUTCOMES.length]!,
    requestId: `req-${seq}`,
    details: { n: seq, role: seq % 2 === 0 ? 'editor' : 'viewer' },
    personalCommitment: personalCommitment(personal),
    personal,
  };
};

export class TestLog {
  /** What the source serves: tests tamper with this. */
  served: AuditEvent[] = [];
  /** The honest tree, as the service's storage keeps it. */
  leafHashes: Uint8Array[] = [];
  /** What GET /v1/audit/keys returns. */
  published: AuditKey[];
  signer: TestKey;
  /** When set, treeHead() returns this instead of a head over the honest tree. */
  headOverride: SignedTreeHead | null = null;
  /** Set false to make the source fail as an unreachable service would. */
  online = true;
  readonly calls: string[] = [];

  constructor(
    readonly tenantId: string,
    size: number,
    signer: TestKey = newTestKey(),
  ) {
    this.signer = signer;
    this.published = [signer.key];
    this.append(size);
  }

  append(count: number): void {
    for (let i = 0; i < count; i++) {
      const event = makeEvent(this.tenantId, this.leafHashes.length + 1);
      this.served.push(event);
      this.leafHashes.push(leafHash(auditLeafBytes(event)));
    }
  }

  get size(): number {
    return this.leafHashes.length;
  }

  /** Rewrites history as a compromised service would: event `seq` changed and the tree rebuilt over it. */
  rewrite(seq: number, details: AuditEvent['details']): void {
    const event = { ...this.served[seq - 1]!, details };
    this.served[seq - 1] = event;
    this.leafHashes[seq - 1] = leafHash(auditLeafBytes(event));
  }

  head(size = this.size, signer = this.signer): SignedTreeHead {
    return signHead(this.tenantId, size, toHex(rootOfLeafHashes(this.leafHashes, 0, size)), signer);
  }

  source(): AuditLogSource {
    const reachable = (what: string): void => {
      this.calls.push(what);
      if (!this.online) throw new CoreError('service_unreachable', 'The service at https://127.0.0.1:1 cannot be reached.');
    };
    return {
      kind: 'service',
      keys: async () => {
        reachable('keys');
        return structuredClone(this.published);
      },
      treeHead: async (tenantId) => {
        reachable('treeHead');
        if (tenantId !== this.tenantId) throw new CoreError('not_found', 'no such log');
        return this.headOverride ?? this.head();
      },
      events: async (tenantId, { cursor, limit, ...filters }): Promise<AuditEventPage> => {
        reachable('events');
        const after = Number(cursor ?? '0');
        const items: AuditEvent[] = [];
        // In storage order, as rows read by a cursor on seq.
        for (const e of this.served) {
          if (items.length === limit) break;
          if (e.seq <= after) continue;
          if (filters.action !== undefined && e.action !== filters.action) continue;
          if (filters.actionPrefix !== undefined && !e.action.startsWith(filters.actionPrefix)) continue;
          if (filters.outcome !== undefined && e.outcome !== filters.outcome) continue;
          if (filters.actor !== undefined && e.actor.id !== filters.actor) continue;
          items.push(e);
        }
        const last = items.at(-1);
        return { items: structuredClone(items), nextCursor: items.length === limit && last ? String(last.seq) : null };
      },
      inclusionProof: async (_tenantId, seq, treeSize) => {
        reachable('inclusionProof');
        return { seq, treeSize, path: inclusionProof(this.leafHashes, seq - 1, treeSize).map(toHex) };
      },
      consistencyProof: async (_tenantId, from, to) => {
        reachable('consistencyProof');
        return { from, to, path: consistencyProof(this.leafHashes, from, to).map(toHex) };
      },
    };
  }
}
