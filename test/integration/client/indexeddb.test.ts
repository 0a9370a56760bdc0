// The IndexedDB backend in real Chromium (not a stand-in): the outbox journal, small values, a
// document's y-indexeddb copy, the localStorage journal and the last user survive a reload; `wipe(userId)` tells another
// tab first, then deletes every database of that user and only that user. The page is a tiny
// one served from 127.0.0.1 with the storage modules bundled by rolldown (Vite's bundler).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolldown } from 'rolldown';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser } from '../../helpers/browser.js';

const hasChromium = chromiumAvailable();

describe.runIf(hasChromium)('IndexedDB device storage (Chromium)', () => {
	let server: http.Server;
	let origin: string;
	let browser: Browser;

	beforeAll(async () => {
		const bundle = await rolldown({ input: 'test/integration/client/idb-entry.ts', platform: 'browser' });
		const code = (await bundle.generate({ format: 'iife' })).output[0].code;
		await bundle.close();
		server = http.createServer((req, res) => {
			if (req.url === '/storage.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
			else
				res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>storage</title><script src="/storage.js"></script>');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await new Promise((resolve) => server?.close(resolve));
	});

	const page = async (context: Awaited<ReturnType<Browser['newContext']>>): Promise<Page> => {
		const p = await context.newPage();
		await p.goto(origin + '/');
		await p.waitForFunction(() => 'parley' in globalThis);
		return p;
	};

	it('outbox records, values, a document and the last user survive a reload; a wipe reaches the other tab and deletes only that user', async () => {
		const context = await browser.newContext();
		const tab = await page(context);
		await tab.evaluate(async () => {
			const { Y, IndexedDbDeviceStorage, StoreJournal, Outbox } = (globalThis as any).parley;
			const storage = new IndexedDbDeviceStorage();
			for (const userId of ['alice', 'bob']) {
				const user = storage.user(userId);
				const journal = new StoreJournal(user.outbox, 'conv.x');
				const outbox = new Outbox({ journal });
				const doc = new Y.Doc();
				const local = user.bindDoc('conv.x', doc);
				await local.loaded;
				for (let i = 0; i < 3; i++)
					outbox.write(doc, userId, { kind: 'send', envelope: { id: `${userId}-${i}`, author: userId, createdAt: 1, text: 'hi' } });
				outbox.confirmThrough(1);
				await journal.flushed();
				await user.kv.set('people', [{ id: 'carol' }]);
				// the synchronous journal (a draft typed just before a reload)
				user.journal.set('draft.c1', { text: `${userId}'s draft`, at: 1 });
				await local.destroy();
			}
			await storage.setLastUser({ id: 'alice', username: 'alice' });
		});
		// y-indexeddb commits each update in its own transaction and offers no flush (CLIENT-NOTES):
		// wait until alice's three are committed, so that the reload tests loading, not that race
		await tab.waitForFunction(async () => {
			const db: IDBDatabase = await new Promise((resolve, reject) => {
				const req = indexedDB.open('parley.alice.doc.conv.x');
				req.onsuccess = () => resolve(req.result);
				req.onerror = () => reject(req.error);
			});
			const n: number = await new Promise((resolve) => {
				const req = db.transaction('updates').objectStore('updates').count();
				req.onsuccess = () => resolve(req.result);
			});
			db.close();
			return n >= 3;
		});

		await tab.reload();
		await tab.waitForFunction(() => 'parley' in globalThis);
		const loaded = await tab.evaluate(async () => {
			const { Y, IndexedDbDeviceStorage } = (globalThis as any).parley;
			const storage = new IndexedDbDeviceStorage();
			const user = storage.user('alice');
			const doc = new Y.Doc();
			const local = user.bindDoc('conv.x', doc);
			await local.loaded;
			const out = {
				outbox: (await user.outbox.load('conv.x')).map((r: any) => r.op.envelope.id),
				docNames: await user.outbox.docNames(),
				people: await user.kv.get('people'),
				journal: user.journal.entries('draft.'),
				messages: doc
					.getArray('messages')
					.toArray()
					.map((m: any) => m.id),
				lastUser: await storage.lastUser()
			};
			await local.destroy();
			return out;
		});
		expect(loaded).toEqual({
			outbox: ['alice-1', 'alice-2'],
			docNames: ['conv.x'],
			people: [{ id: 'carol' }],
			journal: [['draft.c1', { text: "alice's draft", at: 1 }]],
			messages: ['alice-0', 'alice-1', 'alice-2'],
			lastUser: { id: 'alice', username: 'alice' }
		});

		// a second tab holds alice's databases open and listens
		const other = await page(context);
		await other.evaluate(async () => {
			const { Y, IndexedDbDeviceStorage } = (globalThis as any).parley;
			const storage = new IndexedDbDeviceStorage();
			const g = globalThis as any;
			g.wiped = [];
			storage.onWiped((userId: string) => g.wiped.push(userId));
			await storage.user('alice').kv.get('people'); // an open handle on parley.alice
			const local = storage.user('alice').bindDoc('conv.x', new Y.Doc());
			await local.loaded;
		});
		const after = await tab.evaluate(async () => {
			const { IndexedDbDeviceStorage } = (globalThis as any).parley;
			const storage = new IndexedDbDeviceStorage();
			await storage.wipe('alice');
			return {
				names: (await indexedDB.databases()).map((d) => d.name).sort(),
				lastUser: (await storage.lastUser()) ?? null,
				journalKeys: Object.keys(localStorage).sort()
			};
		});
		expect(after.names).toEqual(['parley', 'parley.bob', 'parley.bob.doc.conv.x']);
		expect(after.journalKeys).toEqual(['parley.bob.journal.draft.c1']);
		expect(after.lastUser).toBeNull();
		await other.waitForFunction(() => (globalThis as any).wiped.length === 1);
		expect(await other.evaluate(() => (globalThis as any).wiped)).toEqual(['alice']);
		await context.close();
	});

	it('a version-1 user database is upgraded keeping its data; media records keep their Blobs through a reload; a wipe removes them', async () => {
		const context = await browser.newContext();
		const tab = await page(context);
		await tab.evaluate(async () => {
			// the database as the previous release left it: version 1, outbox and kv only
			const db: IDBDatabase = await new Promise((resolve, reject) => {
				const req = indexedDB.open('parley.erin', 1);
				req.onupgradeneeded = () => ['outbox', 'kv'].forEach((s) => req.result.createObjectStore(s));
				req.onsuccess = () => resolve(req.result);
				req.onerror = () => reject(req.error);
			});
			const tx = db.transaction('kv', 'readwrite');
			tx.objectStore('kv').put([{ id: 'frank' }], 'people');
			await new Promise((resolve) => (tx.oncomplete = resolve));
			db.close();
			const { IndexedDbDeviceStorage } = (globalThis as any).parley;
			const user = new IndexedDbDeviceStorage().user('erin');
			const blob = new Blob([new Uint8Array([1, 2, 3, 4, 5])], { type: 'image/jpeg' });
			await user.media.put({ id: 'm2', conversationId: 'c', createdAt: 2, caption: 'second', files: [] });
			await user.media.put({
				id: 'm1',
				conversationId: 'c',
				createdAt: 1,
				caption: 'first',
				files: [{ localId: 'f', blob, name: 'a.jpg' }]
			});
		});
		await tab.reload();
		await tab.waitForFunction(() => 'parley' in globalThis);
		const loaded = await tab.evaluate(async () => {
			const { IndexedDbDeviceStorage } = (globalThis as any).parley;
			const storage = new IndexedDbDeviceStorage();
			const user = storage.user('erin');
			const records = await user.media.all();
			const blob: Blob = records[0].files[0].blob;
			const out = {
				people: await user.kv.get('people'),
				order: records.map((r: any) => r.id),
				blob: { type: blob.type, bytes: [...new Uint8Array(await blob.arrayBuffer())] }
			};
			await user.media.delete('m2');
			const left = (await user.media.all()).map((r: any) => r.id);
			await storage.wipe('erin');
			return { ...out, left, names: (await indexedDB.databases()).map((d) => d.name) };
		});
		expect(loaded).toEqual({
			people: [{ id: 'frank' }],
			order: ['m1', 'm2'],
			blob: { type: 'image/jpeg', bytes: [1, 2, 3, 4, 5] },
			left: ['m1'],
			names: expect.not.arrayContaining(['parley.erin'])
		});
		await context.close();
	});

	it('a document loads without y-indexeddb listening, and a write made during the load is stored all the same', async () => {
		const context = await browser.newContext();
		const tab = await page(context);
		const result = await tab.evaluate(async () => {
			const { Y, IndexedDbDeviceStorage } = (globalThis as any).parley;
			const storage = new IndexedDbDeviceStorage();
			const user = storage.user('dana');
			const first = new Y.Doc();
			const a = user.bindDoc('conv.y', first);
			await a.loaded;
			first.getArray('messages').push([{ id: 'stored-before' }]);
			await a.destroy();
			// a second load: who listens to updates while it runs, and a write that lands meanwhile
			const second = new Y.Doc();
			const b = user.bindDoc('conv.y', second);
			const listening: number = (second as any)._observers.get('update')?.size ?? 0;
			second.getArray('messages').push([{ id: 'written-during-load' }]);
			await b.loaded;
			const listeningAfter: number = (second as any)._observers.get('update')?.size ?? 0;
			await b.destroy();
			const third = new Y.Doc();
			const c = user.bindDoc('conv.y', third);
			await c.loaded;
			const ids = third
				.getArray('messages')
				.toArray()
				.map((m: any) => m.id)
				.sort();
			await c.destroy();
			return { listening, listeningAfter, ids };
		});
		expect(result).toEqual({ listening: 0, listeningAfter: 1, ids: ['stored-before', 'written-during-load'] });
		await context.close();
	});
});
