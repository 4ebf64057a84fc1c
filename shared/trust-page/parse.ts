import { base64ToUtf8, unescapeHtml, unescapeMarkdown } from './escape';
import type { SentenceKind } from './model';
import { MARKDOWN_MARKER } from './render-markdown';

export type TrustPageFileFormat = 'html' | 'markdown' | 'bundle';

/** A sentence as the page prints it: the marker's control and kind, the text unescaped. */
export interface PrintedSentence {
  readonly controlId: string;
  readonly kind: string;
  readonly text: string;
}

export interface ParsedTrustPage {
  readonly format: TrustPageFileFormat;
  /** The text with line endings normalised to \n. */
  readonly text: string;
  /** The embedded bundle's JSON text, as embedded; null when there is none (a preview). */
  readonly evidenceJson: string | null;
  /** The slug the page's heading is marked with (null for a bare bundle). */
  readonly subjectSlug: string | null;
  readonly sentences: readonly PrintedSentence[];
}

export class TrustPageParseError extends Error {}

const KINDS: readonly SentenceKind[] = ['claim', 'statement', 'remediation'];

const parseHtml = (text: string): ParsedTrustPage => {
  const evidence = /<pre id="attest-evidence" hidden>([^<]*)<\/pre>/.exec(text);
  const slug = /<h1 data-subject="([^"]*)">/.exec(text);
  const sentences = [...text.matchAll(/<p class="([a-z]+)" data-control="([^"]*)">([^<]*)<\/p>/g)]
    .filter((m) => (KINDS as readonly string[]).includes(m[1]!))
    .map((m) => ({ kind: m[1]!, controlId: unescapeHtml(m[2]!), text: unescapeHtml(m[3]!) }));
  return { format: 'html', text, evidenceJson: evidence ? unescapeHtml(evidence[1]!) : null, subjectSlug: slug ? unescapeHtml(slug[1]!) : null, sentences };
};

const parseMarkdown = (text: string): ParsedTrustPage => {
  const evidence = /\n<!-- attest-evidence\n([A-Za-z0-9+/=]*)\n-->\n/.exec(text);
  let evidenceJson: string | null = null;
  if (evidence) {
    try {
      evidenceJson = base64ToUtf8(evidence[1]!);
    } catch {
      throw new TrustPageParseError('the embedded evidence is not base64 of UTF-8 text');
    }
  }
  const slug = /^# .*<!-- subject:(\S+) -->$/m.exec(text);
  const sentences = [...text.matchAll(/^<!-- control:(\S+) (\S+) -->\n(.*)$/gm)].map((m) => ({ controlId: m[1]!, kind: m[2]!, text: unescapeMarkdown(m[3]!) }));
  return { format: 'markdown', text, evidenceJson, subjectSlug: slug ? slug[1]! : null, sentences };
};

/** Recognises a page (HTML or Markdown, as Attest renders them) or a bare snapshot.json bundle. */
export const parseTrustPageFile = (raw: string): ParsedTrustPage => {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const start = text.trimStart();
  if (start.startsWith('<!DOCTYPE html')) return parseHtml(text);
  if (start.startsWith(MARKDOWN_MARKER)) return parseMarkdown(text);
  if (start.startsWith('{')) return { format: 'bundle', text, evidenceJson: text, subjectSlug: null, sentences: [] };
  throw new TrustPageParseError('not an Attest trust page: neither its HTML, its Markdown nor a snapshot.json bundle');
};
