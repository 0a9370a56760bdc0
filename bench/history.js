// A conversation's history as one Yjs update, written directly in the update format (v1) rather
// than by pushing into a Y.Doc: pushing alternating authors' messages one by one is quadratic
// (100 000 messages took minutes); this takes well under a second. Each message is its own item,
// its origin the message before it, by alternating authors each with their own client id: the
// document a real chat of two people makes, item for item.
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/** Yjs's content ref of ContentAny (a JSON value), and the info bit saying "has a left origin". */
const CONTENT_ANY = 8;
const HAS_ORIGIN = 0b1000_0000;

/** The envelope of message `i` (SPEC §5's shape: id, author, createdAt, text). */
export function envelope(i, author, start) {
	return { id: `m${i}`, author, createdAt: start + i * 60_000, text: `message ${i}: an ordinary line of chat text` };
}

/**
 * `count` messages in the root array `messages`, message i by `authors[i % n]` from client id
 * `clientIds[i % n]`, a minute apart ending now. Returns the update (Uint8Array).
 */
export function historyUpdate(authors, clientIds, count, start = Date.now() - count * 60_000) {
	const n = authors.length;
	const encoder = encoding.createEncoder();
	const used = clientIds.filter((_, a) => a < count);
	encoding.writeVarUint(encoder, used.length);
	for (let a = 0; a < used.length; a++) {
		const items = Math.ceil((count - a) / n);
		encoding.writeVarUint(encoder, items);
		encoding.writeVarUint(encoder, clientIds[a]);
		encoding.writeVarUint(encoder, 0);
		for (let k = 0; k < items; k++) {
			const i = k * n + a;
			if (i === 0) {
				// The first message has no origin: it names its parent, the root type `messages`.
				encoding.writeUint8(encoder, CONTENT_ANY);
				encoding.writeVarUint(encoder, 1);
				encoding.writeVarString(encoder, 'messages');
			} else {
				encoding.writeUint8(encoder, CONTENT_ANY | HAS_ORIGIN);
				const before = i - 1;
				encoding.writeVarUint(encoder, clientIds[before % n]);
				encoding.writeVarUint(encoder, Math.floor(before / n));
			}
			encoding.writeVarUint(encoder, 1);
			encoding.writeAny(encoder, envelope(i, authors[a].id, start));
		}
	}
	encoding.writeVarUint(encoder, 0); // no deletions
	return encoding.toUint8Array(encoder);
}

/** Checks the writer against Yjs itself on a few messages (run once per benchmark: cheap). */
export function checkHistoryUpdate() {
	const authors = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
	const ids = [11, 22, 33];
	const start = 1_700_000_000_000;
	const count = 7;
	const expected = new Y.Doc();
	for (let i = 0; i < count; i++) {
		expected.clientID = ids[i % 3];
		expected.getArray('messages').push([envelope(i, authors[i % 3].id, start)]);
	}
	const doc = new Y.Doc();
	Y.applyUpdate(doc, historyUpdate(authors, ids, count, start));
	const same = JSON.stringify(doc.getArray('messages').toJSON()) === JSON.stringify(expected.getArray('messages').toJSON());
	const sameState = Buffer.from(Y.encodeStateVector(doc)).equals(Buffer.from(Y.encodeStateVector(expected)));
	if (!same || !sameState || Y.encodeStateAsUpdate(doc).length !== Y.encodeStateAsUpdate(expected).length) {
		throw new Error('bench/history.js writes a different document than Yjs does');
	}
}
