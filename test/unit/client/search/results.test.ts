// The search box's merge of the device's and the server's results (one entry per message id,
// nothing already shown moves), and the help centre's search in both languages.
import { describe, expect, it } from 'vitest';
import { mergeResults, type MessageResult } from '$lib/client/search/results';
import { HELP_ARTICLES, searchHelp } from '$lib/help/articles';

const result = (messageId: string, source: MessageResult['source'], extra: Partial<MessageResult> = {}): MessageResult => ({
	conversationId: 'c',
	messageId,
	authorId: 'a',
	createdAt: 1,
	snippet: { text: messageId, marks: [] },
	highlights: [],
	source,
	...extra
});

describe('mergeResults', () => {
	it('keeps one entry per message id, the shown ones in place, the server’s names taken', () => {
		const device = [result('a', 'device', { highlights: ['Run'] }), result('b', 'device')];
		const server = [
			result('c', 'server'),
			result('a', 'server', { chatTitle: 'Trip', authorName: 'Anna', highlights: ['running'] }),
			result('c', 'server')
		];
		const merged = mergeResults(device, server);
		expect(merged.map((r) => [r.messageId, r.source])).toEqual([
			['a', 'both'],
			['b', 'device'],
			['c', 'server']
		]);
		expect(merged[0]).toMatchObject({ chatTitle: 'Trip', authorName: 'Anna', highlights: ['Run', 'running'] });
		// the device's answer arriving after the server's: the server's entry keeps its names
		const late = mergeResults(server.slice(0, 2), [result('a', 'device'), result('d', 'device')]);
		expect(late.map((r) => [r.messageId, r.source, r.chatTitle])).toEqual([
			['c', 'server', undefined],
			['a', 'both', 'Trip'],
			['d', 'device', undefined]
		]);
	});
});

describe('searchHelp', () => {
	it('finds articles by words of their title or text, in each language, folding case and ё', () => {
		expect(searchHelp('offline', 'en').map((h) => h.slug)).toContain('offline');
		expect(searchHelp('уведомлений', 'ru')[0]?.slug).toBe('notifications');
		expect(searchHelp('РЕЗЕРВНЫЕ', 'ru')[0]?.slug).toBe('backups');
		expect(searchHelp('nothing-like-this-anywhere', 'en')).toEqual([]);
		expect(searchHelp('', 'en')).toEqual([]);
		// every article has both languages
		for (const a of HELP_ARTICLES) for (const l of ['en', 'ru'] as const) expect(a.body[l].length).toBeGreaterThan(0);
	});
});
