/** Drafts: typing is kept in memory at once, written once per pause, and a reload restores the newest copy. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Drafts } from '../../../src/lib/client/sync/drafts.js';
import { MemoryDeviceStorage } from '../../../src/lib/client/storage/memory.js';
import { draftEntries } from '../../../src/lib/sync/schema.js';

describe('Drafts', () => {
	it('keystrokes become one document update per flush, and the local copy is awaited', async () => {
		const kv = new MemoryDeviceStorage().user('bob').kv;
		const doc = new Y.Doc();
		let updates = 0;
		doc.on('update', () => updates++);
		let t = 1;
		const drafts = new Drafts(doc, kv, () => t++);
		for (const text of ['H', 'He', 'Hel', 'Hell', 'Hello']) drafts.set('c1', text);
		expect(drafts.get('c1')).toBe('Hello');
		expect(updates).toBe(0);
		await drafts.flush();
		expect(updates).toBe(1);
		expect(draftEntries(doc).get('c1')).toEqual({ text: 'Hello', at: 5 });
		expect(await kv.get('draft.c1')).toEqual({ text: 'Hello', at: 5 });
		drafts.set('c1', '');
		await drafts.flush();
		expect(draftEntries(doc).has('c1')).toBe(false);
		expect(drafts.ids()).toEqual([]);
		drafts.destroy();
	});

	it('restore: a local copy newer than the document (which lost its last update on reload) wins; an older one does not', async () => {
		const kv = new MemoryDeviceStorage().user('bob').kv;
		await kv.set('draft.c1', { text: 'typed just before the reload', at: 20 });
		await kv.set('draft.c2', { text: 'stale', at: 5 });
		const doc = new Y.Doc();
		draftEntries(doc).set('c1', { text: 'older', at: 10 });
		draftEntries(doc).set('c2', { text: 'from the other device', at: 30 });
		const drafts = new Drafts(doc, kv);
		await drafts.restore();
		expect(drafts.get('c1')).toBe('typed just before the reload');
		expect(drafts.get('c2')).toBe('from the other device');
		drafts.destroy();
	});

	it('a draft the relay would refuse (R26: over 16 KiB) stays on this device, out of the shared document', async () => {
		const kv = new MemoryDeviceStorage().user('bob').kv;
		const doc = new Y.Doc();
		const drafts = new Drafts(doc, kv);
		const huge = 'x'.repeat(17 * 1024);
		drafts.set('c1', huge);
		await drafts.flush();
		expect(draftEntries(doc).has('c1')).toBe(false);
		expect((await kv.get<{ text: string }>('draft.c1'))?.text).toBe(huge);
		expect(drafts.get('c1')).toBe(huge);
		// and after a reload
		const again = new Drafts(new Y.Doc(), kv);
		await again.restore();
		expect(again.get('c1')).toBe(huge);
		drafts.destroy();
		again.destroy();
	});
});
