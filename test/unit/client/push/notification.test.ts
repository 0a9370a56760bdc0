// What a notification says for each push payload and preview setting (docs/notifications.md#payload),
// when the worker stays silent, and the unread title.
import { describe, expect, it } from 'vitest';
import {
	MARK_READ_ACTION,
	conversationOfUrl,
	lookingAt,
	notificationFor,
	notifyLocale,
	parsePush,
	titleWithUnread,
	type PushPayload
} from '$lib/client/push/notification';

const base = { v: 1, kind: 'message', conversationId: 'c1', tag: 'conv:c1', url: '/c/c1', messageId: 'm9', at: 1, mention: false };
const plan = (data: object, locale: 'en' | 'ru' = 'en') => notificationFor(parsePush(data) as PushPayload, locale);

describe('push payloads', () => {
	it('ignores a version or kind it does not know, and anything not an object', () => {
		expect(parsePush({ ...base, v: 2 })).toBeNull();
		expect(parsePush({ ...base, kind: 'call' })).toBeNull();
		expect(parsePush('hello')).toBeNull();
		expect(parsePush(null)).toBeNull();
	});

	it('"full": the group title, then who wrote what; one tag per conversation; "Mark as read"', () => {
		const p = plan({
			...base,
			count: 1,
			sender: { id: 'u', name: 'Alice' },
			conversation: { kind: 'group', title: 'Climbing' },
			text: 'See you at 8?'
		});
		expect(p?.title).toBe('Climbing');
		expect(p?.options.body).toBe('Alice: See you at 8?');
		expect(p?.options.tag).toBe('conv:c1');
		expect(p?.options.renotify).toBe(true);
		expect(p?.options.actions).toEqual([{ action: MARK_READ_ACTION, title: 'Mark as read' }]);
		expect(p?.options.data).toEqual({ url: '/c/c1', conversationId: 'c1', messageId: 'm9' });
	});

	it('a count above one says how many, in Russian too', () => {
		const data = { ...base, count: 3, sender: { id: 'u', name: 'Alice' }, conversation: { kind: 'direct', title: 'Alice' }, text: 'hi' };
		expect(plan(data)?.options.body).toBe('3 new messages\nhi');
		expect(plan(data, 'ru')?.options.body).toBe('Новых сообщений: 3\nhi');
		expect(plan(data, 'ru')?.options.actions?.[0]?.title).toBe('Прочитано');
	});

	it('"name": the sender, never text; "none": only "New message"', () => {
		const name = plan({ ...base, count: 1, sender: { id: 'u', name: 'Alice' }, conversation: { kind: 'group', title: 'Climbing' } });
		expect(name?.title).toBe('Climbing');
		expect(name?.options.body).toBe('Alice');
		const none = plan({ ...base, count: 1 });
		expect(none?.title).toBe('Parley');
		expect(none?.options.body).toBe('New message');
	});

	it('a sticker or a photo without caption is named, a mention is marked', () => {
		const sticker = plan({
			...base,
			count: 1,
			mention: true,
			sender: { id: 'u', name: 'Bob' },
			conversation: { kind: 'direct', title: 'Bob' },
			text: '',
			messageKind: 'sticker'
		});
		expect(sticker?.options.body).toBe('Sticker');
		expect(sticker?.title).toBe('@ Bob');
	});

	it('a read push shows nothing (the worker closes the tag)', () => {
		const read = parsePush({ v: 1, kind: 'read', conversationId: 'c1', tag: 'conv:c1' });
		expect(read?.kind).toBe('read');
		expect(notificationFor(read!, 'en')).toBeNull();
	});
});

describe('when the worker stays silent', () => {
	const w = (url: string, focused: boolean, visibilityState: DocumentVisibilityState = 'visible') => ({ url, focused, visibilityState });
	it('only for a visible, focused window on that very chat', () => {
		expect(lookingAt([w('https://p.example/c/c1', true)], 'c1')).toBe(true);
		expect(lookingAt([w('https://p.example/c/c1', false)], 'c1')).toBe(false);
		expect(lookingAt([w('https://p.example/c/c1', true, 'hidden')], 'c1')).toBe(false);
		expect(lookingAt([w('https://p.example/c/c2', true)], 'c1')).toBe(false);
		expect(lookingAt([w('https://p.example/', true)], 'c1')).toBe(false);
	});
	it('reads the chat id from a URL', () => {
		expect(conversationOfUrl('https://p.example/c/abc?x=1')).toBe('abc');
		expect(conversationOfUrl('https://p.example/settings')).toBeNull();
		expect(conversationOfUrl('not a url')).toBeNull();
	});
});

describe('title and locale', () => {
	it('puts the unread total in front, replaces it, removes it at zero', () => {
		expect(titleWithUnread('Parley', 3)).toBe('(3) Parley');
		expect(titleWithUnread('(3) Alice · Parley', 5)).toBe('(5) Alice · Parley');
		expect(titleWithUnread('(5) Parley', 0)).toBe('Parley');
		expect(titleWithUnread('Parley', 1200)).toBe('(999+) Parley');
	});
	it('writes in Russian for a Russian browser, else English', () => {
		expect(notifyLocale(['ru-RU', 'en'])).toBe('ru');
		expect(notifyLocale(['de-DE', 'en-GB'])).toBe('en');
		expect(notifyLocale(['fr'])).toBe('en');
	});
});
