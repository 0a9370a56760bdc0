/** Message Markdown: the formatting people use renders; nothing a message holds can run script. */
import { describe, expect, it } from 'vitest';
import { plainPreview, renderMarkdown } from '../../../src/lib/client/markdown.js';

/** Every attribute name in the HTML (an `on…` handler anywhere means script could run). */
const attributeNames = (html: string) =>
	[...html.matchAll(/<[a-z][^>]*>/gi)].flatMap((tag) => [...tag[0].matchAll(/\s([a-z-]+)=/gi)].map((m) => m[1]!.toLowerCase()));
const tags = (html: string) => [...html.matchAll(/<([a-z0-9]+)/gi)].map((m) => m[1]!.toLowerCase());

describe('renderMarkdown', () => {
	it('renders bold, italic, strike, inline and block code, lists and quotes', () => {
		const html = renderMarkdown('**b** *i* ~~s~~ `c`\n\n```\nx < y\n```\n\n- one\n- two\n\n1. first\n\n> quoted');
		expect(html).toContain('<strong>b</strong>');
		expect(html).toContain('<em>i</em>');
		expect(html).toContain('<s>s</s>');
		expect(html).toContain('<code>c</code>');
		expect(html).toContain('<pre><code>x &lt; y\n</code></pre>');
		expect(html).toContain('<ul>\n<li>one</li>');
		expect(html).toContain('<ol>\n<li>first</li>');
		expect(html).toContain('<blockquote>');
	});

	it('links http(s) and mailto in a new tab with rel="noopener noreferrer"; bare URLs too', () => {
		const html = renderMarkdown('[site](https://example.org/a?b=1) [mail](mailto:a@example.org) see http://example.com');
		expect(html).toContain('<a href="https://example.org/a?b=1" target="_blank" rel="noopener noreferrer">site</a>');
		expect(html).toContain('<a href="mailto:a@example.org" target="_blank" rel="noopener noreferrer">mail</a>');
		expect(html).toContain('<a href="http://example.com" target="_blank" rel="noopener noreferrer">http://example.com</a>');
	});

	it('never links javascript:, data:, vbscript: or file: URLs, however they are spelled', () => {
		const attacks = [
			'[x](javascript:alert(1))',
			'[x](JaVaScRiPt:alert(1))',
			'[x](  javascript:alert(1))',
			'[x](java\tscript:alert(1))',
			'[x](&#106;avascript:alert(1))',
			'[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
			'[x](vbscript:msgbox(1))',
			'[x](file:///etc/passwd)',
			'<javascript:alert(1)>'
		];
		for (const source of attacks) {
			const html = renderMarkdown(source);
			expect(tags(html), source).not.toContain('a');
			expect(html.toLowerCase(), source).not.toMatch(/href=/);
		}
	});

	it('keeps raw HTML inert: script, onerror, iframes, event handlers and styles are escaped text', () => {
		const attacks = [
			'<script>alert(1)</script>',
			'<img src=x onerror=alert(1)>',
			'<iframe src="https://evil.example"></iframe>',
			'<a href="https://ok.example" onclick="alert(1)">x</a>',
			'<svg onload=alert(1)>',
			'<div style="background:url(javascript:alert(1))">x</div>',
			'**<b onmouseover=alert(1)>bold</b>**',
			'`<script>` ``` <img onerror=x> ```'
		];
		for (const source of attacks) {
			const html = renderMarkdown(source);
			expect(
				tags(html).filter((t) => !['p', 'strong', 'code', 'br', 'pre', 'a'].includes(t)),
				source
			).toEqual([]);
			expect(
				attributeNames(html).filter((name) => name.startsWith('on') || name === 'style' || name === 'src'),
				source
			).toEqual([]);
			expect(html, source).toContain('&lt;');
		}
	});

	it('renders no images (a remote image would track readers)', () => {
		const html = renderMarkdown('![pixel](https://tracker.example/p.gif)');
		expect(tags(html)).not.toContain('img');
	});

	it('every attribute it ever emits is one of href, target, rel, class (fuzzed with markup fragments)', () => {
		const pieces = [
			'<',
			'>',
			'"',
			"'",
			'[',
			']',
			'(',
			')',
			'javascript:',
			'on',
			'error=',
			'`',
			'*',
			'_',
			'~~',
			'http://a.b',
			'\n',
			' ',
			'!',
			'img',
			'script',
			'&#'
		];
		let seed = 7;
		const next = () => (seed = (seed * 48_271) % 2_147_483_647);
		for (let round = 0; round < 2000; round++) {
			const source = Array.from({ length: 12 }, () => pieces[next() % pieces.length]).join('');
			const html = renderMarkdown(source);
			for (const name of attributeNames(html)) expect(['href', 'target', 'rel', 'class'], source).toContain(name);
			for (const href of html.matchAll(/href="([^"]*)"/g)) expect(href[1], source).toMatch(/^(https?:|mailto:)/i);
		}
	});
});

describe('plainPreview', () => {
	it('drops Markdown markers and collapses whitespace, capped with an ellipsis', () => {
		expect(plainPreview('**Hi** _there_\n\n> [link](https://x.y)')).toBe('Hi there link');
		expect(plainPreview('x'.repeat(200), 10)).toBe('xxxxxxxxx…');
	});
});

describe('plainPreview reads Markdown as the message shows it', () => {
	it('keeps what is not formatting and drops what is', () => {
		expect(plainPreview('**bold** and *it* ~~gone~~ `x*y`')).toBe('bold and it gone x*y');
		expect(plainPreview('2 * 3 = 6 and snake_case_name')).toBe('2 * 3 = 6 and snake_case_name');
		expect(plainPreview('- one\n- two\n\n```\ncode\n```')).toBe('one two code');
		expect(plainPreview('<b>not html</b>')).toBe('<b>not html</b>');
	});
});
