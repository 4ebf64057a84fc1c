import { noticeHtml } from './noticeHtml';

/** A notice as it reads: its Markdown rendered (sanitised: noticeHtml.ts), in a readable column. */
export const NoticePreview = ({ markdown }: { markdown: string }) => (
  // The HTML is markdown-it's with raw HTML off and links and images made text: nothing in it navigates, loads or runs.
  <div className="attest-notice-preview" data-testid="notice-preview" dangerouslySetInnerHTML={{ __html: noticeHtml(markdown) }} />
);
