/**
 * JSON lets a request carry an unpaired UTF-16 surrogate (`"\udc00"`), which is
 * not Unicode text: it cannot be stored as UTF-8 (PGlite's encoder then sends the
 * database invalid bytes; PostgreSQL refuses it inside jsonb). Requests are
 * refused at the edge instead, wherever the string sits.
 */
const UNPAIRED = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The path (`body.items.0.name`) of the first string or key with an unpaired surrogate, or null. Runs on parsed, schema-shaped input. */
export const findUnpairedSurrogate = (value: unknown, path: string): string | null => {
  if (typeof value === 'string') return UNPAIRED.test(value) ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    if (UNPAIRED.test(key)) return path;
    const found = findUnpairedSurrogate(child, `${path}.${key}`);
    if (found) return found;
  }
  return null;
};
