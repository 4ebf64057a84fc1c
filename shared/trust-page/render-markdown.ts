import { escapeMarkdown, oneLine, utf8ToBase64 } from './escape';
import type { TrustPageModel } from './model';
import { aboutOf, PREVIEW_NOTICE, VERIFY_NOTE } from './page-text';

export const MARKDOWN_MARKER = '<!-- attest-trust-page v1 -->';

/**
 * Markdown with each sentence after an HTML comment naming its control and kind,
 * and the evidence bundle as base64 in a closing comment (invisible when rendered,
 * and no character of it can end the comment early).
 */
export const renderTrustPageMarkdown = (model: TrustPageModel, evidenceJson: string | null): string => {
  const lines: string[] = [MARKDOWN_MARKER, ''];
  if (model.preview) lines.push(`> **${escapeMarkdown(PREVIEW_NOTICE)}**`, '');
  lines.push(`# ${escapeMarkdown(oneLine(model.subject.name))}: security and trust <!-- subject:${model.subject.slug} -->`, '');
  lines.push(escapeMarkdown(aboutOf(model)), '');
  for (const section of model.sections) {
    lines.push(`## ${escapeMarkdown(section.title)}`, '');
    for (const s of section.sentences) lines.push(`<!-- control:${s.controlId} ${s.kind} -->`, escapeMarkdown(s.text), '');
  }
  lines.push('---', '', escapeMarkdown(VERIFY_NOTE), '');
  if (evidenceJson !== null) lines.push('<!-- attest-evidence', utf8ToBase64(evidenceJson), '-->', '');
  return lines.join('\n');
};
