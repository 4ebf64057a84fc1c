import type { Db } from '../db/db';
import { findTokenByHash, touchToken } from './operator-repository';
import { hashesEqual, hashToken, isWellFormedOperatorToken } from './operator-token';

export interface AuthenticatedOperator {
  readonly operatorId: string;
  readonly operatorName: string;
  readonly tokenId: string;
}

export type AuthResult = { ok: true; operator: AuthenticatedOperator } | { ok: false; reason: 'missing' | 'invalid' };

/** last_used_at is bookkeeping, not an audit trail: one write a minute per token is enough. */
const TOUCH_INTERVAL_SECONDS = 60;

export type OperatorAuthenticator = (authorization: string | undefined) => Promise<AuthResult>;

export const createOperatorAuthenticator = (db: Db, now: () => Date = () => new Date()): OperatorAuthenticator =>
  async (authorization) => {
    if (authorization === undefined || authorization.trim() === '') return { ok: false, reason: 'missing' };
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    const token = match?.[1];
    if (!token || !isWellFormedOperatorToken(token)) return { ok: false, reason: 'invalid' };
    // Looking up by SHA-256 leaks timing only about the hash, which tells an attacker
    // nothing about any token; the explicit comparison below is constant-time anyway.
    const hash = hashToken(token);
    return db.platform(async (tx) => {
      const record = await findTokenByHash(tx, hash);
      if (!record || !hashesEqual(record.tokenSha256, hash)) return { ok: false, reason: 'invalid' } as const;
      const last = record.lastUsedAt?.getTime();
      if (last === undefined || now().getTime() - last >= TOUCH_INTERVAL_SECONDS * 1000) {
        await touchToken(tx, record.id, TOUCH_INTERVAL_SECONDS);
      }
      return {
        ok: true,
        operator: { operatorId: record.operatorId, operatorName: record.operatorName, tokenId: record.id },
      } as const;
    });
  };
