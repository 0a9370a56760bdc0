// What notifies (recipients.ts `noticeFor`) and what a payload holds (payload.ts), as pure functions.
import { describe, expect, it } from 'vitest';
import { noticeFor, type BatchMessage, type MessageRow, type Recipient } from '$lib/server/push/recipients';
import { cutText, mergePayloads, messagePayload, readPayload, reactionPayload, payloadBytes } from '$lib/server/push/payload';
import { DEFAULT_SETTINGS } from '$lib/server/push/store';

const recipient = (over: Partial<Recipient> = {}): Recipient => ({
	userId: 'me',
	muted: false,
	settings: { ...DEFAULT_SETTINGS },
	blocked: new Set(),
	readPosition: 0,
	...over
});
const msg = (id: string, over: Partial<BatchMessage> = {}): BatchMessage => ({
	id,
	authorId: 'ann',
	createdAt: 1,
	text: id,
	kind: 'text',
	attachments: 0,
	...over
});
const rows = new Map<string, MessageRow>([
	['m1', { authorId: 'ann', position: 10 }],
	['m2', { authorId: 'ann', position: 11 }],
	['mine', { authorId: 'me', position: 5 }]
]);

describe('push rules', () => {
	it("a message by someone else notifies; my own, one I read past, and a blocked author's do not", () => {
		expect(noticeFor(recipient(), [msg('m1')], [], rows)).toMatchObject({ messages: [{ id: 'm1' }], mention: false });
		expect(noticeFor(recipient({ userId: 'ann' }), [msg('m1')], [], rows)).toBeNull();
		expect(noticeFor(recipient({ readPosition: 10 }), [msg('m1'), msg('m2')], [], rows)!.messages.map((m) => m.id)).toEqual(['m2']);
		expect(noticeFor(recipient({ blocked: new Set(['ann']) }), [msg('m1', { mentions: ['me'] })], [], rows)).toBeNull();
	});

	it('muted: only a mention or a reply to mine, and only with mentionsInMuted', () => {
		const muted = recipient({ muted: true });
		expect(noticeFor(muted, [msg('m1')], [], rows)).toBeNull();
		expect(noticeFor(muted, [msg('m1', { mentions: ['me'] })], [], rows)).toMatchObject({ mention: true });
		expect(noticeFor(muted, [msg('m1', { replyTo: 'mine' })], [], rows)).toMatchObject({ mention: true });
		expect(noticeFor(muted, [msg('m1', { replyTo: 'm2' })], [], rows)).toBeNull();
		const off = recipient({ muted: true, settings: { ...DEFAULT_SETTINGS, mentionsInMuted: false } });
		expect(noticeFor(off, [msg('m1', { mentions: ['me'] })], [], rows)).toBeNull();
	});

	it('reactions to my message notify only with the setting on, not muted, not blocked', () => {
		const reaction = { messageId: 'mine', by: 'ann', emoji: ['👍'], at: 1 };
		expect(noticeFor(recipient(), [], [reaction], rows)).toBeNull();
		const on = { ...DEFAULT_SETTINGS, reactions: true };
		expect(noticeFor(recipient({ settings: on }), [], [reaction], rows)).toMatchObject({ reactions: [reaction] });
		expect(noticeFor(recipient({ settings: on, muted: true }), [], [reaction], rows)).toBeNull();
		expect(noticeFor(recipient({ settings: on, blocked: new Set(['ann']) }), [], [reaction], rows)).toBeNull();
		expect(noticeFor(recipient({ settings: on }), [], [{ ...reaction, messageId: 'm1' }], rows)).toBeNull();
	});

	it('payloads hold what the preview setting allows and stay under the byte limit', () => {
		const base = {
			conversation: { id: 'c', kind: 'group' as const, title: 'T' },
			message: { id: 'm', authorId: 'ann', authorName: 'Ann', createdAt: 1, text: 'x'.repeat(500), kind: 'media' as const, attachments: 2 },
			count: 3,
			mention: false,
			previewMaxChars: 100,
			maxBytes: 3000
		};
		const full = messagePayload({ ...base, preview: 'full' });
		expect(full).toMatchObject({ text: cutText(base.message.text, 100), messageKind: 'media', attachments: 2, sender: { name: 'Ann' } });
		expect(Array.from(full.text!)).toHaveLength(100);
		expect(messagePayload({ ...base, preview: 'name' })).not.toHaveProperty('text');
		const none = messagePayload({ ...base, preview: 'none' });
		expect(none).not.toHaveProperty('sender');
		expect(none).not.toHaveProperty('conversation');
		const big = messagePayload({
			...base,
			preview: 'full',
			previewMaxChars: 10_000,
			maxBytes: 600,
			message: { ...base.message, text: '𝄞'.repeat(5000) }
		});
		expect(payloadBytes(big)).toBeLessThanOrEqual(600);
		expect(cutText('a𝄞b', 2)).toBe('a…');
		const direct = messagePayload({ ...base, preview: 'name', conversation: { id: 'c', kind: 'direct', title: '' } });
		expect(direct.conversation).toEqual({ kind: 'direct', title: 'Ann' });
		expect(
			reactionPayload({
				conversation: base.conversation,
				messageId: 'm',
				by: { id: 'b', name: 'B' },
				emoji: ['👍'],
				at: 1,
				preview: 'name',
				maxBytes: 3000
			})
		).not.toHaveProperty('emoji');
	});

	it('merging: the newer message wins and keeps a mention; a read replaces; a reaction does not replace a message', () => {
		const p = (n: number, mention: boolean) =>
			messagePayload({
				conversation: { id: 'c', kind: 'group', title: 'T' },
				message: { id: `m${n}`, authorId: 'a', authorName: 'A', createdAt: n, text: '', kind: 'text', attachments: 0 },
				count: n,
				mention,
				preview: 'full',
				previewMaxChars: 10,
				maxBytes: 3000
			});
		expect(mergePayloads(p(1, true), p(2, false))).toMatchObject({ messageId: 'm2', count: 2, mention: true });
		expect(mergePayloads(p(1, false), readPayload('c')).kind).toBe('read');
		const reaction = reactionPayload({
			conversation: { id: 'c', kind: 'group', title: 'T' },
			messageId: 'x',
			by: { id: 'b', name: 'B' },
			emoji: ['👍'],
			at: 1,
			preview: 'full',
			maxBytes: 3000
		});
		expect(mergePayloads(p(1, false), reaction).kind).toBe('message');
	});
});
