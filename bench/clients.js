// Stock y-websocket clients for the benchmarks, and the HTTP calls that set a load up.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { until } from './lib.js';

/** A WebSocket class that sends a cookie on the upgrade. */
function socketWithCookie(cookie) {
	return class extends WebSocket {
		constructor(url, protocols) {
			super(url, protocols, cookie ? { headers: { cookie } } : {});
		}
	};
}

/** Connects a stock provider; resolves once synced. */
export async function connect({ url, docName, cookie, timeoutMs = 30_000 }) {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(url.replace(/^http/, 'ws') + (cookie ? '/sync' : ''), docName, doc, {
		WebSocketPolyfill: socketWithCookie(cookie),
		disableBc: true
	});
	await until(() => provider.synced, { timeoutMs, everyMs: 5 });
	return { doc, provider, destroy: () => (provider.destroy(), doc.destroy()) };
}

/** Registers a user through the API; returns their id and session cookie. */
export async function register(url, username) {
	const res = await fetch(`${url}/api/auth/register`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username, password: `bench password ${username} long enough`, displayName: username })
	});
	if (res.status !== 201) throw new Error(`register ${username}: ${res.status} ${await res.text()}`);
	const cookie = res.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	return { id: (await res.json()).user.id, cookie };
}

/** Creates a group as `owner` with `members`; returns its docName. */
export async function createGroup(url, owner, title, memberIds) {
	const res = await fetch(`${url}/api/conversations`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie: owner.cookie },
		body: JSON.stringify({ kind: 'group', title, memberIds })
	});
	if (res.status !== 201) throw new Error(`create group: ${res.status} ${await res.text()}`);
	return (await res.json()).conversation.docName;
}
