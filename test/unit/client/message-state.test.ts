/** Own messages' states: pending → sent → read, never backwards; queued sends shown as pending. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MonotonicStates, observedState } from '../../../src/lib/client/sync/message-state.js';
import { firstUnread, messageWindow } from '../../../src/lib/client/sync/views.js';
import type { WriteOp } from '../../../src/lib/client/sync/write-ops.js';

const env = (id: string, author: string) => ({ id, author, createdAt: 1_700_000_000_000, text: `text of ${id}` });

function conversation(messages: [string, string][]): Y.Doc {
	const doc = new Y.Doc();
	doc.getArray('messages').push(messages.map(([id, author]) => env(id, author)));
	return doc;
}

describe('MonotonicStates', () => {
	it('never goes back: read stays read, sent stays sent, whatever is observed later', () => {
		const states = new MonotonicStates();
		expect(states.next('m', 'pending')).toBe('pending');
		expect(states.next('m', 'sent')).toBe('sent');
		expect(states.next('m', 'pending')).toBe('sent'); // a recovery put it back in the outbox
		expect(states.next('m', 'read')).toBe('read');
		expect(states.next('m', 'sent')).toBe('read'); // a reader's device lagged
		expect(states.next('m', 'pending')).toBe('read');
	});

	it('every sequence of observations yields a non-decreasing sequence of shown states', () => {
		const rank = { pending: 0, sent: 1, read: 2 } as const;
		const all = ['pending', 'sent', 'read'] as const;
		let seed = 3;
		for (let run = 0; run < 200; run++) {
			const states = new MonotonicStates();
			let last = -1;
			for (let i = 0; i < 20; i++) {
				seed = (seed * 16_807) % 2_147_483_647;
				const shown = rank[states.next('m', all[seed % 3]!)];
				expect(shown).toBeGreaterThanOrEqual(last);
				last = shown;
			}
		}
	});

	it('observedState: read by others beats pending', () => {
		expect(observedState({ pending: true, readByOthers: false })).toBe('pending');
		expect(observedState({ pending: false, readByOthers: false })).toBe('sent');
		expect(observedState({ pending: false, readByOthers: true })).toBe('read');
	});
});

describe('messageWindow', () => {
	it('maps media and sticker envelopes: each attachment with how it is shown, from its served type', () => {
		const doc = new Y.Doc();
		const base = { author: 'alice', createdAt: 1_700_000_000_000, text: '' };
		const file = (id: string, mime: string) => ({ id, url: `/api/uploads/${id}`, mime, size: 10 });
		doc.getArray('messages').push([
			{
				...base,
				id: 'm1',
				kind: 'media',
				attachments: [file('u1', 'image/webp'), file('u2', 'video/mp4'), file('u3', 'audio/ogg'), file('u4', 'image/svg+xml')]
			},
			{ ...base, id: 's1', kind: 'sticker', sticker: { pack: 'parley', id: 'wave' } }
		]);
		const [media, sticker] = messageWindow({
			doc,
			me: 'bob',
			size: 10,
			pending: [],
			queued: [],
			states: new MonotonicStates(),
			name: (id) => id
		}).messages;
		expect(media!.attachments!.map((a) => a.kind)).toEqual(['image', 'video', 'audio', 'file']);
		expect(media!.attachments![0]!.url).toBe('/api/uploads/u1');
		expect(sticker!.sticker).toEqual({ pack: 'parley', id: 'wave' });
		expect(sticker!.attachments).toBeUndefined();
	});

	it('own messages: pending while in the outbox, sent after, read once another member read up to them; others have no state', () => {
		const doc = conversation([
			['a1', 'alice'],
			['b1', 'bob'],
			['b2', 'bob']
		]);
		const states = new MonotonicStates();
		const pending: WriteOp[] = [{ kind: 'send', envelope: env('b2', 'bob') }];
		const look = (p: WriteOp[]) =>
			messageWindow({ doc, me: 'bob', size: 10, pending: p, queued: [], states, name: (id) => id.toUpperCase() }).messages;
		expect(look(pending).map((m) => [m.id, m.state])).toEqual([
			['a1', undefined],
			['b1', 'sent'],
			['b2', 'pending']
		]);
		doc.getMap('reads').set('alice', { messageId: 'b1', at: 5 });
		expect(look([]).map((m) => m.state)).toEqual([undefined, 'read', 'sent']);
		// bob's own read position does not make his messages "read"
		doc.getMap('reads').set('bob', { messageId: 'b2', at: 6 });
		expect(look([]).map((m) => m.state)).toEqual([undefined, 'read', 'sent']);
		expect(look([])[0]!.authorName).toBe('ALICE');
	});

	it('sends queued outside the document (restored, recovering) appear at the end as pending; a window shows the newest', () => {
		const doc = conversation(Array.from({ length: 100 }, (_, i) => [`m${i}`, 'alice'] as [string, string]));
		const queued: WriteOp[] = [{ kind: 'send', envelope: env('q1', 'bob') }];
		const win = messageWindow({ doc, me: 'bob', size: 10, pending: [], queued, states: new MonotonicStates(), name: (id) => id });
		expect(win.hasOlder).toBe(true);
		expect(win.messages.map((m) => m.id)).toEqual([...Array.from({ length: 10 }, (_, i) => `m${90 + i}`), 'q1']);
		expect(win.messages.at(-1)!.state).toBe('pending');
	});

	it('an edit shows its text and marks the message edited', () => {
		const doc = conversation([['b1', 'bob']]);
		doc.getMap('edits').set('b1', { text: 'fixed', editedAt: 2 });
		const [m] = messageWindow({
			doc,
			me: 'bob',
			size: 5,
			pending: [],
			queued: [],
			states: new MonotonicStates(),
			name: (id) => id
		}).messages;
		expect([m!.text, m!.edited]).toEqual(['fixed', true]);
	});
});

describe('firstUnread', () => {
	it('is the first message by someone else after my read position (mine and system notices skipped)', () => {
		const doc = conversation([
			['a1', 'alice'],
			['b1', 'bob'],
			['a2', 'alice'],
			['a3', 'alice']
		]);
		expect(firstUnread(doc, 'bob')).toBe('a1');
		doc.getMap('reads').set('bob', { messageId: 'b1', at: 1 });
		expect(firstUnread(doc, 'bob')).toBe('a2');
		doc.getMap('reads').set('bob:phone', { messageId: 'a3', at: 2 });
		expect(firstUnread(doc, 'bob')).toBeNull();
	});
});
