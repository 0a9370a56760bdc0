// scripts/js-size.js on a small build tree made here: it counts the entry and the route's nodes
// with their static imports once each (not error pages, not lazy chunks), uses the precompressed
// sizes beside the files, and over budget names the largest chunks. The real build's check is
// the one `npm test` runs (scripts/test.js).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overBudget, routeJavaScript } from '../../scripts/js-size.js';

/** A manifest in SvelteKit's output format, with a chat route (layouts 0 and 2, page 6, error page 1). */
const MANIFEST = `export const manifest = (() => {
return {
	_: {
		client: {start:"_app/immutable/entry/start.A.js",app:"_app/immutable/entry/app.B.js",imports:["_app/immutable/entry/start.A.js","_app/immutable/chunks/shared.js","_app/immutable/entry/app.B.js","_app/immutable/chunks/shared.js"],stylesheets:[],fonts:[]},
		routes: [
			{
				id: "/(auth)/login",
				pattern: /^\\/login\\/?$/,
				params: [],
				page: { layouts: [0,3,], errors: [1,,], leaf: 10 },
				endpoint: null
			},
			{
				id: "/(app)/c/[id]",
				pattern: /^\\/c\\/([^/]+?)\\/?$/,
				params: [{"name":"id","optional":false,"rest":false,"chained":false}],
				page: { layouts: [0,2,], errors: [1,,], leaf: 6 },
				endpoint: null
			}
		]
	}
};
})();`;

const node = (index: number, imports: string[]) =>
	`export const index = ${index};\nexport const imports = ${JSON.stringify(imports)};\nexport const fonts = [];\n`;

describe('scripts/js-size.js', () => {
	let root: string;
	/** Incompressible bytes, so that gzip sizes follow raw sizes. */
	const noise = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7919 + ((i * i) >> 3)) & 255));

	beforeAll(() => {
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-js-size-'));
		const server = path.join(root, '.svelte-kit/output/server');
		fs.mkdirSync(path.join(server, 'nodes'), { recursive: true });
		fs.writeFileSync(path.join(server, 'manifest.js'), MANIFEST);
		fs.writeFileSync(path.join(server, 'nodes/0.js'), node(0, ['_app/immutable/nodes/0.js', '_app/immutable/chunks/shared.js']));
		fs.writeFileSync(path.join(server, 'nodes/1.js'), node(1, ['_app/immutable/nodes/1.js', '_app/immutable/chunks/error-only.js']));
		fs.writeFileSync(path.join(server, 'nodes/2.js'), node(2, ['_app/immutable/nodes/2.js', '_app/immutable/chunks/shared.js']));
		fs.writeFileSync(path.join(server, 'nodes/6.js'), node(6, ['_app/immutable/nodes/6.js', '_app/immutable/chunks/chat.js']));
		const client = path.join(root, 'build/client/_app/immutable');
		const sizes: Record<string, number> = {
			'entry/start.A.js': 1000,
			'entry/app.B.js': 2000,
			'chunks/shared.js': 3000,
			'nodes/0.js': 500,
			'nodes/1.js': 100,
			'chunks/error-only.js': 50_000,
			'nodes/2.js': 700,
			'nodes/6.js': 9000,
			'chunks/chat.js': 20_000,
			'chunks/lazy-markdown.js': 90_000
		};
		for (const [file, size] of Object.entries(sizes)) {
			fs.mkdirSync(path.dirname(path.join(client, file)), { recursive: true });
			fs.writeFileSync(path.join(client, file), noise(size));
		}
		// As adapter-node's precompress leaves them: the chat chunk's .gz is what is sent.
		fs.writeFileSync(path.join(client, 'chunks/chat.js.gz'), Buffer.alloc(12_345));
		fs.writeFileSync(path.join(client, 'chunks/chat.js.br'), Buffer.alloc(11_111));
	});
	afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

	it("counts the entry and the route's layouts and page with their static imports, each once", () => {
		const measure = routeJavaScript('/(app)/c/[id]', root);
		const files = measure.scripts.map((s) => s.file.replace('_app/immutable/', '')).sort();
		expect(files).toEqual([
			'chunks/chat.js',
			'chunks/shared.js',
			'entry/app.B.js',
			'entry/start.A.js',
			'nodes/0.js',
			'nodes/2.js',
			'nodes/6.js'
		]);
		expect(measure.raw).toBe(1000 + 2000 + 3000 + 500 + 700 + 9000 + 20_000);
		// Precompressed sizes where the build has them, gzip -9 made here elsewhere.
		const chat = measure.scripts.find((s) => s.file.endsWith('chunks/chat.js'))!;
		expect(chat).toMatchObject({ gzip: 12_345, br: 11_111 });
		const shared = measure.scripts.find((s) => s.file.endsWith('chunks/shared.js'))!;
		expect(shared.gzip).toBe(zlib.gzipSync(noise(3000), { level: 9 }).length);
		expect(measure.gzip).toBe(measure.scripts.reduce((sum, s) => sum + s.gzip, 0));
		// Largest first.
		expect(measure.scripts[0]!.file).toBe('_app/immutable/chunks/chat.js');
	});

	it('measures another route by its own nodes', () => {
		fs.writeFileSync(path.join(root, '.svelte-kit/output/server/nodes/3.js'), node(3, ['_app/immutable/nodes/0.js']));
		fs.writeFileSync(path.join(root, '.svelte-kit/output/server/nodes/10.js'), node(10, ['_app/immutable/nodes/1.js']));
		const files = routeJavaScript('/(auth)/login', root).scripts.map((s) => s.file.replace('_app/immutable/', ''));
		expect(files.sort()).toEqual(['chunks/shared.js', 'entry/app.B.js', 'entry/start.A.js', 'nodes/0.js', 'nodes/1.js']);
	});

	it('passes within the budget and, over it, names the largest chunks', () => {
		const measure = routeJavaScript('/(app)/c/[id]', root);
		expect(overBudget(measure, Math.ceil(measure.gzip / 1024))).toBeNull();
		const failure = overBudget(measure, 10);
		expect(failure).toMatch(/^\/\(app\)\/c\/\[id\]: its JavaScript is [\d.]+ KiB gzipped, over the budget of 10 KiB/);
		expect(failure).toContain('_app/immutable/chunks/chat.js');
		expect(failure!.indexOf('chunks/chat.js')).toBeLessThan(failure!.indexOf('nodes/6.js'));
	});

	it('says what is wrong when the build is missing or a route is unknown', () => {
		expect(() => routeJavaScript('/(app)/c/[id]', path.join(root, 'nowhere'))).toThrow(/manifest\.js is missing: run npm run build/);
		expect(() => routeJavaScript('/nope', root)).toThrow(/no route \/nope/);
	});
});
