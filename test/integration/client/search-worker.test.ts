// The on-device search in real Chromium: the index lives in a module worker, is fed from a Yjs
// document (sync, then live changes), saves itself to IndexedDB (`parley.<userId>.search`), is
// loaded by the next worker instead of being rebuilt, and the sign-out wipe deletes it even while
// a worker holds it open. Bundled by rolldown (Vite's bundler), served from 127.0.0.1.
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolldown } from 'rolldown';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchBrowser } from '../../helpers/browser.js';

const hasChromium = chromiumAvailable();
const alias = { $lib: path.resolve('src/lib') };

async function bundle(input: string, format: 'iife' | 'esm'): Promise<string> {
	const build = await rolldown({ input, platform: 'browser', resolve: { alias } });
	const code = (await build.generate({ format })).output[0].code;
	await build.close();
	return code;
}

describe.runIf(hasChromium)('on-device search worker (Chromium)', () => {
	let server: http.Server;
	let origin: string;
	let browser: Browser;

	beforeAll(async () => {
		const page = await bundle('test/integration/client/search-entry.ts', 'iife');
		const worker = await bundle('src/lib/client/search/worker.ts', 'esm');
		server = http.createServer((req, res) => {
			if (req.url === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(page);
			else if (req.url === '/search-worker.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(worker);
			else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>search</title><script src="/page.js"></script>');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await new Promise((resolve) => server?.close(resolve));
	});

	it('indexes a document in the worker, saves, reloads without re-indexing, and is wiped at sign-out', async () => {
		const context = await browser.newContext();
		const tab = await context.newPage();
		await tab.goto(origin + '/');
		await tab.waitForFunction(() => 'parley' in globalThis);
		const first = await tab.evaluate(async () => {
			const { Y, newClient, messagesOf, watchMessages } = (globalThis as any).parley;
			const search = newClient();
			const opened = await search.open({ userId: 'alice' });
			const doc = new Y.Doc();
			const messages = doc.getArray('messages');
			messages.push([
				{ id: 'a', author: 'bob', createdAt: Date.now() - 1000, text: 'Адрес доставки: улица Ленина, 5' },
				{ id: 'b', author: 'bob', createdAt: Date.now() - 900, text: 'The courier is running late' }
			]);
			const synced = await search.sync({ conversationId: 'c1', messages: messagesOf(doc) });
			// Live: a new message and an edit go through the feed.
			const pending: Promise<unknown>[] = [];
			const stop = watchMessages(doc, 'c1', (changes: unknown) => pending.push(search.apply({ changes })));
			messages.push([{ id: 'c', author: 'alice', createdAt: Date.now(), text: 'Спасибо, жду ёлку' }]);
			doc.getMap('edits').set('b', { text: 'The courier has arrived', editedAt: Date.now() });
			stop();
			await Promise.all(pending);
			const found = {
				address: (await search.query({ q: 'доставка ' })).hits.map((h: any) => [h.messageId, h.highlights]),
				running: (await search.query({ q: 'running ' })).hits.length,
				arrived: (await search.query({ q: 'arriv' })).hits.map((h: any) => h.messageId),
				tree: (await search.query({ q: 'елка ' })).hits.map((h: any) => h.messageId)
			};
			const saved = await search.flush({});
			const names = (await indexedDB.databases()).map((d) => d.name);
			search.dispose();
			return { opened, synced, found, saved, names };
		});
		expect(first).toEqual({
			opened: { size: 0, loaded: false },
			synced: { added: 2, updated: 0, removed: 0, unchanged: 0 },
			found: { address: [['a', ['доставки']]], running: 0, arrived: ['b'], tree: ['c'] },
			saved: { saved: true },
			names: expect.arrayContaining(['parley.alice.search'])
		});

		// The app opens again: a new worker loads the saved index, nothing to index again.
		await tab.reload();
		await tab.waitForFunction(() => 'parley' in globalThis);
		const second = await tab.evaluate(async () => {
			const { newClient, IndexedDbDeviceStorage } = (globalThis as any).parley;
			const search = newClient();
			const opened = await search.open({ userId: 'alice' });
			const hits = (await search.query({ q: 'ленина ' })).hits.map((h: any) => h.messageId);
			// Sign-out: the wipe deletes the index's database though the worker still holds it open.
			await new IndexedDbDeviceStorage().wipe('alice');
			const names = (await indexedDB.databases()).map((d) => d.name);
			search.dispose();
			return { opened, hits, names };
		});
		expect(second.opened).toEqual({ size: 3, loaded: true });
		expect(second.hits).toEqual(['a']);
		expect(second.names).not.toContain('parley.alice.search');
		await context.close();
	});
});
