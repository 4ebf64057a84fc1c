/**
 * Test helper: request bodies shaped as an endpoint's schema asks (from the JSON
 * Schema the OpenAPI document is built from), one per branch of every union, with
 * every string leaf named, so a test can put hostile text into each in turn.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { z } from 'zod';
import { MULTI_LINE_PATTERN, SECRET_PATTERN, SINGLE_LINE_PATTERN } from '../../shared/common/text';

interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly format?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly minimum?: number;
  readonly minItems?: number;
  readonly $ref?: string;
  readonly $defs?: Readonly<Record<string, JsonSchema>>;
}

/** What kind of string a leaf is: which characters its schema lets through. */
export type StringKind = 'single-line' | 'multi-line' | 'secret' | 'formatted' | 'choice';

export interface StringLeaf {
  /** Keys from the body's root, as the API's issue paths name them. */
  readonly path: readonly string[];
  readonly kind: StringKind;
}

export interface BodySample {
  readonly value: unknown;
  readonly leaves: readonly StringLeaf[];
}

const TEXT_KINDS: ReadonlyMap<string, StringKind> = new Map([
  [SINGLE_LINE_PATTERN.source, 'single-line'],
  [MULTI_LINE_PATTERN.source, 'multi-line'],
  [SECRET_PATTERN.source, 'secret'],
]);

const matching = (pattern: string): string => fc.sample(fc.stringMatching(new RegExp(pattern)), { numRuns: 1, seed: 11 })[0] ?? '';

const stringSample = (s: JsonSchema): { value: string; kind: StringKind } => {
  if (s.const !== undefined) return { value: String(s.const), kind: 'choice' };
  if (s.enum) return { value: String(s.enum[0]), kind: 'choice' };
  const text = s.pattern === undefined ? undefined : TEXT_KINDS.get(s.pattern);
  if (text) return { value: 'Plain text'.padEnd(s.minLength ?? 0, '.'), kind: text };
  if (s.format === 'uuid') return { value: randomUUID(), kind: 'formatted' };
  if (s.format === 'email') return { value: `someone-${randomUUID().slice(0, 8)}@example.com`, kind: 'formatted' };
  if (s.format === 'date-time') return { value: new Date().toISOString(), kind: 'formatted' };
  if (s.pattern !== undefined) return { value: matching(s.pattern), kind: 'formatted' };
  return { value: 'x'.repeat(Math.max(1, s.minLength ?? 1)), kind: 'formatted' };
};

const prefixed = (key: string, leaves: readonly StringLeaf[]): StringLeaf[] => leaves.map((l) => ({ ...l, path: [key, ...l.path] }));

const samplesOf = (s: JsonSchema, root: JsonSchema): BodySample[] => {
  if (s.$ref) return samplesOf(root.$defs?.[s.$ref.replace('#/$defs/', '')] ?? {}, root);
  const branches = s.oneOf ?? s.anyOf;
  if (branches) return branches.filter((b) => b.type !== 'null').flatMap((b) => samplesOf(b, root));
  if (s.allOf) return samplesOf(s.allOf[0] ?? {}, root);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const props = Object.entries(s.properties ?? {}).map(([key, p]) => [key, samplesOf(p, root)] as const);
      // One body per branch of the most varied property; the others keep their first branch.
      const count = Math.max(1, ...props.map(([, v]) => v.length));
      return Array.from({ length: count }, (_, i) => {
        const chosen = props.map(([key, v]) => [key, v[Math.min(i, v.length - 1)]!] as const);
        return { value: Object.fromEntries(chosen.map(([k, c]) => [k, c.value])), leaves: chosen.flatMap(([k, c]) => prefixed(k, c.leaves)) };
      });
    }
    case 'array':
      return samplesOf(s.items ?? {}, root).map((item) => ({ value: [item.value], leaves: prefixed('0', item.leaves) }));
    case 'string': {
      const { value, kind } = stringSample(s);
      return [{ value, leaves: [{ path: [], kind }] }];
    }
    case 'integer':
    case 'number':
      return [{ value: s.const ?? s.minimum ?? 1, leaves: [] }];
    case 'boolean':
      return [{ value: s.const ?? false, leaves: [] }];
    default:
      return [{ value: null, leaves: [] }];
  }
};

/** Bodies covering every union branch of `schema`, each with its string leaves. */
export const bodySamples = (schema: z.ZodType): BodySample[] => {
  const root = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return samplesOf(root, root);
};

/** A copy of `value` with the string at `path` replaced. */
export const withLeaf = (value: unknown, path: readonly string[], text: string): unknown => {
  if (path.length === 0) return text;
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(value)) return value.map((v, i) => (String(i) === head ? withLeaf(v, rest, text) : v));
  const record = value as Record<string, unknown>;
  return { ...record, [head]: withLeaf(record[head], rest, text) };
};
