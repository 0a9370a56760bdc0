/**
 * Documents and frames for the bounded-work tests (L1–L7): a member's messages kept as one struct
 * each (inserted at the front, so Yjs cannot merge them), and delete-set bombs over them. Used by
 * the unit tests, `npm run fuzz` and the live-relay test.
 */
import * as Y from 'yjs';
import { craftUpdate } from './craft.js';
import { env, SERVER_CLIENT, TestRelay } from './support.js';

/** A group where `carol` (member) wrote `count` messages from `client`, one struct each. */
export function relayWithOwnMessages(count: number, client = 7_000, deleted = false): TestRelay {
	const relay = new TestRelay('group', { alice: 'owner', carol: 'member' });
	const writer = new Y.Doc();
	writer.clientID = client;
	writeOwnMessages(writer, 'carol', count);
	const accepted = relay.submit('carol', Y.encodeStateAsUpdate(writer));
	if (!accepted.ok) throw new Error(`setup refused: ${accepted.rule} ${accepted.reason}`);
	if (deleted) {
		writer.getArray('messages').delete(0, count);
		const gone = relay.submit('carol', Y.encodeStateAsUpdate(writer, Y.encodeStateVector(relay.doc)));
		if (!gone.ok) throw new Error(`setup refused: ${gone.rule} ${gone.reason}`);
	}
	relay.doc.clientID = SERVER_CLIENT;
	return relay;
}

/** Writes `count` envelopes of `author` into `doc`, each at the front: one struct per message. */
export function writeOwnMessages(doc: Y.Doc, author: string, count: number, prefix = 'own'): void {
	doc.transact(() => {
		const messages = doc.getArray('messages');
		for (let i = 0; i < count; i++) messages.insert(0, [{ ...env(`${prefix}${i}`, author), text: '' }]);
	});
}

/** An update with no structs whose delete set lists clocks [0, len) of `client` `repeats` times. */
export function deleteBomb(client: number, len: number, repeats: number): Uint8Array {
	return craftUpdate([], [[client, Array.from({ length: repeats }, () => [0, len] as [number, number])]]);
}

/**
 * What Yjs's readAndApplyDeleteSet would visit when applying `update` to `doc`: per range, a
 * binary search and every struct from the range's start to its end. Deterministic, so tests can
 * bound the cost of applying an accepted update without timing it.
 */
export function yjsDeleteVisits(doc: Y.Doc, update: Uint8Array): number {
	const { ds } = Y.decodeUpdate(update);
	let visits = 0;
	for (const [client, ranges] of ds.clients) {
		const structs = doc.store.clients.get(client) ?? [];
		const state = Y.getState(doc.store, client);
		for (const { clock, len } of ranges) {
			visits++;
			if (clock >= state) continue;
			const end = clock + len;
			const first = Y.findIndexSS(structs, clock);
			// the last struct the walk reaches: the one holding min(end, state) - 1, plus the one it stops at
			const last = Y.findIndexSS(structs, Math.min(end, state) - 1);
			visits += last - first + 2;
		}
	}
	return visits;
}

/** Structs the server holds (all clients), the document-size term of the work bound. */
export function structCount(doc: Y.Doc): number {
	let n = 0;
	for (const structs of doc.store.clients.values()) n += structs.length;
	return n;
}
