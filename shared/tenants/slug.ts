import { z } from 'zod';

/**
 * A tenant's slug: unique and URL-safe (it names the tenant's public trust page).
 * Lowercase letters and digits in runs joined by single hyphens, never starting or
 * ending with one. The same rule is a CHECK in migration 0018.
 */
export const SLUG_RULES = {
  minLength: 3,
  maxLength: 63,
  pattern: /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
} as const;

export const SLUG_MESSAGE = `3 to 63 lowercase letters, digits and single hyphens, not starting or ending with a hyphen`;

export const SlugSchema = z
  .string()
  .min(SLUG_RULES.minLength, SLUG_MESSAGE)
  .max(SLUG_RULES.maxLength, SLUG_MESSAGE)
  .regex(SLUG_RULES.pattern, SLUG_MESSAGE)
  .meta({ description: `Tenant slug: ${SLUG_MESSAGE}` });

export const isSlug = (s: string): boolean => SlugSchema.safeParse(s).success;

const trimHyphens = (s: string): string => s.replace(/^-+|-+$/g, '');

/**
 * A slug derived from a tenant's name: accents dropped, everything else that is not
 * a letter or digit becomes one hyphen, cut to fit `maxLength` (so a suffix fits).
 * Too short a result is padded with "-tenant"; a name with no letters or digits gives "tenant".
 */
export const slugFromName = (name: string, maxLength: number = SLUG_RULES.maxLength): string => {
  const base = trimHyphens(
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-'),
  );
  const padded = base === '' ? 'tenant' : base.length < SLUG_RULES.minLength ? `${base}-tenant` : base;
  return trimHyphens(padded.slice(0, maxLength));
};

/** The `n`-th candidate for a name whose slug is taken: "acme", "acme-2", "acme-3"… (always within maxLength). */
export const slugCandidate = (name: string, n: number): string => {
  if (n <= 1) return slugFromName(name);
  const suffix = `-${n}`;
  return `${slugFromName(name, SLUG_RULES.maxLength - suffix.length)}${suffix}`;
};
