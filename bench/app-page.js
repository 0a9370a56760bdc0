// What the app benchmark measures inside Chromium: a cold open (navigation → the newest message
// painted), a second chat opened in the same page, scrolling back, and the app's own
// `parley:open:*` marks (src/lib/client/perf-marks.ts) for each phase. Each measure runs under
// the CPU throttling asked for (CDP Emulation.setCPUThrottlingRate; 1 = none).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Prefix of the app's open marks (OPEN_MARK_PREFIX in src/lib/client/perf-marks.ts; plain JS cannot import it). */
const OPEN_MARK_PREFIX = 'parley:open:';
/** Longest a measured open or scroll may take before the benchmark gives up on it (a loaded machine is slow). */
const GIVE_UP_MS = 300_000;

/**
 * Installed in every document of the context before its scripts run: records when each message
 * row was first painted (the frame after it entered the DOM), by message id, in `window.__painted`.
 * A Map per document, as large as the rows rendered in it.
 */
export function paintWatch() {
	const painted = (window.__painted = new Map());
	const seen = new Set();
	const observer = new MutationObserver(() => {
		const fresh = [];
		for (const el of document.querySelectorAll('[data-message-id]')) {
			const id = el.getAttribute('data-message-id');
			if (seen.has(id)) continue;
			seen.add(id);
			fresh.push(id);
		}
		if (fresh.length)
			requestAnimationFrame(() =>
				setTimeout(() => {
					const at = performance.now();
					for (const id of fresh) painted.set(id, at);
				})
			);
	});
	const start = () => observer.observe(document.documentElement, { childList: true, subtree: true });
	if (document.documentElement) start();
	else document.addEventListener('readystatechange', start, { once: true });
}

/** In the page: the app's open marks (ms from navigation start), and navigation timing. */
function readMarks(prefix) {
	const marks = {};
	for (const m of performance.getEntriesByType('mark'))
		if (m.name.startsWith(prefix)) marks[m.name.slice(prefix.length)] = Math.round(m.startTime);
	const nav = performance.getEntriesByType('navigation')[0];
	if (nav) {
		marks['nav:response-end'] = Math.round(nav.responseEnd);
		marks['nav:dom-content-loaded'] = Math.round(nav.domContentLoadedEventEnd);
	}
	return marks;
}

async function screenshotOnFailure(page, error) {
	const file = path.join(os.tmpdir(), `parley-bench-app-${Date.now()}.png`);
	await page.screenshot({ path: file }).catch(() => {});
	return new Error(`${error.message} (screenshot: ${file})`, { cause: error });
}

/** Sets the renderer's CPU throttling (1: none). */
export async function throttle(cdp, rate) {
	await cdp.send('Emulation.setCPUThrottlingRate', { rate });
}

/**
 * Navigates to `url` and waits until the message `messageId` is painted: ms from the navigation's
 * start, with the app's marks. The context must have `paintWatch` as an init script.
 */
export async function coldOpen(page, url, messageId, giveUpMs = GIVE_UP_MS) {
	try {
		await page.goto(url, { waitUntil: 'commit', timeout: giveUpMs });
		const painted = await page.waitForFunction((id) => window.__painted?.get(id), messageId, { polling: 50, timeout: giveUpMs });
		const ms = Math.round(await painted.jsonValue());
		// The app marks `painted` when its placement has held for two frames: shortly after, or never.
		await page
			.waitForFunction((name) => performance.getEntriesByName(name).length > 0, `${OPEN_MARK_PREFIX}painted`, {
				polling: 50,
				timeout: 10_000
			})
			.catch(() => {});
		return { ms, marks: await page.evaluate(readMarks, OPEN_MARK_PREFIX) };
	} catch (error) {
		throw await screenshotOnFailure(page, error);
	}
}

/** A page of one paragraph, from memory: the reference open (no network, no service worker, no app). */
export const REFERENCE_URL = 'data:text/html,<!doctype html><title>reference</title><p>Reference page: one paragraph.</p>';

/** The reference: navigation → load of REFERENCE_URL in the same tab (the browser's floor at that moment). */
export async function referenceOpen(page) {
	await page.goto(REFERENCE_URL, { waitUntil: 'load' });
	const nav = await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.toJSON());
	return { ms: Math.round(nav.loadEventEnd), marks: {} };
}

/** Opens `/c/<id>` by a link click in the running app: ms from the click to message `messageId` painted, and the marks after the click. */
export async function secondOpen(page, id, messageId) {
	try {
		return await page.evaluate(
			async ({ id, messageId, giveUpMs, prefix }) => {
				const link = document.createElement('a');
				link.href = `/c/${id}`;
				document.body.append(link);
				const t0 = performance.now();
				link.click();
				link.remove();
				const has = () => location.pathname === `/c/${id}` && document.querySelector(`[data-message-id="${messageId}"]`) !== null;
				const at = await new Promise((resolve) => {
					const check = () => {
						if (has()) return requestAnimationFrame(() => setTimeout(() => resolve(performance.now())));
						if (performance.now() - t0 > giveUpMs) return resolve(null);
						requestAnimationFrame(check);
					};
					check();
				});
				if (at === null) throw new Error(`/c/${id} not painted within ${giveUpMs} ms (at ${location.pathname})`);
				const marks = {};
				for (const m of performance.getEntriesByType('mark'))
					if (m.name.startsWith(prefix) && m.startTime >= t0) marks[m.name.slice(prefix.length)] = Math.round(m.startTime - t0);
				return { ms: Math.round(at - t0), marks };
			},
			{ id, messageId, giveUpMs: GIVE_UP_MS, prefix: OPEN_MARK_PREFIX }
		);
	} catch (error) {
		throw await screenshotOnFailure(page, error);
	}
}

/**
 * Scrolls the open chat's log up until message `messageId` is rendered, 600 px a
 * frame, recording long tasks; optionally a CPU profile (BENCH_PROFILE=1) written to tmp.
 */
export async function scrollBack(page, cdp, messageId, profileName) {
	if (process.env.BENCH_PROFILE) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
	const result = await page.evaluate(
		async ({ messageId, giveUpMs }) => {
			const tasks = [];
			const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
			observer.observe({ type: 'longtask' });
			const log = document.querySelector('[role="log"]');
			const t0 = performance.now();
			const reached = () => document.querySelector(`[data-message-id="${messageId}"]`) !== null;
			while (!reached() && performance.now() - t0 < giveUpMs) {
				log.scrollTop -= 600;
				await new Promise((r) => requestAnimationFrame(() => r()));
			}
			observer.disconnect();
			return {
				ms: Math.round(performance.now() - t0),
				longTasks: tasks.length,
				worst: Math.round(Math.max(0, ...tasks)),
				reached: reached()
			};
		},
		{ messageId, giveUpMs: GIVE_UP_MS }
	);
	if (process.env.BENCH_PROFILE) {
		const { profile } = await cdp.send('Profiler.stop');
		const file = path.join(os.tmpdir(), `parley-app-${profileName}.cpuprofile`);
		fs.writeFileSync(file, JSON.stringify(profile));
		process.stderr.write(`  app: CPU profile: ${file}\n`);
	}
	return result;
}

/** Bytes the page received over each of its WebSockets (by URL; CDP frames, binary payloads are base64) from now until `stop()`. */
export async function countSocketBytes(cdp) {
	const urls = new Map();
	const bytes = new Map();
	const onCreated = ({ requestId, url }) => urls.set(requestId, url);
	const onFrame = ({ requestId, response }) => {
		const size =
			response.opcode === 2
				? Math.floor((response.payloadData.length * 3) / 4) - (response.payloadData.match(/=+$/)?.[0].length ?? 0)
				: Buffer.byteLength(response.payloadData);
		const url = urls.get(requestId) ?? '?';
		bytes.set(url, (bytes.get(url) ?? 0) + size);
	};
	await cdp.send('Network.enable');
	cdp.on('Network.webSocketCreated', onCreated);
	cdp.on('Network.webSocketFrameReceived', onFrame);
	return {
		/** Bytes received per socket URL. */
		stop() {
			cdp.off('Network.webSocketCreated', onCreated);
			cdp.off('Network.webSocketFrameReceived', onFrame);
			return Object.fromEntries(bytes);
		}
	};
}
