import MarkdownIt from 'markdown-it';

/**
 * A notice's Markdown as HTML for reading in the console. Sanitised by construction:
 * raw HTML in the source is off (it shows as text), links are not links (their text,
 * then the address as text), images are their alt text, and no attribute of the
 * source reaches the output. Nothing in it navigates, loads or runs.
 */
const md = new MarkdownIt('commonmark', { html: false, linkify: false, typographer: false });
md.validateLink = () => true;
const { escapeHtml } = md.utils;
md.renderer.rules.link_open = () => '';
md.renderer.rules.link_close = (tokens, idx) => {
  let open = idx - 1;
  while (open >= 0 && tokens[open]!.type !== 'link_open') open--;
  const href = String(tokens[open]?.attrGet('href') ?? '');
  return /^(https?:|mailto:)/i.test(href) ? ` <span class="attest-link-target">(${escapeHtml(href)})</span>` : '';
};
md.renderer.rules.image = (tokens, idx, options, env, renderer) => escapeHtml(renderer.renderInlineAsText(tokens[idx]!.children ?? [], options, env));

export const noticeHtml = (markdown: string): string => md.render(markdown);
