import { createHash, randomUUID } from 'node:crypto';
import { auditLeafBytes, fromHex, personalDataMismatch, type AuditEvent } from '../../../shared/audit/event';
import {
  HASH_SIZE,
  hashesEqual,
  leafHash,
  MerkleFrontier,
  merkleHasherFromDigest,
  verifyConsistency,
  verifyInclusion,
  type MerkleHasher,
} from '../../../shared/audit/merkle';
import { fromBase64, keyIdOf, treeHeadSignatureProblem, type SignedTreeHead } from '../../../shared/audit/tree-head';
import type { AuditAlert, AuditProgress, AuditStatus, EventVerification, VerifyLogResult } from '../../../shared/ipc/audit';
import { CoreError } from '../core-error';
import { ServiceError } from '../client/service-error';
import { cachedAuditSource, openAuditCacheWriter, type AuditCacheWriter } from './audit-cache';
import { allocateLeafHashes, rootOfLeafHashesParallel } from './merkle-workers';
import type { AuditLogSource } from './audit-source';
import type { AuditState, AuditStateStore } from './audit-state';

const nodeSha256 = (bytes: Uint8Array): Uint8Array => createHash('sha256').update(bytes).digest();
export const nodeMerkleHasher = (): MerkleHasher => merkleHasherFromDigest(nodeSha256);

export type ProgressListener = (progress: Omit<AuditProgress, 'operation' | 'tenantId'>) => void;

export type HeadCheck = { ok: true; head: SignedTreeHead } | { ok: false; alert: AuditAlert };

export interface AuditVerifier {
  /** What is verified and the alerts, from the console's own record (no network). */
  status(tenantId: string): Promise<Omit<AuditStatus, 'refreshError'>>;
  /** Compares the source's keys with the ones first seen: new keys are remembered, changed or vanished ones alerted. */
  refreshKeys(source: AuditLogSource): Promise<void>;
  /** Fetches the newest tree head and accepts it only if signed by a known key and consistent with the last verified one. */
  checkTreeHead(tenantId: string, source: AuditLogSource, options?: { fresh?: boolean }): Promise<HeadCheck>;
  verifyEvent(tenantId: string, seq: number, source: AuditLogSource): Promise<EventVerification>;
  /** Recomputes the root over every event up to the latest verified head; caches what a service source served. */
  verifyLog(tenantId: string, source: AuditLogSource, onProgress?: ProgressListener): Promise<VerifyLogResult>;
  dismissAlert(alertId: string, note: string): Promise<AuditAlert>;
}

export interface AuditVerifierOptions {
  store: AuditStateStore;
  /** Where the offline copies live (the console's data directory). */
  dataDir: string;
  /** The folder of the signed-in person's offline copies, when they are kept per person (offline-owner.ts); else dataDir. */
  copiesDir?: () => Promise<string>;
  /** Told about each new alert (the core pushes it to the renderer). */
  onAlert?: (alert: AuditAlert) => void;
  hasher?: MerkleHasher;
  now?: () => Date;
  pageSize?: number;
}

type NewAlert = Pick<AuditAlert, 'code' | 'tenantId' | 'message'> & { firstBadSeq?: number | null };

export function createAuditVerifier(options: AuditVerifierOptions): AuditVerifier {
  const { store } = options;
  const copiesDir = options.copiesDir ?? (async () => options.dataDir);
  const hasher = options.hasher ?? nodeMerkleHasher();
  const now = () => (options.now ?? (() => new Date()))().toISOString();
  const pageSize = options.pageSize ?? 1000;
  const locks = new Map<string, Promise<unknown>>();

  /** One head check per log at a time, so two checks cannot both advance from the same verified head. */
  const locked = <T>(tenantId: string, work: () => Promise<T>): Promise<T> => {
    const run = (locks.get(tenantId) ?? Promise.resolve()).then(work, work);
    locks.set(tenantId, run.catch(() => undefined));
    return run;
  };

  /** Adds an alert unless the same one is still open; returns the alert and whether it is new. */
  const withAlert = (state: AuditState, alert: NewAlert): { state: AuditState; alert: AuditAlert; added: boolean } => {
    const open = state.alerts.find(
      (a) => a.dismissal === null && a.code === alert.code && a.tenantId === alert.tenantId && a.message === alert.message,
    );
    if (open) return { state, alert: open, added: false };
    const created: AuditAlert = { id: randomUUID(), firstBadSeq: null, ...alert, raisedAt: now(), dismissal: null };
    return { state: { ...state, alerts: [...state.alerts, created] }, alert: created, added: true };
  };

  const raise = async (alert: NewAlert): Promise<AuditAlert> => {
    const { alert: raised, added } = await store.update((state) => {
      const result = withAlert(state, alert);
      return { state: result.state, result };
    });
    if (added) options.onAlert?.(raised);
    return raised;
  };

  const integrity = (tenantId: string, message: string, firstBadSeq: number | null = null) =>
    raise({ code: 'audit_integrity_failed', tenantId, message, firstBadSeq });

  /**
   * The service answers audit_log_inconsistent when its stored log lacks an event a proof
   * needs: the log cannot be proven, which is an integrity failure at that event.
   */
  const proofOrMissing = async <P>(proof: Promise<P>): Promise<P | { missing: number | null; reason: string }> => {
    try {
      return await proof;
    } catch (error) {
      if (!(error instanceof ServiceError) || error.code !== 'audit_log_inconsistent') throw error;
      const seq = error.details?.seq;
      return { missing: typeof seq === 'number' && Number.isSafeInteger(seq) && seq > 0 ? seq : null, reason: error.message };
    }
  };
  const isMissing = (value: object): value is { missing: number | null; reason: string } => 'missing' in value;

  const verifiedHead = async (tenantId: string): Promise<SignedTreeHead | null> => (await store.read()).logs[tenantId]?.verifiedHead ?? null;

  async function refreshKeys(source: AuditLogSource): Promise<void> {
    const fetched = await source.keys();
    const raised = await store.update((initial) => {
      let state = initial;
      const added: AuditAlert[] = [];
      const alert = (message: string) => {
        const result = withAlert(state, { code: 'audit_key_changed', tenantId: null, message });
        state = result.state;
        if (result.added) added.push(result.alert);
      };
      const keys = state.keys.map((known) => {
        const served = fetched.find((k) => k.keyId === known.key.keyId);
        if (!served) {
          alert(`Audit key ${known.key.keyId} (first seen ${known.firstSeenAt}) is no longer published by the service. Tree heads it signed can no longer be checked against the service's list; the console keeps the key it first saw.`);
          return known;
        }
        if (served.publicKey !== known.key.publicKey || served.algorithm !== known.key.algorithm) {
          alert(`The service now publishes a different public key under key id ${known.key.keyId} (first seen ${known.firstSeenAt}). The console keeps the key it first saw and will not accept heads signed by the new one.`);
          return known;
        }
        return known.key.retiredAt === null && served.retiredAt !== null ? { ...known, key: { ...known.key, retiredAt: served.retiredAt } } : known;
      });
      for (const served of fetched) {
        if (keys.some((k) => k.key.keyId === served.keyId)) continue;
        let raw: Uint8Array | null;
        try {
          raw = fromBase64(served.publicKey);
        } catch {
          raw = null;
        }
        if (raw === null || raw.length !== 32 || keyIdOf(raw) !== served.keyId) {
          alert(`The service publishes audit key ${served.keyId}, whose id does not match its public key. It was not accepted.`);
          continue;
        }
        keys.push({ key: served, firstSeenAt: now() });
      }
      state = { ...state, keys };
      return { state, result: added };
    });
    for (const alert of raised) options.onAlert?.(alert);
  }

  async function checkTreeHead(tenantId: string, source: AuditLogSource, opts?: { fresh?: boolean }): Promise<HeadCheck> {
    return locked(tenantId, async () => {
      if ((await store.read()).keys.length === 0) await refreshKeys(source);
      const head = await source.treeHead(tenantId, opts);
      const fail = async (alert: Promise<AuditAlert>): Promise<HeadCheck> => ({ ok: false, alert: await alert });
      if (head.tenantId !== tenantId) {
        return fail(integrity(tenantId, `Asked for the tree head of log ${tenantId}, the service answered with one of log ${head.tenantId}.`));
      }
      let state = await store.read();
      if (!state.keys.some((k) => k.key.keyId === head.keyId)) {
        // Perhaps a rotation since the keys were last fetched.
        await refreshKeys(source);
        state = await store.read();
      }
      if (!state.keys.some((k) => k.key.keyId === head.keyId)) {
        return fail(
          raise({
            code: 'audit_key_changed',
            tenantId,
            message: `The tree head of size ${head.treeSize} of log ${tenantId} is signed by key ${head.keyId}, which the console has never accepted. The head was rejected.`,
          }),
        );
      }
      const problem = treeHeadSignatureProblem(
        head,
        state.keys.map((k) => k.key),
      );
      if (problem) return fail(integrity(tenantId, `Log ${tenantId}: ${problem}. The head was rejected.`));

      const last = state.logs[tenantId]?.verifiedHead ?? null;
      if (last) {
        if (head.treeSize < last.treeSize) {
          return fail(
            integrity(
              tenantId,
              `Log ${tenantId} shrank: the service signs a tree of ${head.treeSize} events, but a tree of ${last.treeSize} was verified before. Events from ${head.treeSize + 1} on were removed.`,
              head.treeSize + 1,
            ),
          );
        }
        if (head.treeSize === last.treeSize) {
          if (head.rootHash !== last.rootHash) {
            return fail(integrity(tenantId, `Log ${tenantId} has two different signed roots for the same size ${head.treeSize}: its history was rewritten.`));
          }
        } else {
          const proof = await proofOrMissing(source.consistencyProof(tenantId, last.treeSize, head.treeSize));
          if (isMissing(proof)) {
            return fail(
              integrity(
                tenantId,
                `Log ${tenantId}: the service cannot give the consistency proof from the verified tree of ${last.treeSize} events to ${head.treeSize} (${proof.reason}). Events were removed from its storage.`,
                proof.missing,
              ),
            );
          }
          const checked =
            proof.from !== last.treeSize || proof.to !== head.treeSize
              ? { ok: false as const, reason: `the service sent a proof for ${proof.from}→${proof.to}` }
              : verifyConsistency(last.treeSize, head.treeSize, proof.path.map(fromHex), fromHex(last.rootHash), fromHex(head.rootHash), hasher);
          if (!checked.ok) {
            return fail(
              integrity(
                tenantId,
                `Log ${tenantId}: the tree of ${head.treeSize} events does not extend the verified tree of ${last.treeSize} (consistency proof failed: ${checked.reason}). Earlier events were altered, removed or reordered.`,
              ),
            );
          }
        }
      }
      await store.update((s) => ({ state: { ...s, logs: { ...s.logs, [tenantId]: { verifiedHead: head, verifiedAt: now() } } }, result: undefined }));
      return { ok: true, head };
    });
  }

  async function verifyEvent(tenantId: string, seq: number, source: AuditLogSource): Promise<EventVerification> {
    let head = await verifiedHead(tenantId);
    if (!head || seq > head.treeSize) {
      try {
        // A new event need not wait for the service's next periodic head.
        await checkTreeHead(tenantId, source, { fresh: true });
      } catch (error) {
        if (!head) throw error;
      }
      head = await verifiedHead(tenantId);
    }
    const page = await source.events(tenantId, { cursor: String(seq - 1), limit: 1 });
    const event: AuditEvent | null = page.items[0]?.seq === seq ? page.items[0] : null;
    const result = (state: EventVerification['state'], reason: string | null): EventVerification => ({
      state,
      seq,
      event,
      treeSize: head?.treeSize ?? null,
      rootHash: head?.rootHash ?? null,
      reason,
    });
    if (!head || seq > head.treeSize) {
      return result(
        'not_covered',
        head
          ? `Event ${seq} is newer than the latest verified tree head (${head.treeSize} events). Check again once the service signs a newer head (at most a few seconds).`
          : 'No tree head of this log has been verified yet. Reconnect to the service and check again.',
      );
    }
    const failed = async (reason: string): Promise<EventVerification> => {
      await integrity(tenantId, `Log ${tenantId}: ${reason}`, seq);
      return result('failed', reason);
    };
    if (!event) return failed(`event ${seq} is covered by the verified tree head of ${head.treeSize} events, but the service did not return it.`);
    if (event.tenantId !== tenantId) return failed(`event ${seq} was served as part of log ${tenantId} but names log ${event.tenantId}.`);
    const personal = personalDataMismatch(event, nodeSha256);
    if (personal) return failed(`${personal}.`);
    const proof = await proofOrMissing(source.inclusionProof(tenantId, seq, head.treeSize));
    if (isMissing(proof)) {
      const reason = `the service cannot give the inclusion proof of event ${seq} in the verified tree of ${head.treeSize} events: ${proof.reason}`;
      await integrity(tenantId, `Log ${tenantId}: ${reason}`, proof.missing ?? seq);
      return result('failed', reason);
    }
    const checked =
      proof.seq !== seq || proof.treeSize !== head.treeSize
        ? { ok: false as const, reason: `the service sent a proof for event ${proof.seq} in a tree of ${proof.treeSize}` }
        : verifyInclusion(leafHash(auditLeafBytes(event), hasher), seq - 1, head.treeSize, proof.path.map(fromHex), fromHex(head.rootHash), hasher);
    if (!checked.ok) return failed(`event ${seq} as served is not in the verified tree of ${head.treeSize} events (${checked.reason}).`);
    return result('verified', null);
  }

  async function verifyLog(tenantId: string, source: AuditLogSource, onProgress: ProgressListener = () => undefined): Promise<VerifyLogResult> {
    const started = performance.now();
    // The log as it stands now: the service signs a head over it (or returns the latest if nothing was appended).
    if (source.kind === 'service') await checkTreeHead(tenantId, source, { fresh: true });
    const head = await verifiedHead(tenantId);
    if (!head) {
      throw new CoreError('not_found', `Log ${tenantId} has no verified tree head yet, so there is nothing to check it against. Connect to the service and try again.`);
    }
    const size = head.treeSize;
    const leaves = allocateLeafHashes(size);
    const cache: AuditCacheWriter | null = source.kind === 'service' ? await openAuditCacheWriter(await copiesDir(), tenantId) : null;
    let problem: { seq: number | null; reason: string } | null = null;
    let next = 1;
    try {
      let cursor: string | undefined;
      download: while (next <= size) {
        const page = await source.events(tenantId, { cursor, limit: pageSize });
        for (const event of page.items) {
          if (next > size) break download;
          if (event.seq !== next) {
            problem = {
              seq: next,
              reason:
                event.seq > next
                  ? `event ${next} is missing: the log jumps from ${next - 1} to ${event.seq}.`
                  : `event ${event.seq} appears again where event ${next} was expected: the log is reordered.`,
            };
            break download;
          }
          if (event.tenantId !== tenantId) {
            problem = { seq: next, reason: `event ${next} names log ${event.tenantId}.` };
            break download;
          }
          const personal = personalDataMismatch(event, nodeSha256);
          if (personal) {
            problem = { seq: next, reason: `${personal}.` };
            break download;
          }
          const at = (next - 1) * HASH_SIZE;
          hasher.leafInto(auditLeafBytes(event), leaves, at);
          await cache?.append(event);
          next++;
        }
        onProgress({ phase: 'download', done: next - 1, total: size });
        if (page.nextCursor === null || page.items.length === 0) break;
        cursor = page.nextCursor;
      }
      if (!problem && next - 1 < size) {
        problem = { seq: next, reason: `the log ends after event ${next - 1}, but the verified tree head covers ${size} events: the tail from ${next} on is missing.` };
      }
      if (!problem && !hashesEqual(await rootOfLeafHashesParallel(leaves, size), fromHex(head.rootHash))) {
        const located = await locateFirstBad(tenantId, source, leaves, head, onProgress);
        problem =
          typeof located === 'number'
            ? { seq: located, reason: `event ${located} differs from the event the signed tree head covers: it was altered, or events were swapped from there on.` }
            : { seq: null, reason: `the recomputed root differs from the verified tree head of ${size} events; ${located.why}` };
      }
      // Only a log that verified replaces the offline copy: a tampered download must not
      // overwrite the last good one (it is what locates the first bad event next time).
      if (problem) await cache?.abort();
      else await cache?.commit();
    } catch (error) {
      await cache?.abort();
      throw error;
    }
    if (problem) await integrity(tenantId, `Verify log failed: ${problem.reason}`, problem.seq);
    return {
      ok: problem === null,
      source: source.kind,
      treeSize: size,
      rootHash: head.rootHash,
      eventsChecked: next - 1,
      firstBadSeq: problem?.seq ?? null,
      reason: problem?.reason ?? null,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      finishedAt: now(),
    };
  }

  /**
   * The first event that differs from the offline copy of the last log that verified
   * (which the console checked itself), or, past that copy's end, null and the number
   * of leaves that match it. Needs no help from the service, whose proofs come from
   * its stored leaf hashes: where those were forged too, every proof fails.
   */
  async function firstDifferenceFromCopy(tenantId: string, leaves: Uint8Array, size: number): Promise<{ differs: number | null; matched: number }> {
    const copy = cachedAuditSource(await copiesDir(), store);
    const leaf = new Uint8Array(HASH_SIZE);
    let matched = 0;
    let cursor: string | undefined;
    try {
      while (matched < size) {
        const page = await copy.events(tenantId, { cursor, limit: pageSize });
        for (const event of page.items) {
          if (event.seq !== matched + 1 || matched >= size) return { differs: null, matched };
          hasher.leafInto(auditLeafBytes(event), leaf, 0);
          if (!hashesEqual(leaf, leaves.subarray(matched * HASH_SIZE, (matched + 1) * HASH_SIZE))) return { differs: matched + 1, matched };
          matched++;
        }
        if (page.nextCursor === null || page.items.length === 0) break;
        cursor = page.nextCursor;
      }
    } catch {
      // No copy, or a damaged one: the service's proofs are all that is left.
    }
    return { differs: null, matched };
  }

  /**
   * Finds the first bad leaf: first against the last verified offline copy, then by
   * binary search over what lies beyond it, where the prefix of m recomputed leaves is
   * good exactly when the service can prove the signed tree extends a tree with that
   * root: log2(n) consistency proofs; only the service has them.
   */
  async function locateFirstBad(
    tenantId: string,
    source: AuditLogSource,
    leaves: Uint8Array,
    head: SignedTreeHead,
    onProgress: ProgressListener,
  ): Promise<number | { why: string }> {
    const size = head.treeSize;
    const fromCopy = source.kind === 'service' ? await firstDifferenceFromCopy(tenantId, leaves, size) : { differs: null, matched: 0 };
    if (fromCopy.differs !== null) return fromCopy.differs;
    if (fromCopy.matched >= size) return { why: 'every event matches the offline copy verified before, so the signed head itself is at fault' };
    const root = fromHex(head.rootHash);
    const steps = Math.ceil(Math.log2(Math.max(size - fromCopy.matched, 2)));
    let done = 0;
    // The frontier of the longest prefix known good: each probe extends it instead of
    // rehashing from leaf 0, so the whole search hashes about n leaves, not n log n.
    let base = new MerkleFrontier(hasher);
    for (let i = 0; i < fromCopy.matched; i++) base.append(leaves.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
    let missingAt: number | null = null;
    const good = async (m: number): Promise<boolean> => {
      const prefix = MerkleFrontier.restore(base.size, base.hashes(), hasher);
      for (let i = base.size; i < m; i++) prefix.append(leaves.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
      const proof = await proofOrMissing(source.consistencyProof(tenantId, m, size));
      onProgress({ phase: 'locate', done: ++done, total: steps });
      if (isMissing(proof)) {
        missingAt = proof.missing;
        throw new Error(proof.reason);
      }
      const ok = verifyConsistency(m, size, proof.path.map(fromHex), prefix.root(), root, hasher).ok;
      if (ok) base = prefix;
      return ok;
    };
    let lo = fromCopy.matched + 1;
    let hi = size;
    try {
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (await good(mid)) lo = mid + 1;
        else hi = mid;
      }
    } catch (error) {
      if (missingAt !== null) return missingAt;
      const reason = error instanceof Error ? error.message : String(error);
      return { why: `the first bad event could not be located (${reason})` };
    }
    return lo;
  }

  return {
    async status(tenantId) {
      const state = await store.read();
      const log = state.logs[tenantId];
      return {
        tenantId,
        verifiedHead: log?.verifiedHead ?? null,
        verifiedAt: log?.verifiedAt ?? null,
        alerts: state.alerts.filter((a) => a.tenantId === tenantId || a.tenantId === null).reverse(),
        keys: state.keys.map((k) => ({ keyId: k.key.keyId, firstSeenAt: k.firstSeenAt, createdAt: k.key.createdAt, retiredAt: k.key.retiredAt })),
      };
    },
    refreshKeys,
    checkTreeHead,
    verifyEvent,
    verifyLog,
    dismissAlert: (alertId, note) =>
      store.update((state) => {
        const alert = state.alerts.find((a) => a.id === alertId);
        if (!alert) throw new CoreError('not_found', `There is no audit alert ${alertId}. Reload the audit view.`);
        if (alert.dismissal) throw new CoreError('conflict', `This alert was already dismissed on ${alert.dismissal.at}.`);
        const dismissed: AuditAlert = { ...alert, dismissal: { at: now(), note: note.trim() } };
        return { state: { ...state, alerts: state.alerts.map((a) => (a.id === alertId ? dismissed : a)) }, result: dismissed };
      }),
  };
}
