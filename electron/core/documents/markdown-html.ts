import MarkdownIt from 'markdown-it';

/**
 * Markdown to HTML for documents that are printed, never browsed: markdown-it
 * with raw HTML off (it comes out as text), no linkify and no typographer.
 * Links are not followed: a link is its text, then its address as plain text
 * when that is http(s) or mailto; other schemes (javascript: among them) are
 * dropped. Images are their alt text, so a printed document loads nothing.
 * No attribute of the source ever reaches the output.
 */

const SHOWN_SCHEMES = /^(https?:|mailto:)/i;

const md = new MarkdownIt('commonmark', { html: false, xhtmlOut: false, linkify: false, typographer: false });
// Every link may parse, since none is ever rendered as one: the refused ones would otherwise print as raw Markdown.
md.validateLink = () => true;
const { escapeHtml } = md.utils;

md.renderer.rules.link_open = () => '';
md.renderer.rules.link_close = (tokens, idx) => {
  let open = idx - 1;
  while (open >= 0 && tokens[open]!.type !== 'link_open') open--;
  const opener = tokens[open];
  if (!opener || opener.markup === 'autolink') return '';
  const href = String(opener.attrGet('href') ?? '');
  const label = tokens
    .slice(open + 1, idx)
    .map((t) => t.content)
    .join('');
  return SHOWN_SCHEMES.test(href) && href !== label ? ` <span class="link-target">(${escapeHtml(href)})</span>` : '';
};
md.renderer.rules.image = (tokens, idx, options, env, renderer) => escapeHtml(renderer.renderInlineAsText(tokens[idx]!.children ?? [], options, env));

export const escapeHtmlText = escapeHtml;

/** The body HTML (no document around it) of a Markdown text; safe to place in any element. */
export function markdownToHtml(markdown: string): string {
  return md.render(markdown);
}
