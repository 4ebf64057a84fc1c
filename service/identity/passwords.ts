import { createHash, timingSafeEqual } from 'node:crypto';
import { hash, parseOptions, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { checkPassword, type PasswordProblem } from '../../shared/policy/password';

/**
 * Password hashing behind an interface, so the benchmark can swap argon2id for a
 * constant-time compare to show where sign-in time goes, and tests can use cheap
 * parameters. Hashes are PHC strings ($argon2id$v=19$m=…,t=…,p=…$salt$hash): the
 * parameters travel with each hash, so raising them later only needs a rehash
 * on the next successful sign-in (needsRehash).
 */
export interface PasswordHasher {
  readonly name: string;
  hash(password: string): Promise<string>;
  verify(stored: string, password: string): Promise<boolean>;
  needsRehash(stored: string): boolean;
  /** A hash of nothing, verified against for unknown accounts so their timing matches known ones. */
  readonly dummyHash: string;
}

export interface Argon2Params {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_PARAMS: Argon2Params = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
/** For tests only: much cheaper, same code path. */
export const ARGON2_TEST_PARAMS: Argon2Params = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export const argon2Hasher = async (params: Argon2Params = ARGON2_PARAMS): Promise<PasswordHasher> => {
  const options = { ...params, outputLen: 32 };
  const dummyHash = await hash('attest-dummy-password-for-unknown-accounts', options);
  return {
    name: `argon2id m=${params.memoryCost} t=${params.timeCost} p=${params.parallelism}`,
    hash: (password) => hash(password, options),
    verify: async (stored, password) => {
      try {
        return await verify(stored, password);
      } catch {
        return false;
      }
    },
    needsRehash: (stored) => {
      try {
        const p = parseOptions(stored);
        return !stored.startsWith('$argon2id$') || p.memoryCost !== params.memoryCost || p.timeCost !== params.timeCost || p.parallelism !== params.parallelism;
      } catch {
        return true;
      }
    },
    dummyHash,
  };
};

/**
 * The benchmark's baseline: no key stretching, a SHA-256 and a constant-time
 * compare. Never for real passwords.
 */
export const plainCompareHasher = (): PasswordHasher => {
  const digest = (p: string) => `plain$${createHash('sha256').update(p).digest('hex')}`;
  return {
    name: 'sha256 + constant-time compare (baseline)',
    hash: async (p) => digest(p),
    verify: async (stored, p) => {
      const a = Buffer.from(stored);
      const b = Buffer.from(digest(p));
      return a.length === b.length && timingSafeEqual(a, b);
    },
    needsRehash: () => false,
    dummyHash: digest(''),
  };
};

let common: ReadonlySet<string> | undefined;

/** The common-password list shipped with the project (zxcvbn-ts's passwords-common), loaded once. */
export const isCommonPassword = (lowercased: string): boolean => {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common.has(lowercased);
};

export const passwordProblems = (password: string, email?: string): PasswordProblem[] =>
  checkPassword(password, { ...(email ? { email } : {}), isCommon: isCommonPassword });
