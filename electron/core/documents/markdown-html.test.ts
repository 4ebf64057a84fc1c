import { describe, expect, it } from 'vitest';
import { escapeHtmlText as escapeHtml, markdownToHtml } from './markdown-html';

describe('markdownToHtml', () => {
  it('renders the structure the incident documents use', () => {
    const html = markdownToHtml(
      ['# Notice: Leaked keys', '', 'To: Acme GmbH', '', '## Likely impact', '', 'Two keys', 'were exposed.', '', '- Detected: 2026-11-23', '- Resolved: not yet', '', '1. one', '2. two', ''].join('\n'),
    );
    expect(html).toBe(
      [
        '<h1>Notice: Leaked keys</h1>',
        '<p>To: Acme GmbH</p>',
        '<h2>Likely impact</h2>',
        '<p>Two keys\nwere exposed.</p>',
        '<ul>\n<li>Detected: 2026-11-23</li>\n<li>Resolved: not yet</li>\n</ul>',
        '<ol>\n<li>one</li>\n<li>two</li>\n</ol>',
        '',
      ].join('\n'),
    );
  });

  it('renders emphasis, code, quotes, fenced code and rules', () => {
    expect(markdownToHtml('**bold** and *em* and _em_ and `a < b`')).toBe('<p><strong>bold</strong> and <em>em</em> and <em>em</em> and <code>a &lt; b</code></p>\n');
    expect(markdownToHtml('> quoted *line*')).toBe('<blockquote>\n<p>quoted <em>line</em></p>\n</blockquote>\n');
    expect(markdownToHtml('```\n<b>x</b>\n```')).toBe('<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n');
    expect(markdownToHtml('above\n\n---\n\nbelow')).toBe('<p>above</p>\n<hr>\n<p>below</p>\n');
    expect(markdownToHtml('snake_case_name')).toBe('<p>snake_case_name</p>\n');
    expect(markdownToHtml('\\*not em\\*')).toBe('<p>*not em*</p>\n');
  });

  it('escapes raw HTML, inline and as a block, so it prints as text', () => {
    const html = markdownToHtml('<script>alert(1)</script>\n\nSee <img src=x onerror="alert(2)"> & <b>bold</b>');
    expect(html).toBe(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n<p>See &lt;img src=x onerror=&quot;alert(2)&quot;&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</p>\n',
    );
    expect(html).not.toMatch(/<(script|img|b)\b/);
    expect(markdownToHtml('# <iframe src="https://evil.example">')).toBe('<h1>&lt;iframe src=&quot;https://evil.example&quot;&gt;</h1>\n');
    expect(markdownToHtml('- <svg onload=alert(3)>')).toBe('<ul>\n<li>&lt;svg onload=alert(3)&gt;</li>\n</ul>\n');
    expect(markdownToHtml('`</code><script>x</script>`')).toBe('<p><code>&lt;/code&gt;&lt;script&gt;x&lt;/script&gt;</code></p>\n');
  });

  it('never makes a link or loads an image: links are their text, with the address only when it is http(s) or mailto', () => {
    expect(markdownToHtml('[status page](https://status.example.com/a?b=1&c=2)')).toBe(
      '<p>status page <span class="link-target">(https://status.example.com/a?b=1&amp;c=2)</span></p>\n',
    );
    expect(markdownToHtml('[click me](javascript:alert(document.cookie))')).toBe('<p>click me</p>\n');
    expect(markdownToHtml('[x](JaVaScRiPt:alert(1)) [y](data:text/html;base64,PHNjcmlwdD4=) [z](vbscript:x)')).toBe('<p>x y z</p>\n');
    // An autolink is its address as text, whatever the scheme.
    expect(markdownToHtml('<javascript:alert(1)> and <https://example.com/>')).toBe('<p>javascript:alert(1) and https://example.com/</p>\n');
    expect(markdownToHtml('![tracking pixel](https://evil.example/p.gif)')).toBe('<p>tracking pixel</p>\n');
    expect(markdownToHtml('[<img src=x onerror=alert(1)>](https://a.example)')).toBe(
      '<p>&lt;img src=x onerror=alert(1)&gt; <span class="link-target">(https://a.example)</span></p>\n',
    );
    expect(markdownToHtml('[a](https://x.example/"onmouseover="alert(1))')).not.toMatch(/<a\b|"onmouseover/);
    for (const md of ['[a](https://x)', '<https://x>', 'https://x']) expect(markdownToHtml(md)).not.toContain('href');
  });

  it('escapes the characters that matter in text and in double-quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(`&lt;a href=&quot;x&quot; title='y'&gt;&amp;&lt;/a&gt;`);
  });
});
