// The composer's mention picker and the message's mention buttons (src/lib/client/mentions.ts).
import { describe, expect, it } from 'vitest';
import { applyMention, linkMentions, matchMembers, mentionIds, mentionQuery } from '$lib/client/mentions';
import { deviceLabel } from '$lib/client/push/device-label';

const members = [
	{ id: 'u1', name: 'Anna Lee', username: 'anna' },
	{ id: 'u2', name: 'Boris', username: 'bob' },
	{ id: 'u3', name: 'Lena Anders', username: 'lena' }
];

describe('mention picker', () => {
	it('opens on @ at the start or after a space, not inside a word or an address', () => {
		expect(mentionQuery('@an', 3)).toEqual({ start: 0, query: 'an' });
		expect(mentionQuery('hi @', 4)).toEqual({ start: 3, query: '' });
		expect(mentionQuery('mail me@host', 12)).toBeNull();
		expect(mentionQuery('@anna lee', 9)).toBeNull();
		expect(mentionQuery('no at here', 5)).toBeNull();
	});

	it('matches name or username starts first, then words, then anywhere', () => {
		expect(matchMembers(members, 'an').map((m) => m.id)).toEqual(['u1', 'u3']);
		expect(matchMembers(members, 'bo').map((m) => m.id)).toEqual(['u2']);
		expect(matchMembers(members, 'zz')).toEqual([]);
		expect(matchMembers(members, '', 2)).toHaveLength(2);
	});

	it('writes @Name and a space over the query, the caret after it', () => {
		expect(applyMention('hi @an and', 3, 6, 'Anna Lee')).toEqual({ text: 'hi @Anna Lee and', caret: 13 });
	});

	it('sends only the ids still written in the text, once each', () => {
		expect(mentionIds('@Anna Lee and @Boris, @Anna Lee', members)).toEqual(['u1', 'u2']);
		expect(mentionIds('@Anna and nobody', members)).toEqual([]);
	});
});

describe('mentions in a shown message', () => {
	it('makes each @Name a button with the id, marking me, never inside links or code', () => {
		const html = '<p>hi @Anna Lee and @Boris <code>@Boris</code> <a href="https://x">@Boris</a></p>';
		const out = linkMentions(html, [
			{ id: 'u1', name: 'Anna Lee', me: true },
			{ id: 'u2', name: 'Boris', me: false }
		]);
		expect(out).toBe(
			'<p>hi <button type="button" class="mention me" data-mention="u1">@Anna Lee</button> and ' +
				'<button type="button" class="mention" data-mention="u2">@Boris</button> <code>@Boris</code> <a href="https://x">@Boris</a></p>'
		);
	});

	it('a name that needs escaping matches the escaped text and cannot inject markup', () => {
		const out = linkMentions('<p>@Tom &amp; &lt;b&gt;</p>', [{ id: 'u9', name: 'Tom & <b>', me: false }]);
		expect(out).toBe('<p><button type="button" class="mention" data-mention="u9">@Tom &amp; &lt;b&gt;</button></p>');
	});
});

describe('device labels', () => {
	it('names browser and system from a user agent', () => {
		expect(deviceLabel('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/130.0 Mobile Safari/537.36')).toBe('Chrome · Android');
		expect(deviceLabel('Mozilla/5.0 (Windows NT 10.0; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe('Firefox · Windows');
		expect(deviceLabel(null)).toBeNull();
	});
});
