// Issue 21 item 15: sign-out while a picture is being cached. The media cache's write of a file
// still arriving finishes after the page deleted the caches, and re-creates the cache with the
// previous person's picture. The worker's wipe (`MediaCache.wipe`, asked by sign-out through the
// WIPE_MEDIA message) waits for the queued writes and deletes after them. Real Chromium Cache
// Storage and a real HTTP server whose file arrives only when the test lets it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolldown } from 'rolldown';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser } from '../../helpers/browser.js';

const FILE_BYTES = 64 * 1024;

describe.runIf(chromiumAvailable())('media cache wiped at sign-out while a write is pending (Chromium)', () => {
	let server: http.Server;
	let origin: string;
	let browser: Browser;
	/** Responses whose second half waits for the test: path → finish. */
	const held = new Map<string, () => void>();
	const asked = new Set<string>();

	beforeAll(async () => {
		const bundle = await rolldown({ input: 'test/integration/client/media-wipe-entry.ts', platform: 'browser' });
		const code = (await bundle.generate({ format: 'iife' })).output[0].code;
		await bundle.close();
		server = http.createServer((req, res) => {
			if (req.url === '/media.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
			if (req.url?.startsWith('/api/uploads/')) {
				res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(FILE_BYTES) });
				res.write(Buffer.alloc(FILE_BYTES / 2, 1));
				held.set(req.url, () => res.end(Buffer.alloc(FILE_BYTES / 2, 2)));
				asked.add(req.url);
				return;
			}
			res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>media</title><script src="/media.js"></script>');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		browser = await launchBrowser();
	});
	afterAll(async () => {
		for (const finish of held.values()) finish();
		await browser?.close();
		await new Promise((resolve) => server?.close(resolve));
	});

	async function open(): Promise<Page> {
		const page = await (await browser.newContext()).newPage();
		await page.goto(origin + '/');
		await page.waitForFunction(() => 'parley' in globalThis);
		return page;
	}

	/** Starts caching `path` in the page (its write waits for the body); resolves once the server is sending it. */
	async function startCaching(page: Page, path: string) {
		await page.evaluate(async (url) => {
			const g = globalThis as any;
			g.media ??= new g.parley.MediaCache(caches);
			g.pending ??= [];
			// The page takes its answer (the worker's caller would read it); the write waits for the whole body.
			await g.media.handle(new Request(url), (work: Promise<unknown>) => g.pending.push(work));
		}, origin + path);
		await expect.poll(() => asked.has(path)).toBe(true);
	}
	const cached = (page: Page, path: string) =>
		// caches.match with a name opens nothing (caches.open would create the cache it looks at).
		page.evaluate(async (url) => !!(await caches.match(url, { cacheName: (globalThis as any).parley.MEDIA_CACHE })), origin + path);
	const settle = (page: Page) => page.evaluate(() => Promise.all((globalThis as any).pending));
	const cacheExists = (page: Page) => page.evaluate(() => caches.has((globalThis as any).parley.MEDIA_CACHE));

	it('before: deleting the caches while writes are queued lets them bring the pictures back', async () => {
		const page = await open();
		// Two pictures on screen at sign-out: the second's write waits behind the first's.
		await startCaching(page, '/api/uploads/before-1');
		await startCaching(page, '/api/uploads/before-2');
		await page.evaluate(() => (globalThis as any).parley.clearPwaCaches(caches));
		held.get('/api/uploads/before-1')!();
		held.get('/api/uploads/before-2')!();
		await settle(page);
		// The race the issue describes, reproduced: the previous person's picture is stored again.
		expect(await cached(page, '/api/uploads/before-2')).toBe(true);
		await page.context().close();
	});

	it('after: the worker’s wipe waits for the pending write and deletes after it; nothing comes back', async () => {
		const page = await open();
		await startCaching(page, '/api/uploads/after');
		await startCaching(page, '/api/uploads/after-2');
		const wiped = page.evaluate(async () => {
			const g = globalThis as any;
			await g.media.wipe();
			await g.parley.clearPwaCaches(caches);
		});
		held.get('/api/uploads/after')!();
		held.get('/api/uploads/after-2')!();
		await wiped;
		await settle(page);
		expect(await cached(page, '/api/uploads/after')).toBe(false);
		expect(await cached(page, '/api/uploads/after-2')).toBe(false);
		expect(await cacheExists(page)).toBe(false);
		// A picture asked for after the sign-out (the next person) is cached as usual.
		await startCaching(page, '/api/uploads/next');
		held.get('/api/uploads/next')!();
		await settle(page);
		expect(await cached(page, '/api/uploads/next')).toBe(true);
		await page.context().close();
	});
});
