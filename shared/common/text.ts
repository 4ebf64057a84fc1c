import { z } from 'zod';

/**
 * Free text as people type it: names, titles, reasons, comments, notes. Every
 * free-text field of every request schema is built from one of these, so each
 * refuses the same characters with the same message (400 validation_failed).
 *
 * Refused everywhere: C0 controls (NUL … U+001F; PostgreSQL cannot store NUL in
 * text at all), DEL, C1 controls (U+0080–U+009F), unpaired UTF-16 surrogates
 * (UTF-8 cannot encode them: they would be stored as something else), the line
 * and paragraph separators U+2028/U+2029, and the bidirectional embedding,
 * override and isolate controls U+202A–U+202E and U+2066–U+2069, which make text
 * display in another order than it is stored. Multi-line text allows line feed
 * and tab, nothing else of the above. Plain regular expressions, so the OpenAPI
 * document states the rule as each field's `pattern`.
 */

const CONTROLS = '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f';
const SEPARATORS_AND_BIDI = '\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
const LONE_SURROGATES = '\\ud800-\\udfff';

const only = (forbidden: string): RegExp => new RegExp(`^[^${forbidden}]*$`, 'u');

/** Single line: none of the characters above, not even tab or line feed. */
export const SINGLE_LINE_PATTERN = only(`\\t\\n${CONTROLS}${SEPARATORS_AND_BIDI}${LONE_SURROGATES}`);
/** Multi-line: line feed and tab allowed; no carriage return (clients send \n). */
export const MULTI_LINE_PATTERN = only(`${CONTROLS}${SEPARATORS_AND_BIDI}${LONE_SURROGATES}`);
/** Secrets (passwords, tokens, codes): no control characters or lone surrogates; anything printable. */
export const SECRET_PATTERN = only(`\\t\\n${CONTROLS}${LONE_SURROGATES}`);

const SINGLE_LINE_MESSAGE = 'must be one line of printable text: no control characters (such as NUL), tabs, line breaks or direction overrides';
const MULTI_LINE_MESSAGE = 'must be printable text, line breaks and tabs: no other control characters (such as NUL or carriage return) or direction overrides';

/** A name, title, label or reason. Chain `.trim().min().max()` after it: the characters are checked before trimming. */
export const SingleLineText = z.string().regex(SINGLE_LINE_PATTERN, SINGLE_LINE_MESSAGE);

/** A comment, note or description: lines separated by \n, tabs allowed. */
export const MultiLineText = z.string().regex(MULTI_LINE_PATTERN, MULTI_LINE_MESSAGE);

/** A password, token or code: never stored as text, but still no control characters. */
export const SecretText = z.string().regex(SECRET_PATTERN, 'must not contain control characters');

/** Replaces every character single-line text may not hold with U+FFFD: for text that arrives outside a schema (headers). */
export const printableLine = (text: string): string =>
  text.replace(new RegExp(`[\\t\\n${CONTROLS}${SEPARATORS_AND_BIDI}${LONE_SURROGATES}]`, 'gu'), '\ufffd');
