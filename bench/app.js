// The app in Chromium (npm run bench -- app), issue 18's measures. Each timed measure runs at
// normal speed and with 4× CPU throttling, over BENCH_ROUNDS interleaved rounds (default 5; the
// order rotates each round), with the machine's load before each run and a busy verdict:
// - cold open of a cached chat of 100, 10 000 and 100 000 messages → its newest message painted,
//   from navigation start (offline, served by the service worker), beside a reference (a
//   one-paragraph page from memory in the same tab: the browser's floor), with the app's
//   `parley:open:*` phases;
// - a second cached chat opened in the running app; scrolling 1 000 messages back (long tasks);
// - a new device's first sync of the 100 000-message chat (its first page there: time, bytes over
//   its socket), and the relay's JS heap for that conversation loaded by a stock y-websocket client
//   (forced GC, read through the inspector);
// - the chat route's JavaScript (scripts/js-size.js, the size check's figure) and the sign-in page's
//   and chat's scripts on the wire, compressed and not; typed → painted in another browser; the tab's heap.
// Needs PostgreSQL (BENCH_DATABASE_URL, default the local test server) and /usr/bin/chromium.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { createBenchDatabase, machineLoad, busyVerdict, rounds, startParleyProcess, summary, treeStats } from './lib.js';
import { openSeedDb, seedGroup, seedUsers } from './seed.js';
import { checkHistoryUpdate, historyUpdate } from './history.js';
import { coldOpen, countSocketBytes, paintWatch, referenceOpen, scrollBack, secondOpen, throttle } from './app-page.js';
import { heapAfterGc, inspectorArgs, scriptBytes } from './app-wire.js';
import { roundTrips } from './app-typing.js';
import { connect } from './clients.js';
import { CHAT_ROUTE, CHAT_ROUTE_JS_BUDGET_KIB, CHAT_ROUTE_JS_TARGET_KIB, SIGN_IN_ROUTE, kib, routeJavaScript } from '../scripts/js-size.js';

const SIZES = [100, 10_000, 100_000];
const BIG = 100_000;
const SECOND_CHATS = 5;
const SCROLL_IN = 10_000;
const SCROLL_BACK = 1_000;
const SPEEDS = [1, 4];
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-dev-shm-usage'];
/** Issue 18's targets (ms unless named). */
const TARGETS = { coldOpenMs: 150, secondOpenMs: 50, longTaskMs: 50, bigOverSmall: 1.2 };

/** Progress on stderr: the benchmark takes minutes. */
const step = (what) => process.stderr.write(`  app: ${what}\n`);

/** Seeds two people and their chats (history written straight into the update log); returns them. */
async function seed(databaseUrl) {
	checkHistoryUpdate();
	const db = await openSeedDb({ databaseUrl });
	const [alice, bob] = await seedUsers(db, 2, `app${process.pid}`);
	const chats = [];
	const counts = [...SIZES, ...Array(SECOND_CHATS).fill(100)];
	for (const [i, count] of counts.entries()) {
		const group = await seedGroup(db, `Bench ${i} (${count})`, [alice, bob]);
		const ids = [5000 + 2 * i, 5001 + 2 * i];
		const update = historyUpdate([alice, bob], ids, count);
		await db.query(`insert into doc_updates (doc_name, update) values ($1, $2)`, [group.docName, Buffer.from(update)]);
		await db.query(`insert into doc_clients (doc_name, client_id, user_id) values ($1, $2, $3), ($1, $4, $5)`, [
			group.docName,
			ids[0],
			alice.id,
			ids[1],
			bob.id
		]);
		chats.push({ ...group, count, bytes: update.length, lastId: `m${count - 1}` /* bench/history.js names message i `m<i>` */ });
	}
	await db.close();
	return { alice, bob, chats };
}

/** Runs `fn` with the load before and our processes' CPU wait during it (bench/lib.js's busy verdict). */
async function measured(fn) {
	const loadBefore = machineLoad();
	const before = treeStats(process.pid);
	const result = await fn();
	const after = treeStats(process.pid);
	const verdict = busyVerdict({ loadBefore, cpuMs: after.cpuMs - before.cpuMs, waitMs: after.waitMs - before.waitMs });
	return { ...result, load1: loadBefore.load1, busy: verdict.busy, ...(verdict.busy ? { reasons: verdict.reasons } : {}) };
}

/** Median of the marks of several runs, phase by phase. */
function medianMarks(runs) {
	const names = [...new Set(runs.flatMap((r) => Object.keys(r.marks ?? {})))];
	return Object.fromEntries(names.map((n) => [n, summary(runs.map((r) => r.marks?.[n])).median]));
}

export async function benchApp() {
	const loadBefore = machineLoad();
	const database = await createBenchDatabase();
	const env = { DATABASE_URL: database.url };
	await (await startParleyProcess({ env })).stop();
	step('seeding');
	const { alice, bob, chats } = await seed(database.url);
	const inspector = await inspectorArgs();
	const server = await startParleyProcess({ env, nodeArgs: inspector.nodeArgs });
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: ARGS,
		locale: 'en-US',
		viewport: { width: 1280, height: 800 }
	});
	const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
	const rows = [];
	const misses = [];
	const results = {};
	const record = (measure, value, target, unit = 'ms', extra = {}) => {
		rows.push({ measure, value, target: target ?? '', unit, ...extra });
		if (target !== undefined && value > target) misses.push(`${measure}: ${value} ${unit} > ${target}`);
	};
	const n = rounds(5);
	try {
		// The browser must come from the configured origin (localhost:<port>): the relay checks Origin.
		const origin = `http://localhost:${server.port}`;
		const cookies = (user) => [{ name: 'session', value: user.token, url: origin }];
		await context.addCookies(cookies(alice));
		await context.addInitScript(paintWatch);
		const page = context.pages()[0] ?? (await context.newPage());
		const cdp = await context.newCDPSession(page);
		const [small, , big] = chats;
		const bySize = Object.fromEntries(SIZES.map((size, i) => [size, chats[i]]));

		step('the relay heap for the 100 000-message conversation (a stock client)');
		const heapBefore = await heapAfterGc(inspector.port);
		const stock = await connect({ url: server.url, docName: big.docName, cookie: alice.cookie, timeoutMs: 600_000 });
		const heapWith = await heapAfterGc(inspector.port);
		stock.destroy();
		results.relayHeap = { heapBefore, heapWith };
		record(`relay JS heap for one loaded ${BIG}-message conversation (after GC)`, +(heapWith - heapBefore).toFixed(1), undefined, 'MiB', {
			heapBeforeMiB: heapBefore,
			heapWithMiB: heapWith
		});

		step('JavaScript: the size check, and scripts on the wire');
		const route = routeJavaScript(CHAT_ROUTE);
		record('chat route JavaScript at first (size check), gzipped', kib(route.gzip), CHAT_ROUTE_JS_TARGET_KIB, 'KiB', {
			budget: CHAT_ROUTE_JS_BUDGET_KIB,
			scripts: route.scripts.length,
			brotliKiB: kib(route.br),
			rawKiB: kib(route.raw)
		});
		const signIn = routeJavaScript(SIGN_IN_ROUTE);
		record('sign-in page JavaScript at first, gzipped', kib(signIn.gzip), undefined, 'KiB', {
			scripts: signIn.scripts.length,
			brotliKiB: kib(signIn.br),
			rawKiB: kib(signIn.raw)
		});
		const wire = {};
		for (const [name, url, user, ready] of [
			['sign-in page', `${origin}/login`, null, (p) => p.getByRole('button', { name: 'Sign in' }).waitFor()],
			[
				'chat (100 messages)',
				`${origin}/c/${small.id}`,
				alice,
				(p) => p.locator(`[data-message-id="${small.lastId}"]`).waitFor({ timeout: 60_000 })
			]
		]) {
			for (const identity of [true, false]) {
				const sent = await scriptBytes(browser, { url, cookies: user ? cookies(user) : [], identity, ready });
				wire[`${name}, ${identity ? 'uncompressed (before)' : 'compressed'}`] = sent;
				record(
					`${name}: its scripts on the wire, ${identity ? 'uncompressed (as before)' : 'as sent now'}`,
					sent.wireKiB,
					undefined,
					'KiB',
					{ scripts: sent.scripts, encodings: sent.encodings.join(' ') }
				);
			}
		}
		results.wire = wire;

		step('a new device: first sync of the 100 000-message chat (its first page)');
		const sockets = await countSocketBytes(cdp);
		const firstSync = await measured(() => coldOpen(page, `${origin}/c/${big.id}`, big.lastId, 600_000));
		await page.getByRole('main').getByText('Up to date').waitFor({ timeout: 600_000 });
		const upToDate = await page.evaluate(() => Math.round(performance.now()));
		const received = sockets.stop();
		const bigBytes = Object.entries(received).find(([url]) => url.endsWith(`/${big.docName}`))?.[1] ?? 0;
		const allBytes = Object.values(received).reduce((a, b) => a + b, 0);
		results.firstSync = { ...firstSync, upToDateMs: upToDate, socketBytes: received, docBytes: big.bytes };
		record(`new device, first sync of a ${BIG}-message chat: newest message painted`, firstSync.ms, undefined, 'ms', {
			busy: firstSync.busy
		});
		record(`new device, first sync of a ${BIG}-message chat: "Up to date"`, upToDate);
		record(
			`new device, first sync of a ${BIG}-message chat: received over its socket`,
			+(bigBytes / 1048576).toFixed(1),
			undefined,
			'MiB',
			{
				docMiB: +(big.bytes / 1048576).toFixed(1),
				allSocketsMiB: +(allBytes / 1048576).toFixed(1)
			}
		);

		step('warming: every chat opened online once');
		for (const chat of chats) {
			await page.goto(`${origin}/c/${chat.id}`);
			await page.locator(`[data-message-id="${chat.lastId}"]`).waitFor({ timeout: 300_000 });
			await page.getByRole('main').getByText('Up to date').waitFor({ timeout: 300_000 });
		}
		const worker = await page.evaluate(async () => Boolean(await navigator.serviceWorker?.getRegistration()));
		if (!worker) throw new Error('no service worker: the cold opens would not be offline');
		await context.setOffline(true);

		step(`cold opens (${n} rounds)`);
		const subjects = { reference: () => referenceOpen(page) };
		for (const size of SIZES) subjects[size] = () => coldOpen(page, `${origin}/c/${bySize[size].id}`, bySize[size].lastId);
		const names = Object.keys(subjects);
		const cold = Object.fromEntries(SPEEDS.flatMap((s) => names.map((name) => [`${name}@${s}x`, []])));
		for (let round = 0; round < n; round++) {
			for (const speed of SPEEDS) {
				await throttle(cdp, speed);
				for (const name of names.map((_, i) => names[(i + round) % names.length]))
					cold[`${name}@${speed}x`].push({ round: round + 1, ...(await measured(subjects[name])) });
			}
			await throttle(cdp, 1);
		}
		results.cold = cold;
		for (const speed of SPEEDS) {
			const reference = summary(cold[`reference@${speed}x`].map((r) => r.ms));
			record(`reference: a one-paragraph page from memory, navigation → load (${speed}x CPU)`, reference.median, undefined, 'ms', {
				range: `${reference.min}–${reference.max}`
			});
			for (const size of SIZES) {
				const runs = cold[`${size}@${speed}x`];
				const s = summary(runs.map((r) => r.ms));
				record(
					`cold open of a cached ${size}-message chat → painted (${speed}x CPU, median of ${s.n})`,
					s.median,
					TARGETS.coldOpenMs,
					'ms',
					{
						range: `${s.min}–${s.max}`,
						busyRuns: runs.filter((r) => r.busy).length,
						phases: medianMarks(runs)
					}
				);
			}
			const ratio = +(
				summary(cold[`${BIG}@${speed}x`].map((r) => r.ms)).median / summary(cold[`100@${speed}x`].map((r) => r.ms)).median
			).toFixed(2);
			record(`cold open, ${BIG} messages over 100 (${speed}x CPU)`, ratio, TARGETS.bigOverSmall, '×');
		}

		step('second chats');
		const second = Object.fromEntries(SPEEDS.map((s) => [`${s}x`, []]));
		const targets = chats.slice(SIZES.length);
		await page.goto(`${origin}/c/${small.id}`);
		await page.locator(`[data-message-id="${small.lastId}"]`).waitFor({ timeout: 60_000 });
		for (let round = 0; round < n; round++) {
			for (const speed of round % 2 ? [...SPEEDS].reverse() : SPEEDS) {
				await throttle(cdp, speed);
				const chat = targets[(round * SPEEDS.length + speed) % targets.length];
				second[`${speed}x`].push({ round: round + 1, ...(await measured(() => secondOpen(page, chat.id, chat.lastId))) });
			}
		}
		await throttle(cdp, 1);
		results.second = second;
		for (const speed of SPEEDS) {
			const s = summary(second[`${speed}x`].map((r) => r.ms));
			record(`open a second cached chat (${speed}x CPU, median of ${s.n})`, s.median, TARGETS.secondOpenMs, 'ms', {
				range: `${s.min}–${s.max}`,
				phases: medianMarks(second[`${speed}x`])
			});
		}

		step('scrolling back');
		results.scroll = {};
		for (const speed of SPEEDS) {
			const chat = bySize[SCROLL_IN];
			await throttle(cdp, 1);
			await coldOpen(page, `${origin}/c/${chat.id}`, chat.lastId);
			await throttle(cdp, speed);
			const scroll = await measured(() => scrollBack(page, cdp, `m${SCROLL_IN - 1 - SCROLL_BACK}`, `scroll-${speed}x`));
			results.scroll[`${speed}x`] = scroll;
			record(`scroll ${SCROLL_BACK} messages back in ${SCROLL_IN} (${speed}x CPU): time`, scroll.ms);
			record(`scroll ${SCROLL_BACK} messages back in ${SCROLL_IN} (${speed}x CPU): long tasks (> 50 ms)`, scroll.longTasks, 0, 'tasks');
			record(`scroll ${SCROLL_BACK} messages back in ${SCROLL_IN} (${speed}x CPU): longest task`, scroll.worst, TARGETS.longTaskMs);
			if (!scroll.reached) misses.push(`scroll back (${speed}x) did not reach the target message`);
		}
		await throttle(cdp, 1);
		await cdp.send('HeapProfiler.collectGarbage');
		const heap = await cdp.send('Runtime.getHeapUsage');
		record(`JS heap of the tab, ${chats.length} cached chats opened`, +(heap.usedSize / 1048576).toFixed(1), undefined, 'MiB');
		await context.setOffline(false);

		step('typed → painted');
		const trips = await roundTrips({ browser, page, origin, cookies: cookies(bob), chat: chats[SIZES.length] });
		record(`typed → painted in another browser, p50 of ${trips.n}`, trips.p50);
		record(`typed → painted in another browser, p99 of ${trips.n}`, trips.p99);
		return { rows, misses, rounds: n, loadBefore, loadAfter: machineLoad(), results };
	} finally {
		await context.close().catch(() => {});
		await browser.close().catch(() => {});
		fs.rmSync(profile, { recursive: true, force: true });
		await server.stop();
		await database.drop();
	}
}
