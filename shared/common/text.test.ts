import { describe, expect, it } from 'vitest';
import { MultiLineText, printableLine, SecretText, SingleLineText } from './text';

const C0 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i));
const C1 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(0x80 + i));
const NOT_TEXT = [...C0.filter((c) => c !== '\t' && c !== '\n'), '\u007f', ...C1, '\u2028', '\u2029', '\u202a', '\u202e', '\u2066', '\u2069', '\ud800', '\udfff'];

describe('free text', () => {
  it.each(NOT_TEXT.map((c) => [`U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`, c]))('refuses %s anywhere in single- and multi-line text', (_, c) => {
    for (const text of [c, `a${c}`, `${c}a`, `a${c}b`]) {
      expect(SingleLineText.safeParse(text).success).toBe(false);
      expect(MultiLineText.safeParse(text).success).toBe(false);
    }
  });

  it('refuses tab and line feed in single-line text, allows them in multi-line text', () => {
    for (const c of ['\t', '\n']) {
      expect(SingleLineText.safeParse(`a${c}b`).success).toBe(false);
      expect(MultiLineText.parse(`a${c}b`)).toBe(`a${c}b`);
    }
  });

  it('checks before trimming, so a control character at either end is refused, not silently cut', () => {
    expect(SingleLineText.trim().min(1).safeParse('title\u000b').success).toBe(false);
    expect(MultiLineText.trim().safeParse('\u2028note').success).toBe(false);
  });

  it('keeps every printable character: accents, scripts, emoji (paired surrogates), direction marks', () => {
    const text = 'Zoë Ødegård — 東京 مرحبا \u200f 😀 <b>&amp;</b> "quoted" \\ back';
    expect(SingleLineText.parse(text)).toBe(text);
    expect(MultiLineText.parse(`${text}\n\tindented`)).toBe(`${text}\n\tindented`);
  });

  it('says what is wrong in words', () => {
    const issue = SingleLineText.safeParse('a\u0000b').error?.issues[0];
    expect(issue?.message).toMatch(/control characters \(such as NUL\)/);
  });

  it('lets secrets hold any printable character but no control character', () => {
    expect(SecretText.parse('correct horse \u202e battery')).toBe('correct horse \u202e battery');
    for (const c of ['\u0000', '\t', '\n', '\u0085', '\ud800']) expect(SecretText.safeParse(`pw${c}`).success).toBe(false);
  });

  it('printableLine replaces what a line may not hold and keeps the rest', () => {
    expect(printableLine('Mozilla/5.0\u0000 (X11)\u202e 😀\ud800')).toBe('Mozilla/5.0\ufffd (X11)\ufffd 😀\ufffd');
    expect(printableLine('curl/8.5.0')).toBe('curl/8.5.0');
  });
});
