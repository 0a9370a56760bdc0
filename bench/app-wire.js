// Bytes on the wire for a page's scripts (as sent, and as they would be sent uncompressed), and
// the relay process's JS heap after a forced GC, read through Node's inspector (the benchmark
// starts the server with --inspect on a loopback port; nothing of this is in the app).
import WebSocket from 'ws';
import { freePort } from './lib.js';

/**
 * Loads `url` in a fresh context of `browser` (no service worker, empty cache) and sums the
 * same-origin scripts it received: bytes on the wire (CDP encodedDataLength: body as sent plus
 * response headers) and decoded. `identity`: the page asks for no encoding (what the server sent
 * before compression). `ready(page)` waits for the page to be done.
 */
export async function scriptBytes(browser, { url, cookies = [], identity = false, ready }) {
	const context = await browser.newContext({
		serviceWorkers: 'block',
		locale: 'en-US',
		...(identity ? { extraHTTPHeaders: { 'accept-encoding': 'identity' } } : {})
	});
	try {
		if (cookies.length) await context.addCookies(cookies);
		const page = await context.newPage();
		const cdp = await context.newCDPSession(page);
		await cdp.send('Network.enable');
		const scripts = new Map();
		const origin = new URL(url).origin;
		cdp.on('Network.responseReceived', ({ requestId, type, response }) => {
			if (type === 'Script' && response.url.startsWith(origin))
				scripts.set(requestId, {
					url: response.url,
					encoding: response.headers['content-encoding'] ?? response.headers['Content-Encoding'] ?? null
				});
		});
		const done = new Map();
		cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => done.set(requestId, encodedDataLength));
		cdp.on('Network.dataReceived', ({ requestId, dataLength }) => {
			const s = scripts.get(requestId);
			if (s) s.decoded = (s.decoded ?? 0) + dataLength;
		});
		await page.goto(url);
		await ready(page);
		await page.waitForLoadState('networkidle');
		let wire = 0;
		let decoded = 0;
		const encodings = new Set();
		for (const [id, s] of scripts) {
			wire += done.get(id) ?? 0;
			decoded += s.decoded ?? 0;
			encodings.add(s.encoding ?? 'none');
		}
		return {
			scripts: scripts.size,
			wireKiB: +(wire / 1024).toFixed(1),
			decodedKiB: +(decoded / 1024).toFixed(1),
			encodings: [...encodings]
		};
	} finally {
		await context.close();
	}
}

/** Node args that open the inspector on a free loopback port, and that port. */
export async function inspectorArgs() {
	const port = await freePort();
	return { port, nodeArgs: [`--inspect=127.0.0.1:${port}`] };
}

/** The inspected process's JS heap in MiB after a full GC (CDP HeapProfiler.collectGarbage, Runtime.getHeapUsage). */
export async function heapAfterGc(port) {
	const [target] = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
	const socket = new WebSocket(target.webSocketDebuggerUrl);
	await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
	let next = 0;
	const call = (method, params = {}) =>
		new Promise((resolve, reject) => {
			const id = ++next;
			const onMessage = (data) => {
				const message = JSON.parse(String(data));
				if (message.id !== id) return;
				socket.off('message', onMessage);
				if (message.error) reject(new Error(`${method}: ${message.error.message}`));
				else resolve(message.result);
			};
			socket.on('message', onMessage);
			socket.send(JSON.stringify({ id, method, params }));
		});
	try {
		// Twice: the first collection can leave garbage that only a second one frees (weak refs, finalizers).
		await call('HeapProfiler.collectGarbage');
		await call('HeapProfiler.collectGarbage');
		const { usedSize } = await call('Runtime.getHeapUsage');
		return +(usedSize / 1048576).toFixed(1);
	} finally {
		socket.close();
	}
}
