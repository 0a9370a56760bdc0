// The installable PWA in Chromium, in a persistent profile as an installed app has: Chromium's
// own installability check passes; the service worker takes control, precaches the build and the
// shell, and never caches /api; persistent storage is asked for after sign-in; a full quota is
// reported and loses nothing stored; with the server STOPPED (setOffline does not stop the
// worker's update check) the app and a deep link boot from the shell; a new version waits, the
// prompt offers a reload, and the reload runs it. The tests share one profile and run in order.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { chromiumAvailable, launchPersistent } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/sync.js';

const MB = 1024 * 1024;
/**
 * The origin's quota from the first page load on. Chromium's IndexedDB grants writes up to the
 * free space it last learnt, for 30 s, without asking the quota manager again
 * (BucketContext::kBucketSpaceCacheTimeLimit): with the app's databases open and ~10 GiB free,
 * a quota lowered later is not seen by a 16 MiB write. A finite quota from the start keeps that
 * allowance under 16 MiB, so the quota test's writes always reach the quota manager. Ample for
 * the precache and the app's data here (~1 MiB).
 */
const STARTING_QUOTA = 12 * MB;
const PASSWORD = 'a quite long browser passphrase';
const BUILD_VERSION: string = JSON.parse(fs.readFileSync('build/client/_app/version.json', 'utf8')).version;

/** A copy of build/ whose worker names another version: a byte-different script is an update. */
function buildNextVersion(suffix: string): { dir: string; version: string; remove(): void } {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-pwa-next-'));
	fs.cpSync(path.resolve('build'), path.join(root, 'build'), { recursive: true });
	// The copied server imports its dependencies (yjs, pg, …) from the project's node_modules.
	fs.symlinkSync(path.resolve('node_modules'), path.join(root, 'node_modules'), 'dir');
	const script = path.join(root, 'build/client/service-worker.js');
	const source = fs.readFileSync(script, 'utf8');
	if (!source.includes(BUILD_VERSION)) throw new Error('the worker no longer embeds its build version');
	const version = `${BUILD_VERSION}-${suffix}`;
	const next = Buffer.from(source.replaceAll(BUILD_VERSION, version));
	fs.writeFileSync(script, next);
	// The build's precompressed copies (what a browser is sent) must say the same.
	fs.writeFileSync(`${script}.br`, zlib.brotliCompressSync(next));
	fs.writeFileSync(`${script}.gz`, zlib.gzipSync(next));
	return { dir: path.join(root, 'build'), version, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/**
 * Puts the real browser modules of src/lib/client/pwa into the page as `window.parleyPwa`
 * (compiled to CommonJS and linked by a ten-line loader; evaluated over CDP, which the CSP allows).
 */
async function injectPwaModules(page: Page): Promise<void> {
	const names = ['cache-names', 'messages', 'caches', 'storage'];
	const modules = names.map((name) => {
		const source = fs.readFileSync(path.resolve(`src/lib/client/pwa/${name}.ts`), 'utf8');
		const { outputText } = ts.transpileModule(source, {
			compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 }
		});
		return `${JSON.stringify(name)}: function (exports, require) {\n${outputText}\n}`;
	});
	await page.evaluate(`(() => {
		const defs = { ${modules.join(',\n')} };
		const done = {};
		const require = (spec) => {
			const name = spec.replace(/^\\.\\//, '').replace(/\\.js$/, '');
			if (!done[name]) { done[name] = {}; defs[name](done[name], require); }
			return done[name];
		};
		window.parleyPwa = Object.assign({}, ...${JSON.stringify(names)}.map(require));
	})()`);
}

/** The version the page's controlling worker serves, or null with no controller. */
function workerVersion(page: Page): Promise<string | null> {
	return page.evaluate(
		() =>
			new Promise<string | null>((resolve) => {
				const controller = navigator.serviceWorker.controller;
				if (!controller) return resolve(null);
				const channel = new MessageChannel();
				channel.port1.onmessage = (event) => resolve((event.data as { version: string }).version);
				controller.postMessage({ type: 'GET_VERSION' }, [channel.port2]);
			})
	);
}

/** Every URL path in every Cache Storage cache, by cache name. */
function cachedPaths(page: Page): Promise<Record<string, string[]>> {
	return page.evaluate(async () => {
		const out: Record<string, string[]> = {};
		for (const name of await caches.keys())
			out[name] = (await (await caches.open(name)).keys()).map((request) => new URL(request.url).pathname);
		return out;
	});
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): string {
	return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

describe.skipIf(!chromiumAvailable())('installable PWA and offline shell in Chromium', () => {
	let server: TestServer;
	let origin: string;
	let port: string;
	let profile: Awaited<ReturnType<typeof launchPersistent>>;
	let context: BrowserContext;
	let page: Page;
	let cdp: CDPSession;
	const problems: string[] = [];
	const builds: ReturnType<typeof buildNextVersion>[] = [];

	beforeAll(async () => {
		server = await startTestServer();
		origin = server.origin;
		port = new URL(origin).port;
		profile = await launchPersistent();
		context = profile.context;
		page = context.pages()[0] ?? (await context.newPage());
		cdp = await context.newCDPSession(page);
		await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: STARTING_QUOTA });
		page.on('pageerror', (error) => problems.push(error.message));
		page.on('console', (message) => {
			if (/Content.Security.Policy|Refused to/i.test(message.text())) problems.push(message.text());
		});
	});
	afterAll(async () => {
		await profile?.close();
		await server?.close();
		for (const copy of builds) copy.remove();
	});

	it('passes Chromium’s installability check, with real icons of the declared sizes', async () => {
		await page.goto(`${origin}/`);
		const manifest = await cdp.send('Page.getAppManifest');
		expect(manifest.url).toBe(`${origin}/manifest.webmanifest`);
		expect(manifest.errors).toEqual([]);
		const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
		expect(installabilityErrors).toEqual([]);

		const json = await (await context.request.get(`${origin}/manifest.webmanifest`)).json();
		expect(json).toMatchObject({ name: 'Parley', display: 'standalone', start_url: '/', id: '/', scope: '/' });
		expect(json.shortcuts.map((s: { name: string }) => s.name)).toEqual(['New chat']);
		const pngs = json.icons.filter((icon: { type: string }) => icon.type === 'image/png');
		expect(pngs.map((icon: { sizes: string; purpose: string }) => `${icon.sizes} ${icon.purpose}`).sort()).toEqual([
			'192x192 any',
			'192x192 maskable',
			'512x512 any',
			'512x512 maskable'
		]);
		for (const icon of [...pngs, { src: '/icons/apple-touch-icon.png', sizes: '180x180' }]) {
			const response = await context.request.get(`${origin}${icon.src}`);
			expect(response.headers()['content-type']).toBe('image/png');
			expect(pngSize(await response.body())).toBe(icon.sizes);
		}
	});

	it('takes control, and asks for persistent storage once someone is signed in', async () => {
		await page.reload();
		await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
		expect(await workerVersion(page)).toBe(BUILD_VERSION);
		// Signed out: not asked.
		expect(await page.evaluate(() => localStorage.getItem('parley-persist-asked'))).toBeNull();

		const res = await context.request.post(`${origin}/api/auth/register`, {
			data: { username: 'pwa_pat', password: PASSWORD, displayName: 'Pat' }
		});
		expect(res.status()).toBe(201);
		await page.reload();
		await page.getByRole('banner').getByText('Pat').waitFor();
		// Signed in: asked once; headless Chromium says no without the permission.
		await page.waitForFunction(() => localStorage.getItem('parley-persist-asked') !== null);
		expect(await page.evaluate(() => navigator.storage.persisted())).toBe(false);
		await injectPwaModules(page);
		type Pwa = { requestPersistentStorage(): Promise<string> };
		const ask = () => page.evaluate(() => (window as unknown as { parleyPwa: Pwa }).parleyPwa.requestPersistentStorage());
		await expect(ask()).resolves.toBe('not-persisted');
		// The person (or an installed app's engagement) grants it: the helper reports it.
		await cdp.send('Browser.grantPermissions', { origin, permissions: ['durableStorage'] });
		await expect(ask()).resolves.toBe('persisted');
		expect(await page.evaluate(() => navigator.storage.persisted())).toBe(true);
	});

	it('precaches the build and the shell, and nothing under /api after browsing', async () => {
		const png = fs.readFileSync('static/icons/icon-192.png');
		const avatar = await context.request.put(`${origin}/api/me/avatar`, { data: png, headers: { 'content-type': 'image/png' } });
		expect(avatar.status(), await avatar.text()).toBe(200);
		const avatarPath: string = (await avatar.json()).user.avatarUrl;

		const apiSeen: string[] = [];
		page.on('request', (request) => {
			if (new URL(request.url()).pathname.startsWith('/api/')) apiSeen.push(new URL(request.url()).pathname);
		});
		// A server-rendered page comes from the server while it is up; an app page is the shell,
		// rendered in the browser.
		const settings = await page.goto(`${origin}/settings/profile`);
		expect(await settings!.text()).toContain('Pat');
		const home = await page.goto(`${origin}/`);
		expect(home!.fromServiceWorker()).toBe(true);
		expect(await home!.text()).not.toContain('Signed in as');
		// The app rendered the signed-in person's chat list from the shell.
		await page.getByRole('navigation', { name: 'Conversations' }).waitFor();
		await page.waitForFunction(
			(src) => [...document.images].some((img) => img.complete && img.naturalWidth > 0 && img.src.endsWith(src)),
			avatarPath
		);
		expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(200);
		expect(apiSeen).toContain(avatarPath);

		const cached = await cachedPaths(page);
		const precache = Object.entries(cached).find(([name]) => name.startsWith('workbox-precache'))?.[1] ?? [];
		expect(precache).toContain('/shell');
		expect(precache).toContain('/manifest.webmanifest');
		expect(precache.some((p) => p.startsWith('/_app/immutable/entry/'))).toBe(true);
		const all = Object.values(cached).flat();
		expect(all.filter((p) => p.startsWith('/api') || p.endsWith('__data.json'))).toEqual([]);

		// clearPwaCaches (sign-out) deletes any other cache and keeps the user-neutral precache.
		await injectPwaModules(page);
		const deleted = await page.evaluate(async () => {
			await (await caches.open('parley-user-thing')).put('/api/me', new Response('{}'));
			return (window as unknown as { parleyPwa: { clearPwaCaches(): Promise<string[]> } }).parleyPwa.clearPwaCaches();
		});
		expect(deleted).toEqual(['parley-user-thing']);
		expect(Object.keys(await cachedPaths(page))).toEqual(Object.keys(cached));
	});

	it('reports a full quota and keeps what was stored (a real quota, set over CDP)', async () => {
		await injectPwaModules(page);
		const { usage, quota } = await cdp.send('Storage.getUsageAndQuota', { origin });
		// the app ran under the starting quota (see STARTING_QUOTA), and left room for a small write
		expect(quota).toBe(STARTING_QUOTA);
		expect(usage + 4 * MB).toBeLessThan(STARTING_QUOTA);
		await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 4 * MB });
		try {
			const result = await page.evaluate(async (mb) => {
				type Pwa = {
					checkQuota(bytes: number): Promise<{ fits: boolean }>;
					guardQuota<T>(write: () => Promise<T>, onFull: (f: { usage: number; quota: number }) => void): Promise<{ ok: boolean }>;
				};
				const pwa = (window as unknown as { parleyPwa: Pwa }).parleyPwa;
				const db = await new Promise<IDBDatabase>((resolve, reject) => {
					const open = indexedDB.open('parley-quota-test', 1);
					open.onupgradeneeded = () => open.result.createObjectStore('kv');
					open.onsuccess = () => resolve(open.result);
					open.onerror = () => reject(open.error);
				});
				const run = (mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest) =>
					new Promise<unknown>((resolve, reject) => {
						const tx = db.transaction('kv', mode);
						const request = act(tx.objectStore('kv'));
						tx.oncomplete = () => resolve(request.result);
						tx.onabort = () => reject(tx.error ?? request.error);
					});
				// Incompressible bytes: IndexedDB compresses values, so zeros would fit.
				const noise = (bytes: number) => {
					const out = new Uint8Array(bytes);
					for (let i = 0; i < bytes; i += 65536) crypto.getRandomValues(out.subarray(i, i + 65536));
					return out;
				};
				await run('readwrite', (store) => store.put('every word', 'kept'));
				const told: { usage: number; quota: number }[] = [];
				const write = await pwa.guardQuota(
					() => run('readwrite', (store) => store.put(noise(16 * mb), 'big')),
					(f) => told.push(f)
				);
				return {
					// Chromium reports usage + 10 GiB to pages whatever the real quota: only absurd sizes fail the pre-check.
					small: (await pwa.checkQuota(1024)).fits,
					absurd: (await pwa.checkQuota(1e15)).fits,
					write,
					told,
					kept: await run('readonly', (store) => store.get('kept')),
					big: await run('readonly', (store) => store.get('big'))
				};
			}, MB);
			expect(result).toMatchObject({ small: true, absurd: false, write: { ok: false, reason: 'quota' }, kept: 'every word' });
			expect(result.big).toBeUndefined();
			expect(result.told).toHaveLength(1);
			expect(result.told[0]!.usage).toBeGreaterThan(0);

			// A quota failure nobody handled (as y-indexeddb's would be) shows the page's alert.
			const alert = page.getByRole('alert');
			expect(await alert.count()).toBe(0);
			expect(problems).toEqual([]);
			await page.evaluate(async (mb) => {
				const db = await new Promise<IDBDatabase>((resolve) => {
					const open = indexedDB.open('parley-quota-test', 1);
					open.onsuccess = () => resolve(open.result);
				});
				const bytes = new Uint8Array(16 * mb);
				for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
				void new Promise((_, reject) => {
					const tx = db.transaction('kv', 'readwrite');
					tx.objectStore('kv').put(bytes, 'big');
					tx.onabort = () => reject(tx.error);
				});
			}, MB);
			await alert.getByText('Storage for Parley on this device is full').waitFor();
			// The deliberately unhandled rejection is the page's only error.
			expect(problems.splice(0)).toEqual([expect.stringContaining('QuotaExceededError')]);
			await alert.getByRole('button', { name: 'Dismiss' }).click();
			await expect.poll(() => alert.count()).toBe(0);
		} finally {
			await cdp.send('Storage.overrideQuotaForOrigin', { origin });
		}
	});

	it('with the server stopped, /, a deep link and the sign-in page boot from the shell', async () => {
		await server.stop();
		await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
		// An app page, a deep link, and a server-rendered page (network first, then the shell).
		for (const target of ['/', '/c/some-conversation-id', '/login']) {
			const failed: string[] = [];
			const fromWorker: string[] = [];
			const onFailed = (request: { url(): string }) => failed.push(new URL(request.url()).pathname);
			const onResponse = (response: { url(): string; fromServiceWorker(): boolean }) => {
				if (response.fromServiceWorker()) fromWorker.push(new URL(response.url()).pathname);
			};
			page.on('requestfailed', onFailed);
			page.on('response', onResponse);
			const response = await page.goto(`${origin}${target}`);
			expect(response?.status()).toBe(200);
			expect(response?.fromServiceWorker()).toBe(true);
			expect(response?.headers()['x-frame-options']).toBe('DENY');
			expect(response?.headers()['content-security-policy']).toBe("frame-ancestors 'none'");
			await expect(page.title()).resolves.toContain('Parley');
			// The client app started from precached code and rendered into Kit's target.
			await page.waitForFunction(() => [...document.querySelector('body > div')!.children].some((el) => el.tagName !== 'SCRIPT'));
			expect(fromWorker.some((p) => p.startsWith('/_app/immutable/entry/'))).toBe(true);
			// Only data from the (stopped) server may fail: never the app's own code or styles.
			// (Kit's /_app/version.json check may fail: it is not code, and offline it should.)
			expect(failed.filter((p) => p.startsWith('/_app/immutable/'))).toEqual([]);
			// The app pages boot for the cached user with no server: the chat list, and the chat view.
			if (target !== '/login') await page.getByRole('navigation', { name: 'Conversations' }).waitFor();
			if (target.startsWith('/c/')) await page.getByRole('log').waitFor();
			page.off('requestfailed', onFailed);
			page.off('response', onResponse);
		}
		expect(problems).toEqual([]);
	});

	/** Serves `copy` on the same origin and database, and runs the update flow through the prompt. */
	async function updateTo(copy: ReturnType<typeof buildNextVersion>, from: string, texts: { ready: string; reload: string }) {
		await server.stop();
		server = await startTestServer({ database: server.database, env: { PORT: port }, buildDir: copy.dir });
		expect(server.origin).toBe(origin);
		// A navigation makes the browser check the worker script; the new one installs and waits.
		await page.goto(`${origin}/`);
		// The prompt, not the app's own connection status.
		const status = page.getByRole('status').filter({ hasText: texts.ready });
		const reload = status.getByRole('button', { name: texts.reload });
		await reload.waitFor({ timeout: 30_000 });
		await expect(status.textContent()).resolves.toContain(texts.ready);
		expect(await workerVersion(page)).toBe(from);

		const reloaded = page.waitForEvent('load');
		await reload.click();
		await reloaded;
		await waitFor(async () => (await workerVersion(page)) === copy.version, { what: 'the new worker in control' });
		await page.getByRole('banner').waitFor();
		expect(await reload.count()).toBe(0);
		expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();
	}

	it('a new version waits, the prompt offers Reload, and the reload runs the new worker', async () => {
		const copy = buildNextVersion('next');
		builds.push(copy);
		await updateTo(copy, BUILD_VERSION, { ready: 'A new version of Parley is ready.', reload: 'Reload' });
		expect(problems).toEqual([]);
	});

	it('the prompt speaks Russian to a Russian page, and a second update works the same way', async () => {
		await context.addCookies([{ name: 'parley-lang', value: 'ru', url: origin }]);
		const copy = buildNextVersion('next2');
		const previous = builds.at(-1)!.version;
		builds.push(copy);
		await updateTo(copy, previous, { ready: 'Готова новая версия Parley.', reload: 'Обновить' });
		expect(problems).toEqual([]);
	});
});
