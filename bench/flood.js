// Attacks by an ordinary signed-in member, shared by the abuse benchmark and the relay's flood
// tests: valid frames (each passes every sync rule), sent as fast as the socket takes them.
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

/** y-websocket message types used here (src/lib/sync/protocol.ts; this file is plain JS). */
const SYNC = 0;
const SYNC_UPDATE = 2;
const AWARENESS = 1;

/**
 * A source of update frames, each appending one one-line message by `authorId`.
 * @param {string} authorId
 * @returns {() => Uint8Array}
 */
export function messageFrames(authorId) {
	const doc = new Y.Doc();
	const messages = doc.getArray('messages');
	/** @type {Uint8Array | null} */
	let last = null;
	doc.on('update', (/** @type {Uint8Array} */ update) => (last = update));
	let n = 0;
	return () => {
		const i = n++;
		messages.push([{ id: `flood-${doc.clientID}-${i}`, author: authorId, createdAt: Date.now(), text: `flood ${i}` }]);
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, SYNC);
		encoding.writeVarUint(encoder, SYNC_UPDATE);
		encoding.writeVarUint8Array(encoder, /** @type {Uint8Array} */ (last));
		return encoding.toUint8Array(encoder);
	};
}

/**
 * A source of awareness frames: ever newer states of one client id about `userId`, each about
 * `stateBytes` long (4 KiB is the most the relay passes on).
 * @param {number} clientId
 * @param {string} userId
 * @param {number} [stateBytes]
 * @returns {() => Uint8Array}
 */
export function awarenessFrames(clientId, userId, stateBytes = 4000) {
	let clock = 0;
	const pad = 'x'.repeat(Math.max(0, stateBytes - 100));
	return () => {
		const state = JSON.stringify({ user: { id: userId, name: 'flood' }, typing: true, n: clock, pad });
		const update = encoding.createEncoder();
		encoding.writeVarUint(update, 1);
		encoding.writeVarUint(update, clientId);
		encoding.writeVarUint(update, ++clock);
		encoding.writeVarString(update, state);
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, AWARENESS);
		encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update));
		return encoding.toUint8Array(encoder);
	};
}

/**
 * Sends frames from `next` on `ws` as fast as the socket takes them (keeping at most
 * `highWaterBytes` unsent), until `stop()` or the socket closes. Resolves to the frames sent.
 * @param {import('ws').WebSocket} ws
 * @param {() => Uint8Array} next
 * @param {() => boolean} stop
 * @param {{ highWaterBytes?: number, perTurn?: number }} [options]
 * @returns {Promise<number>}
 */
export async function flood(ws, next, stop, { highWaterBytes = 256 * 1024, perTurn = 100 } = {}) {
	let sent = 0;
	while (!stop() && ws.readyState === ws.OPEN) {
		for (let i = 0; i < perTurn && ws.bufferedAmount < highWaterBytes; i++) {
			ws.send(next());
			sent++;
		}
		// Yield, so that the socket writes (and, in a test, the server in this process runs).
		await new Promise((resolve) => setImmediate(resolve));
	}
	return sent;
}

/**
 * Counts, in awareness payloads (as y-protocols encodes them), the entries about `clientId`.
 * @param {Uint8Array} payload
 * @param {number} clientId
 */
export function awarenessEntriesFor(payload, clientId) {
	// Decoded by hand to stay dependency-free: [count, (id, clock, json)*].
	let offset = 0;
	const readVarUint = () => {
		let value = 0;
		let shift = 0;
		for (;;) {
			const byte = /** @type {number} */ (payload[offset++]);
			value += (byte & 0x7f) * 2 ** shift;
			if (byte < 0x80) return value;
			shift += 7;
		}
	};
	let found = 0;
	for (let n = readVarUint(); n > 0; n--) {
		const id = readVarUint();
		readVarUint();
		offset += readVarUint();
		if (id === clientId) found++;
	}
	return found;
}

/**
 * Opens a raw socket to `/sync/<docName>` with a session cookie; rejects with the HTTP status
 * when the upgrade is refused (429 during a rate-limit penalty), or when it closes first.
 * @param {string} url
 * @param {string} docName
 * @param {string} cookie
 * @returns {Promise<WebSocket>}
 */
export function openRaw(url, docName, cookie) {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/sync/${docName}`, { headers: { cookie } });
		ws.on('error', () => {});
		ws.once('open', () => resolve(ws));
		ws.once('unexpected-response', (_req, res) => {
			ws.terminate();
			reject(new Error(String(res.statusCode)));
		});
		ws.once('close', () => reject(new Error('closed')));
	});
}
