import type { Principal } from './principal';

type UserPrincipal = Extract<Principal, { kind: 'user' }>;

export interface CachedToken {
  readonly principal: UserPrincipal;
  readonly accessExpiresAt: Date;
  /** The principal's roles stop being current then (a time-bounded platform role expires); null: never by time. */
  readonly rolesChangeAt: Date | null;
}

/**
 * Access tokens validated against the database, by SHA-256. Only safe where every
 * change to sessions, tokens, users or roles clears it before that change's commit
 * resolves (Db.watchAuthChanges): then a revocation, a role change or a step-up is
 * seen by the very next request, as without the cache. Time-based limits are
 * re-checked on every hit from the cached session.
 */
export class TokenCache {
  private readonly entries = new Map<string, CachedToken>();
  private generationCount = 0;

  constructor(private readonly maxEntries = 50_000) {}

  get(tokenSha256: string): CachedToken | undefined {
    return this.entries.get(tokenSha256);
  }

  /** Take this before reading the database; `set` then refuses what a clear() since may have made stale. */
  get generation(): number {
    return this.generationCount;
  }

  set(tokenSha256: string, entry: CachedToken, readAtGeneration: number): void {
    if (readAtGeneration !== this.generationCount) return;
    // Bounded without bookkeeping: a full cache starts over (entries are cheap to rebuild).
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(tokenSha256, entry);
  }

  clear(): void {
    this.generationCount += 1;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
