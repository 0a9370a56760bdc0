/** Replies, reactions, pins, "Read by", find in chat and the actions a role may take, over a real Y.Doc. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { messagePermissions } from '$lib/shared/roles';
import {
	EXTRAS_LIMITS,
	findMessages,
	pinList,
	reactionSummaries,
	readers,
	replyPreviews,
	snippet,
	toggledReaction
} from '../../../src/lib/client/sync/message-extras.js';
import { messageWindow } from '../../../src/lib/client/sync/views.js';
import { MonotonicStates } from '../../../src/lib/client/sync/message-state.js';
import { appendMessage, deleteMessage, editMessage, markRead, pinMessage, setReaction } from '../../../src/lib/sync/doc-ops.js';
import { conversationTypes, type Envelope } from '../../../src/lib/sync/schema.js';

const T0 = 1_700_000_000_000;
const names: Record<string, string> = { ann: 'Anna', bob: 'Bob', cat: 'Cat' };
const name = (id: string) => names[id] ?? id;

/** A document with `count` messages m1…m<count>, alternating Anna and Bob. */
function docWith(count: number, extra: (i: number) => Partial<Envelope> = () => ({})): Y.Doc {
	const doc = new Y.Doc();
	for (let i = 1; i <= count; i++)
		appendMessage(doc, { id: `m${i}`, author: i % 2 ? 'ann' : 'bob', createdAt: T0 + i, text: `message number ${i}`, ...extra(i) });
	return doc;
}

describe('message extras', () => {
	it('snippets are one plain line, shortened', () => {
		expect(snippet('**bold** and `code`\n\n> quoted [link](https://x.example)')).toBe('bold and code quoted link');
		expect(snippet('x'.repeat(500))).toHaveLength(EXTRAS_LIMITS.snippetChars);
	});

	it('the window carries reply previews (also of messages outside it, and of deleted ones), reactions and pins', () => {
		const doc = docWith(100, (i) => (i === 100 ? { replyTo: 'm1' } : i === 99 ? { replyTo: 'm98' } : i === 97 ? { replyTo: 'm5' } : {}));
		editMessage(doc, 'ann', 'm1', 'first, *edited*', T0 + 1000);
		deleteMessage(doc, 'ann', 'm5');
		setReaction(doc, 'bob', 'm100', ['👍', '❤️']);
		setReaction(doc, 'cat', 'm100', ['👍']);
		setReaction(doc, 'ann', 'm1', ['😂']); // outside the window: not read into it
		pinMessage(doc, 'ann', 'm99', T0 + 2000);
		const win = messageWindow({ doc, me: 'bob', size: 10, pending: [], queued: [], states: new MonotonicStates(), name });
		const last = win.messages.at(-1)!;
		expect(last.replyTo).toEqual({ id: 'm1', authorId: 'ann', authorName: 'Anna', snippet: 'first, edited', kind: 'text', deleted: false });
		expect(last.reactions).toEqual([
			{ emoji: '👍', count: 2, mine: true, names: ['Bob', 'Cat'] },
			{ emoji: '❤️', count: 1, mine: true, names: ['Bob'] }
		]);
		expect(win.messages.at(-2)!.replyTo?.snippet).toBe('message number 98');
		expect(win.messages.at(-2)!.pinned).toBe(true);
		expect(win.messages.find((m) => m.id === 'm97')!.replyTo).toMatchObject({ id: 'm5', deleted: true });
		expect(win.messages.some((m) => m.reactions && m.id !== 'm100')).toBe(false);
	});

	it('reply previews walk the document only for quotes outside the window', () => {
		const doc = docWith(3);
		const shown = conversationTypes(doc).messages.toArray();
		expect(replyPreviews(doc, new Set(), shown, name).size).toBe(0);
		expect(replyPreviews(doc, new Set(['m2']), shown, name).get('m2')?.authorName).toBe('Bob');
	});

	it('toggles one emoji in my list, keeping the others', () => {
		const doc = docWith(2);
		expect(toggledReaction(doc, 'ann', 'm1', '👍')).toEqual(['👍']);
		setReaction(doc, 'ann', 'm1', ['👍', '🎉']);
		expect(toggledReaction(doc, 'ann', 'm1', '👍')).toEqual(['🎉']);
		expect(toggledReaction(doc, 'ann', 'm1', '😂')).toEqual(['👍', '🎉', '😂']);
		expect(
			reactionSummaries(doc, new Set(['m1']), 'bob', name)
				.get('m1')
				?.every((r) => !r.mine)
		).toBe(true);
	});

	it('lists pins newest first, without deleted messages', () => {
		const doc = docWith(5);
		pinMessage(doc, 'ann', 'm2', T0 + 10);
		pinMessage(doc, 'ann', 'm4', T0 + 20);
		pinMessage(doc, 'ann', 'm3', T0 + 5);
		deleteMessage(doc, 'ann', 'm3');
		expect(pinList(doc, name).map((p) => [p.id, p.authorName])).toEqual([
			['m4', 'Bob'],
			['m2', 'Bob']
		]);
	});

	it('"Read by": those whose position is at or after the message, over all their devices, never me or the author', () => {
		const doc = docWith(6);
		markRead(doc, 'bob', 'm5', T0, 'phone');
		markRead(doc, 'bob', 'm2', T0, 'laptop');
		markRead(doc, 'cat', 'm2', T0);
		markRead(doc, 'ann', 'm6', T0);
		expect(readers(doc, 'm3', 'ann').sort()).toEqual(['bob']);
		expect(readers(doc, 'm1', 'ann').sort()).toEqual(['bob', 'cat']);
		expect(readers(doc, 'm1', 'bob').sort()).toEqual(['cat']);
		expect(readers(doc, 'nope', 'ann')).toEqual([]);
	});

	it('finds in the whole document (not only a window), case-insensitive, in edited text, oldest first', () => {
		const doc = docWith(300);
		editMessage(doc, 'ann', 'm3', 'Something ELSE entirely', T0);
		expect(findMessages(doc, 'number 1')).toHaveLength(1 + 10 + 100); // 1, 10–19, 100–199
		expect(findMessages(doc, 'number 1').slice(0, 3)).toEqual(['m1', 'm10', 'm11']);
		expect(findMessages(doc, 'else')).toEqual(['m3']);
		expect(findMessages(doc, 'number 3')).not.toContain('m3');
		expect(findMessages(doc, '   ')).toEqual([]);
	});

	it('find stops at its named limits, keeping the newest matches', () => {
		const doc = docWith(EXTRAS_LIMITS.findMaxMatches + 50);
		const found = findMessages(doc, 'message');
		expect(found).toHaveLength(EXTRAS_LIMITS.findMaxMatches);
		expect(found.at(-1)).toBe(`m${EXTRAS_LIMITS.findMaxMatches + 50}`);
		expect(found[0]).toBe('m51');
	});

	it('offers only what the role may do', () => {
		const base = { own: false, kind: 'text' as const, conversation: 'group' as const };
		expect(messagePermissions({ ...base, role: 'member' })).toEqual({
			reply: true,
			react: true,
			edit: false,
			pin: false,
			delete: false,
			readBy: false
		});
		expect(messagePermissions({ ...base, role: 'admin' })).toMatchObject({ pin: true, delete: true, edit: false });
		expect(messagePermissions({ ...base, own: true, role: 'member' })).toMatchObject({ edit: true, delete: true, readBy: true });
		expect(messagePermissions({ ...base, own: true, role: 'member', pending: true }).readBy).toBe(false);
		expect(messagePermissions({ ...base, own: true, kind: 'sticker', role: 'member' }).edit).toBe(false);
		expect(messagePermissions({ ...base, conversation: 'direct', role: 'owner' })).toMatchObject({ pin: true, readBy: false });
		expect(messagePermissions({ ...base, conversation: 'channel', role: 'subscriber' })).toMatchObject({
			reply: false,
			react: false,
			pin: false
		});
		expect(messagePermissions({ ...base, conversation: 'channel', role: 'member' })).toMatchObject({ reply: false, react: true });
	});
});

describe('quick reactions', () => {
	it('lead with the person’s frequent emoji, keep 👍 ❤️ 😂 always, no repeats, eight in all', async () => {
		const { quickReactions, QUICK_REACTIONS } = await import('../../../src/lib/components/chat/quick-emoji.js');
		expect(quickReactions([])).toEqual([...QUICK_REACTIONS]);
		const mine = quickReactions(['🚀', '👍', '🐈', '🌻', '🍕', '🎸']);
		expect(mine.slice(0, 5)).toEqual(['🚀', '👍', '🐈', '🌻', '🍕']);
		expect(mine).toHaveLength(QUICK_REACTIONS.length);
		expect(new Set(mine).size).toBe(mine.length);
		for (const needed of ['👍', '❤️', '😂']) expect(quickReactions(['🚀', '🐈', '🌻', '🍕', '🎸'])).toContain(needed);
	});
});
