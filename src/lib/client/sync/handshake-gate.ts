/**
 * Holds a stock provider's local update frames on each socket until that socket's sync handshake
 * is done, i.e. until we have answered the relay's sync step 1 with our step 2.
 *
 * Why: the stock provider sends every local update as soon as the socket is open. Writes made
 * offline are only in our document, and reach the relay in our step 2 reply; an update sent
 * before that reply starts past clocks the relay has never seen. Stock Yjs would keep it pending,
 * our relay refuses the gap (R3, docs/sync-rules.md) and the client id is wedged until a
 * recovery. Nothing is lost by holding: our step 2 is computed from the document when the relay's
 * step 1 arrives, so it carries every update made until then; later updates go out as usual.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';
import { MessageType } from '../../sync/protocol.js';

export interface HandshakeGate {
	/** Whether the current socket has finished the handshake (local updates go straight out). */
	readonly open: boolean;
}

/** Installs the gate on `provider` (call right after creating it, before it connects). */
export function gateUntilHandshake(provider: WebsocketProvider): HandshakeGate {
	/** The socket on which we answered the relay's step 1 (a new socket starts closed). */
	let answeredOn: unknown = null;
	const gate = {
		get open() {
			return provider.wsconnected && provider.ws !== null && provider.ws === answeredOn && provider.ws.readyState === 1;
		}
	};

	const inner = provider.messageHandlers[MessageType.Sync]!;
	provider.messageHandlers[MessageType.Sync] = (encoder, decoder, p, emitSynced, type) => {
		const syncType = decoding.readVarUint(decoding.clone(decoder));
		inner(encoder, decoder, p, emitSynced, type);
		// our step 2 is in `encoder` and leaves, synchronously, when the provider's handler returns
		if (syncType === syncProtocol.messageYjsSyncStep1) answeredOn = provider.ws;
	};

	const doc = provider.doc;
	doc.off('update', provider._updateHandler);
	// replaced, not wrapped: the provider's destroy() unsubscribes `_updateHandler`
	provider._updateHandler = (update: Uint8Array, origin: unknown) => {
		if (origin === provider || !gate.open) return; // before the handshake: our step 2 will carry it
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MessageType.Sync);
		syncProtocol.writeUpdate(encoder, update);
		provider.ws!.send(encoding.toUint8Array(encoder));
	};
	doc.on('update', provider._updateHandler);
	return gate;
}
