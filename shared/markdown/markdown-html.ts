/**
 * Markdown to HTML for documents that are printed, never browsed: the subset
 * the incident documents and their users' text use (ATX headings, paragraphs,
 * bullet and ordered lists, block quotes, fenced code, rules; code spans,
 * strong, emphasis, links, images).
 *
 * Safety is by construction: every piece of source text is HTML-escaped before
 * any tag is added, and the tags added are a fixed list without attributes.
 * Raw HTML in the source comes out as text. Links are not followed: a link is its
 * text, then its address as plain text when that is http(s) or mailto (other
 * schemes, javascript: among them, are dropped). Images are their alt text, so a
 * printed document loads nothing.
 *
 * Stands in for markdown-it ({ html: false, linkify: false } with link and image
 * rules rendering text) until that dependency is added; the contract is this
 * module's one function and its tests.
 */

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const SHOWN_SCHEMES = /^(https?:|mailto:)/i;

/** Placeholders for backslash escapes and code spans, in a private-use range the source cannot usefully hold. */
const HOLD = '\uE000';
const HELD = /\uE000(\d+)\uE001/g;

function inline(source: string): string {
  const held: string[] = [];
  const hold = (html: string): string => `${HOLD}${held.push(html) - 1}\uE001`;
  let text = source.replace(/[\uE000\uE001]/g, '');
  text = text.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_m, _ticks: string, code: string) => hold(`<code>${escapeHtml(code.replace(/\n/g, ' ').trim())}</code>`));
  text = text.replace(/\\([\\`*_{}[\]()#+\-.!<>|~"'&])/g, (_m, c: string) => hold(escapeHtml(c)));
  text = escapeHtml(text);
  // Images before links: ![alt](src) is its alt text.
  text = text.replace(/!\[([^\]]*)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+&quot;[^]*?&quot;)?\)/g, (_m, alt: string) => alt);
  text = text.replace(/\[([^\]]+)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+&quot;[^]*?&quot;)?\)/g, (_m, label: string, href: string) => {
    const address = href.replace(/^&lt;|&gt;$/g, '');
    return SHOWN_SCHEMES.test(address) && address !== label ? `${label} <span class="link-target">(${address})</span>` : label;
  });
  // Autolinks <https://…> arrive escaped as &lt;https://…&gt;: keep the address, drop the brackets.
  text = text.replace(/&lt;((?:https?|mailto):[^\s&]+(?:&amp;[^\s&]+)*)&gt;/gi, '$1');
  text = text.replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '<strong>$2</strong>');
  text = text.replace(/(^|[^*\w])\*(?=\S)([^*]*?\S)\*(?!\*)/g, '$1<em>$2</em>');
  text = text.replace(/(^|[^_\w])_(?=\S)([^_]*?\S)_(?![_\w])/g, '$1<em>$2</em>');
  text = text.replace(/ {2,}\n/g, '<br>\n');
  return text.replace(HELD, (_m, i: string) => held[Number(i)] ?? '');
}

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; lines: string[] }
  | { kind: 'list'; ordered: boolean; items: string[][] }
  | { kind: 'quote'; lines: string[] }
  | { kind: 'code'; lines: string[] }
  | { kind: 'rule' };

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const BULLET = /^ {0,3}[-*+][ \t]+(.*)$/;
const ORDERED = /^ {0,3}\d{1,9}[.)][ \t]+(.*)$/;
const FENCE = /^ {0,3}(```+|~~~+)/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}>[ ]?(.*)$/;
const BLANK = /^[ \t]*$/;

function blocks(markdown: string): Block[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (BLANK.test(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!)) code.push(lines[i++]!);
      i++;
      out.push({ kind: 'code', lines: code });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      out.push({ kind: 'heading', level: heading[1]!.length, text: heading[2] ?? '' });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push({ kind: 'rule' });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) quoted.push(QUOTE.exec(lines[i++]!)![1]!);
      out.push({ kind: 'quote', lines: quoted });
      continue;
    }
    const ordered = ORDERED.test(line);
    if (ordered || BULLET.test(line)) {
      const marker = ordered ? ORDERED : BULLET;
      const items: string[][] = [];
      while (i < lines.length) {
        const item = marker.exec(lines[i]!);
        if (item) {
          items.push([item[1]!]);
        } else if (!BLANK.test(lines[i]!) && /^[ \t]+\S/.test(lines[i]!)) {
          items[items.length - 1]!.push(lines[i]!.trim());
        } else {
          break;
        }
        i++;
      }
      out.push({ kind: 'list', ordered, items });
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length) {
      const next = lines[i]!;
      if (BLANK.test(next) || HEADING.test(next) || FENCE.test(next) || QUOTE.test(next) || BULLET.test(next) || ORDERED.test(next)) break;
      if (RULE.test(next) && paragraph.length > 0) break;
      paragraph.push(next.trim());
      i++;
    }
    out.push({ kind: 'paragraph', lines: paragraph });
  }
  return out;
}

function renderBlock(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `<h${block.level}>${inline(block.text)}</h${block.level}>`;
    case 'paragraph':
      return `<p>${inline(block.lines.join('\n'))}</p>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      return `<${tag}>\n${block.items.map((item) => `<li>${inline(item.join('\n'))}</li>`).join('\n')}\n</${tag}>`;
    }
    case 'quote':
      return `<blockquote>\n${markdownToHtml(block.lines.join('\n'))}</blockquote>`;
    case 'code':
      return `<pre><code>${escapeHtml(block.lines.join('\n'))}</code></pre>`;
    case 'rule':
      return '<hr>';
  }
}

/** The body HTML (no document around it) of a Markdown text; safe to place in any element. */
export function markdownToHtml(markdown: string): string {
  return blocks(markdown)
    .map((b) => `${renderBlock(b)}\n`)
    .join('');
}
