// A raw y-websocket peer for tests: a plain `ws` socket with the session cookie that sends exactly
// the bytes it is given (what a stock provider never would) and records what the relay answers.
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { MessageType, SyncType, awarenessFrame, updateFrame } from '../../src/lib/sync/protocol.js';
import { waitFor } from './sync.js';

export { awarenessFrame, updateFrame };

/** How a raw socket ended: the close code and reason it saw. */
export interface RawClose {
	code: number;
	reason: string;
}

export interface RawClient {
	ws: WebSocket;
	/** The server's copy as this socket learned it (sync step 2 and updates applied). */
	doc: Y.Doc;
	/** Permission-denied reasons received. */
	denied: string[];
	/** Awareness payloads received. */
	awareness: Uint8Array[];
	/** Sync step 2 frames received (answers to our step 1). */
	step2Count: number;
	/** Set once the socket closed. */
	closed: RawClose | null;
	whenClosed: Promise<RawClose>;
	send(frame: Uint8Array): void;
	/** Asks for the server's state and waits for the answer (every earlier frame of ours is processed by then). */
	roundTrip(): Promise<void>;
	destroy(): void;
}

/** A sync step 1 frame with `doc`'s state vector (an empty doc asks for everything). */
export function step1Frame(doc: Y.Doc = new Y.Doc()): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.Sync);
	syncProtocol.writeSyncStep1(encoder, doc);
	return encoding.toUint8Array(encoder);
}

/** Opens a raw socket to `/sync/<docName>` and waits until it is open (rejects on an HTTP refusal). */
export async function connectRaw(options: {
	url: string;
	docName: string;
	cookie: string;
	/** false: never answer the server's pings (ws answers them by itself otherwise). */
	autoPong?: boolean;
}): Promise<RawClient> {
	const ws = new WebSocket(`${options.url.replace(/^http/, 'ws')}/sync/${options.docName}`, {
		headers: { cookie: options.cookie },
		autoPong: options.autoPong ?? true
	});
	const client: RawClient = {
		ws,
		doc: new Y.Doc(),
		denied: [],
		awareness: [],
		step2Count: 0,
		closed: null,
		whenClosed: new Promise<RawClose>((resolve) =>
			ws.on('close', (code, reason) => {
				client.closed = { code, reason: reason.toString() };
				resolve(client.closed);
			})
		),
		send: (frame) => ws.send(frame),
		async roundTrip() {
			const before = client.step2Count;
			ws.send(step1Frame(client.doc));
			await waitFor(() => client.step2Count > before || client.closed, { what: 'a sync step 2 answer' });
		},
		destroy: () => ws.terminate()
	};
	ws.on('message', (data: Buffer) => receive(client, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
	ws.on('error', () => {});
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
		ws.once('error', reject);
	});
	return client;
}

function receive(client: RawClient, bytes: Uint8Array): void {
	const decoder = decoding.createDecoder(bytes);
	const type = decoding.readVarUint(decoder);
	if (type === MessageType.Auth) {
		if (decoding.readVarUint(decoder) === 0) client.denied.push(decoding.readVarString(decoder));
	} else if (type === MessageType.Awareness) {
		client.awareness.push(decoding.readVarUint8Array(decoder));
	} else if (type === MessageType.Sync) {
		const syncType = decoding.readVarUint(decoder);
		const payload = decoding.readVarUint8Array(decoder);
		if (syncType === SyncType.Step2) client.step2Count++;
		if (syncType !== SyncType.Step1) Y.applyUpdate(client.doc, payload, 'server');
	}
}
