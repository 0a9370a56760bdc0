// The small stand-in for `entities` that the build gives markdown-it (src/lib/markdown-entities).
import { describe, expect, it } from 'vitest';
import { decodeHTMLStrict } from '../../../src/lib/markdown-entities/decode.js';
import { markdownEntities } from '../../../src/lib/markdown-entities/vite-plugin.js';

describe('markdown entities', () => {
	it("decodes the references of Markdown's own characters and leaves every other name as typed", () => {
		expect(decodeHTMLStrict('&amp;')).toBe('&');
		expect(decodeHTMLStrict('&lt;')).toBe('<');
		expect(decodeHTMLStrict('&nbsp;')).toBe('\u00a0');
		expect(decodeHTMLStrict('&copy;')).toBe('&copy;');
		expect(decodeHTMLStrict('&toString;')).toBe('&toString;');
		expect(decodeHTMLStrict('&amp')).toBe('&amp');
	});

	it('is given to markdown-it only', () => {
		const plugin = markdownEntities() as unknown as { resolveId: (s: string, i?: string) => string | null };
		expect(plugin.resolveId('entities', '/x/node_modules/markdown-it/dist/markdown-it.mjs')).toMatch(/decode\.js$/);
		expect(plugin.resolveId('entities', '/x/node_modules/htmlparser2/lib/index.js')).toBeNull();
		expect(plugin.resolveId('markdown-it', '/x/src/lib/client/markdown.ts')).toBeNull();
	});
});
