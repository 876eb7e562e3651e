import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from '../../../src-renderer/src/components/markdown/Markdown';

const render = (text: string) =>
  renderToStaticMarkup(createElement(Markdown, { text, onCopy: async () => true, onOpenLink: () => undefined }));

describe('Markdown from a model cannot run code, load anything or disguise a link', () => {
  it.each([
    ['a script tag', 'Hello <script>alert(1)</script> there', /<script/i],
    ['an image with onerror', 'Look <img src="x" onerror="alert(1)"> here', /<img\b/i],
    ['an iframe', '<iframe src="https://evil.example/"></iframe>', /<iframe/i],
    ['an inline handler on a link', '<a href="https://evil.example/" onclick="alert(1)">x</a>', /<a\b/i],
    ['a style block', '<style>body { display: none }</style>', /<style/i],
    ['a form', '<form action="https://evil.example/"><button>Go</button></form>', /<form|<button/i],
  ])('raw HTML (%s) is shown as text, not rendered as HTML', (_label, text, forbidden) => {
    const html = render(text);
    expect(html).not.toMatch(forbidden);
    expect(html).toContain('&lt;');
  });

  it.each([
    ['javascript:', '[click me](javascript:alert(document.domain))'],
    ['JavaScript: in mixed case', '[click me](JaVaScRiPt:alert(1))'],
    ['an encoded javascript:', '[click me](&#106;avascript:alert(1))'],
    ['data:', '[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['vbscript:', '[click me](vbscript:msgbox(1))'],
    ['file:', '[click me](file:///etc/passwd)'],
  ])('a %s link keeps its text but is no link', (_label, text) => {
    const html = render(text);
    expect(html).toContain('click me');
    expect(html).not.toMatch(/<a\b/);
    expect(html).not.toMatch(/javascript|data:|vbscript|file:/i);
  });

  it('a web link is a link whose full address shows on hover', () => {
    const html = render('[docs](https://example.com/docs?q=1)');
    expect(html).toContain('href="https://example.com/docs?q=1"');
    expect(html).toContain('title="https://example.com/docs?q=1"');
  });

  it.each([
    ['a remote image', '![tracking pixel](https://evil.example/pixel.png?user=1)', 'https://evil.example/pixel.png?user=1'],
    ['an image without a description', '![](https://evil.example/a.png)', 'https://evil.example/a.png'],
    ['a data: image', '![inline](data:image/png;base64,iVBORw0KGgo=)', null],
    ['a reference image', '![ref][pic]\n\n[pic]: https://evil.example/ref.png', 'https://evil.example/ref.png'],
  ])('%s is never loaded: its description shows, as a link when it is on the web', (_label, text, link) => {
    const html = render(text);
    expect(html).not.toMatch(/<img\b/);
    expect(html).toMatch(/\[image: [^\]]+\]/);
    if (link) expect(html).toContain(`href="${link.replace(/&/g, '&amp;')}"`);
    else expect(html).not.toMatch(/<a\b|data:/);
  });
});
