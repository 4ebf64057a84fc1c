/**
 * Test helper: fast-check arbitraries from JSON Schema (the wire form of the
 * zod contracts, as /v1/openapi.json and z.toJSONSchema give it). `validShaped`
 * follows the schema (the handler's own zod schema still decides); `hostileJson`
 * is what an attacker sends instead: wrong types, huge and control-character
 * strings, prototype keys, deep nesting, numeric extremes.
 */
import fc from 'fast-check';
import { z } from 'zod';

export type JsonSchema = Readonly<Record<string, unknown>>;

export interface SchemaContext {
  /** Resolves `$ref`s (`#/components/schemas/X`, `#/$defs/X`). */
  readonly defs: Readonly<Record<string, unknown>>;
  /** Ids worth trying where a uuid is expected (existing rows, so handlers go past the lookup). */
  readonly knownIds?: readonly string[];
  /** Dates are drawn around this instant (deadlines and expiries are checked against the clock). */
  readonly around?: Date;
  /** Overrides how date-times are drawn (e.g. always one day ahead, to get past expiry checks). */
  readonly dateTimes?: fc.Arbitrary<string>;
  /** Free text without control, bidi or surrogate characters (for requests that must get past validation). */
  readonly plainText?: boolean;
  /** Ids a field of this name should mostly take (e.g. the incidentId of the path, so a body agrees with it). */
  readonly namedIds?: Readonly<Record<string, readonly string[]>>;
}

const isSchema = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

const resolve = (schema: JsonSchema, ctx: SchemaContext): JsonSchema => {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const name = ref.replace(/^#\/(components\/schemas|\$defs)\//, '');
  const target = ctx.defs[name];
  if (!isSchema(target)) throw new Error(`unresolved $ref ${ref}`);
  return resolve(target, ctx);
};

const DAY = 24 * 3600_000;

const dateTime = (ctx: SchemaContext): fc.Arbitrary<string> => {
  if (ctx.dateTimes) return ctx.dateTimes;
  const at = (ctx.around ?? new Date('2026-01-01T00:00:00Z')).getTime();
  return fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: -30 * DAY, max: 60 * DAY }).map((d) => new Date(at + d).toISOString()) },
    // The last minutes and the instant itself: what "when did this happen" fields must be.
    { weight: 2, arbitrary: fc.integer({ min: -120_000, max: 0 }).map((d) => new Date(at + d).toISOString()) },
    { weight: 1, arbitrary: fc.constant(new Date(at).toISOString()) },
    { weight: 1, arbitrary: fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()) },
  );
};

const stringOf = (schema: JsonSchema, ctx: SchemaContext, key: string | undefined): fc.Arbitrary<string> => {
  const minLength = num(schema.minLength) ?? 0;
  const maxLength = num(schema.maxLength) ?? Math.max(minLength, 64);
  const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern) : null;
  const fits = (s: string) => s.length >= minLength && s.length <= maxLength && (!pattern || pattern.test(s));
  if (schema.format === 'uuid') {
    const fresh = fc.uuid({ version: 4 });
    const any = ctx.knownIds && ctx.knownIds.length > 0 ? fc.oneof(fc.constantFrom(...ctx.knownIds), fresh) : fresh;
    const named = key === undefined ? undefined : ctx.namedIds?.[key];
    return named && named.length > 0 ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...named) }, { weight: 1, arbitrary: any }) : any;
  }
  if (schema.format === 'date-time') return dateTime(ctx);
  if (schema.format === 'email') return fc.emailAddress().filter(fits);
  if (pattern) return fc.stringMatching(pattern).filter(fits);
  const cap = Math.min(maxLength, 200);
  if (ctx.plainText) return fc.string({ minLength, maxLength: cap, unit: fc.constantFrom('a', 'b', ' ', 'é') }).filter((t) => t.trim().length > 0 && fits(t));
  return fc.oneof(
    fc.string({ minLength, maxLength: cap, unit: 'grapheme' }),
    // Free text a schema allows by shape, with the characters that break databases, terminals and logs.
    fc.string({ minLength, maxLength: Math.min(cap, 40), unit: fc.oneof(fc.constantFrom(...AWKWARD_CHARS), fc.constantFrom('a', ' ', 'é', '😀')) }),
    fc.constantFrom('x'.repeat(Math.max(minLength, 1)), 'x'.repeat(maxLength)),
  ).filter(fits);
};

/** Control, separator, bidi and surrogate characters. */
const AWKWARD_CHARS = ['\u0000', '\u0001', '\u0007', '\u0008', '\t', '\n', '\r', '\u000b', '\u001b', '\u007f', '\u0085', '\u00a0', '\u2028', '\u202e', '\ufeff', '\ud800', '\udc00'];

const numberOf = (schema: JsonSchema, integer: boolean): fc.Arbitrary<number> => {
  const exclusiveMin = num(schema.exclusiveMinimum);
  const exclusiveMax = num(schema.exclusiveMaximum);
  const min = num(schema.minimum) ?? (exclusiveMin !== undefined ? exclusiveMin + (integer ? 1 : Number.EPSILON) : -1e9);
  const max = num(schema.maximum) ?? (exclusiveMax !== undefined ? exclusiveMax - (integer ? 1 : Number.EPSILON) : 1e9);
  if (integer) return fc.oneof(fc.integer({ min, max: Math.min(max, Math.max(min, 0) + 1000) }), fc.integer({ min, max }), fc.constantFrom(min, max));
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
};

/** Values the schema accepts by shape (refinements in zod may still refuse some). */
export const validShaped = (input: JsonSchema, ctx: SchemaContext, depth = 0, key?: string): fc.Arbitrary<unknown> => {
  const schema = resolve(input, ctx);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const union = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : null;
  if (union) return fc.oneof(...union.filter(isSchema).map((s) => validShaped(s, ctx, depth + 1, key)));
  switch (schema.type) {
    case 'string':
      return stringOf(schema, ctx, key);
    case 'integer':
      return numberOf(schema, true);
    case 'number':
      return numberOf(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = isSchema(schema.items) ? validShaped(schema.items, ctx, depth + 1) : fc.jsonValue({ maxDepth: 2 });
      const minLength = num(schema.minItems) ?? 0;
      return fc.array(items, { minLength, maxLength: Math.min(num(schema.maxItems) ?? 5, minLength + 5) });
    }
    case 'object': {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      const model = Object.fromEntries(
        Object.entries(properties)
          .filter(([, s]) => isSchema(s))
          .map(([k, s]) => [k, validShaped(s as JsonSchema, ctx, depth + 1, k)]),
      );
      return fc.record(model, { requiredKeys: required.filter((k) => k in model) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
};

/** Strings that have broken parsers, databases and log lines before. */
export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'a\u0000b',
      '\u0000'.repeat(64),
      '\u0001\u0002\u0003\u001b[31m\u007f',
      '\r\n\r\nX-Injected: 1',
      '\ud800',
      '\udfff\ud800',
      '\u202e\u2066evil',
      '\ufeff',
      '𝕳𝖊𝖑𝖑𝖔 🏳️‍🌈',
      "' OR '1'='1",
      "'; DROP TABLE users; --",
      '$1',
      '%00',
      '%zz',
      '../../../../etc/passwd',
      '<script>alert(1)</script>',
      '{{7*7}}',
      '${process.exit(1)}',
      '__proto__',
      'constructor',
      'prototype',
      'NaN',
      'Infinity',
      '-0',
      '1e309',
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      '9007199254740993',
    ),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: fc.constantFrom('\u0000', '\u0008', '\u000b', '\u001f', '\u007f', '\u0085', '\u2028', '\ud800', 'a'), maxLength: 20 }),
    fc.nat({ max: 300_000 }).map((n) => 'A'.repeat(n)),
  );

const hostileNumber = (): fc.Arbitrary<number> =>
  fc.constantFrom(0, -0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER - 2, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 1e21, 2 ** 31, 2 ** 63);

/** JSON text nested `depth` levels deep (objects or arrays), which recursive code may not survive. */
export const deeplyNested = (depth: number, kind: 'array' | 'object'): string =>
  kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** Any JSON value, with hostile leaves (never a valid body by accident, except where the schema accepts anything). */
export const hostileJson = (): fc.Arbitrary<unknown> =>
  fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      hostileString(),
      hostileNumber(),
      fc.constantFrom(null, true, false),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.oneof(hostileString(), fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 4 }),
    ),
  })).value;

/** A valid-shaped object with one field replaced by something hostile, or with extra keys. */
export const corrupted = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.tuple(valid, fc.nat(), hostileJson(), fc.oneof(hostileString(), fc.string({ maxLength: 8 }))).map(([v, pick, bad, extraKey]) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad;
    const keys = Object.keys(v);
    const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    const key = keys.length > 0 && pick % 3 !== 0 ? (keys[pick % keys.length] ?? extraKey) : extraKey;
    Object.defineProperty(copy, key, { value: bad, enumerable: true, writable: true, configurable: true });
    return copy;
  });

/** JSON text of `value` with prototype-pollution keys spliced in (JSON.stringify would never write them as own keys). */
export const withPrototypeKeys = (json: string): string => {
  const extra = '"__proto__":{"isAdmin":true,"role":"owner"},"constructor":{"prototype":{"polluted":1}}';
  return json.startsWith('{') ? `{${extra}${json.length > 2 ? ',' : ''}${json.slice(1)}` : `{${extra}}`;
};

/** A zod schema's wire form (input side) with its named parts, ready for validShaped. */
export const jsonSchemaOf = (schema: z.ZodType): { schema: JsonSchema; defs: Readonly<Record<string, unknown>> } => {
  const { $defs, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { schema: rest, defs: isSchema($defs) ? $defs : {} };
};
