import { describe, expect, it } from 'vitest';
import { noticeHtml } from './noticeHtml';

describe('notice preview HTML', () => {
  it('renders headings, lists and emphasis', () => {
    expect(noticeHtml('## Likely impact\n\n- one\n- **two**')).toBe('<h2>Likely impact</h2>\n<ul>\n<li>one</li>\n<li><strong>two</strong></li>\n</ul>\n');
  });

  it('shows raw HTML as text, never as markup; links and images do not navigate or load', () => {
    const html = noticeHtml('<script>alert(1)</script>\n\n[click](javascript:alert(1)) [site](https://x.example) ![logo](https://x.example/a.png "t") <img src=x onerror=alert(1)>');
    expect(html).not.toMatch(/<script|<a |<img|<[^>]*onerror/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('click site <span class="attest-link-target">(https://x.example)</span> logo');
  });
});
