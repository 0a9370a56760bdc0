/** Drafts: typing is kept in memory at once, written once per pause, and a reload restores the newest copy. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Drafts } from '../../../src/lib/client/sync/drafts.js';
import { MemoryDeviceStorage } from '../../../src/lib/client/storage/memory.js';
import { draftEntries } from '../../../src/lib/sync/schema.js';

describe('Drafts', () => {
	it('keystrokes become one document update per flush, and the local copy is awaited', async () => {
		const user = new MemoryDeviceStorage().user('bob');
		const kv = user.kv;
		const doc = new Y.Doc();
		let updates = 0;
		doc.on('update', () => updates++);
		let t = 1;
		const drafts = new Drafts(doc, user, () => t++);
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
		const user = new MemoryDeviceStorage().user('bob');
		const kv = user.kv;
		await kv.set('draft.c1', { text: 'typed just before the reload', at: 20 });
		await kv.set('draft.c2', { text: 'stale', at: 5 });
		const doc = new Y.Doc();
		draftEntries(doc).set('c1', { text: 'older', at: 10 });
		draftEntries(doc).set('c2', { text: 'from the other device', at: 30 });
		const drafts = new Drafts(doc, user);
		await drafts.restore();
		expect(drafts.get('c1')).toBe('typed just before the reload');
		expect(drafts.get('c2')).toBe('from the other device');
		drafts.destroy();
	});

	it('a draft the relay would refuse (R26: over 16 KiB) stays on this device, out of the shared document', async () => {
		const user = new MemoryDeviceStorage().user('bob');
		const kv = user.kv;
		const doc = new Y.Doc();
		const drafts = new Drafts(doc, user);
		const huge = 'x'.repeat(17 * 1024);
		drafts.set('c1', huge);
		await drafts.flush();
		expect(draftEntries(doc).has('c1')).toBe(false);
		expect((await kv.get<{ text: string }>('draft.c1'))?.text).toBe(huge);
		expect(drafts.get('c1')).toBe(huge);
		// and after a reload
		const again = new Drafts(new Y.Doc(), user);
		await again.restore();
		expect(again.get('c1')).toBe(huge);
		drafts.destroy();
		again.destroy();
	});

	it('a keystroke is journalled synchronously: a page gone before any save (no flush, no pause) keeps it; the save clears the journal', async () => {
		const storage = new MemoryDeviceStorage();
		const user = storage.user('bob');
		let t = 100;
		const drafts = new Drafts(new Y.Doc(), user, () => t++);
		drafts.set('c1', 'typed a moment before the reload');
		// the page goes now: no timer fires, no flush runs, the awaited store never sees it
		expect(await user.kv.get('draft.c1')).toBeUndefined();
		const doc = new Y.Doc();
		draftEntries(doc).set('c1', { text: 'older, in the document', at: 50 });
		const again = new Drafts(doc, user, () => t++);
		await again.restore();
		expect(again.get('c1')).toBe('typed a moment before the reload');
		expect(draftEntries(doc).get('c1')?.text).toBe('typed a moment before the reload');
		expect((await user.kv.get<{ text: string }>('draft.c1'))?.text).toBe('typed a moment before the reload');
		expect(user.journal.entries('draft.')).toEqual([]);
		drafts.destroy();
		again.destroy();
	});

	it('restore: a journal entry older than the document (another device typed later) loses and is dropped', async () => {
		const user = new MemoryDeviceStorage().user('bob');
		user.journal.set('draft.c1', { text: 'old keystroke', at: 5 });
		const doc = new Y.Doc();
		draftEntries(doc).set('c1', { text: 'newer elsewhere', at: 9 });
		const drafts = new Drafts(doc, user);
		await drafts.restore();
		expect(drafts.get('c1')).toBe('newer elsewhere');
		expect(user.journal.entries('draft.')).toEqual([]);
		drafts.destroy();
	});

	it('an empty draft typed just before the reload removes the saved one', async () => {
		const user = new MemoryDeviceStorage().user('bob');
		let t = 1;
		const drafts = new Drafts(new Y.Doc(), user, () => t++);
		drafts.set('c1', 'will be sent');
		await drafts.flush();
		const doc = new Y.Doc();
		draftEntries(doc).set('c1', { text: 'will be sent', at: 1 });
		drafts.set('c1', '');
		const again = new Drafts(doc, user, () => t++);
		await again.restore();
		expect(again.get('c1')).toBe('');
		expect(draftEntries(doc).has('c1')).toBe(false);
		drafts.destroy();
		again.destroy();
	});
});
