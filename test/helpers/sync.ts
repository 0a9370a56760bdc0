// Stock y-websocket clients for tests, signed in through a session cookie like a browser.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import * as decoding from 'lib0/decoding';

/** Waits until `condition()` is truthy, checking on every turn of the event loop (no fixed sleeps). */
export async function waitFor<T>(condition: () => T | Promise<T>, { timeoutMs = 10_000, what = 'condition' } = {}): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await condition();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

/** A WebSocket class that sends the given headers (cookie, origin) on the upgrade. */
export function socketWith(headers: Record<string, string>): typeof WebSocket {
	return class extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	} as typeof WebSocket;
}

export interface SyncClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	/** Permission-denied reasons the relay sent to this client. */
	denied: string[];
	/** Close codes this client's socket saw. */
	closes: number[];
	synced(): Promise<void>;
	destroy(): void;
}

/** Connects a stock WebsocketProvider to `/sync/<docName>` with a Cookie header. */
export function connectClient(options: { url: string; docName: string; cookie: string; doc?: Y.Doc; origin?: string }): SyncClient {
	const doc = options.doc ?? new Y.Doc();
	const headers: Record<string, string> = { cookie: options.cookie };
	if (options.origin) headers.origin = options.origin;
	const provider = new WebsocketProvider(options.url.replace(/^http/, 'ws') + '/sync', options.docName, doc, {
		WebSocketPolyfill: socketWith(headers) as never,
		disableBc: true,
		maxBackoffTime: 200
	});
	const denied: string[] = [];
	const closes: number[] = [];
	// Observe the stock auth handler's input without changing what the client does with it.
	const stockAuth = provider.messageHandlers[2]!;
	provider.messageHandlers[2] = (encoder, decoder, p, emitSynced, type) => {
		const copy = decoding.clone(decoder);
		if (decoding.readVarUint(copy) === 0) denied.push(decoding.readVarString(copy));
		stockAuth(encoder, decoder, p, emitSynced, type);
	};
	provider.on('connection-close', (event) => {
		if (event) closes.push(event.code);
	});
	return {
		doc,
		provider,
		denied,
		closes,
		synced: () => waitFor(() => provider.synced, { what: `sync of ${options.docName}` }).then(() => {}),
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

/** The people's messages in a conversation document (the server's system notices left out). */
export const messagesOf = (doc: Y.Doc) =>
	(doc.getArray<Record<string, unknown>>('messages').toJSON() as Array<Record<string, unknown>>).filter((m) => m.kind !== 'system');
