/** Merging a document's stored updates into one, by applying them (Y.mergeUpdates is super-linear on long logs). */
import * as Y from 'yjs';

/** Applies `updates` to a fresh document and re-encodes its whole state. */
export function mergeByApplying(updates: Uint8Array[]): Uint8Array {
	const doc = new Y.Doc({ gc: true });
	doc.transact(() => {
		for (const update of updates) Y.applyUpdate(doc, update);
	});
	const merged = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return merged;
}
