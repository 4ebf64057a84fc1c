/** Escaping for the page's two formats: whatever a tenant typed comes out as text, never as markup. */

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

export const unescapeHtml = (text: string): string =>
  text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);

/**
 * Markdown that renders as the literal text: HTML's specials as entities (Markdown
 * passes raw HTML through), and Markdown's inline punctuation backslash-escaped.
 */
export const escapeMarkdown = (text: string): string =>
  text.replace(/[&<>]/g, (c) => HTML_ESCAPES[c]!).replace(/[\\`*_[\]{}|~#!]/g, (c) => `\\${c}`);

export const unescapeMarkdown = (text: string): string => unescapeHtml(text.replace(/\\([\\`*_[\]{}|~#!])/g, '$1'));

/** One line of text: runs of whitespace (newlines included) become one space. */
export const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** base64 of UTF-8, in chunks (a spread of a large array overflows the stack). */
export const utf8ToBase64 = (text: string): string => {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
};

export const base64ToUtf8 = (b64: string): string =>
  new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(atob(b64), (c: string) => c.charCodeAt(0)));
