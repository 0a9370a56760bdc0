// The on-device index (src/lib/client/search): incremental inserts, edits and deletions, the
// conversation sync that never re-indexes what did not change, folding and stemming as on the
// server, filters, ranking, bounds, and the saved snapshot.
import { describe, expect, it } from 'vitest';
import { LocalSearchIndex, type IndexMessage } from '$lib/client/search/local-index';
import { LOCAL_SEARCH_LIMITS } from '$lib/client/search/limits';

const NOW = Date.UTC(2026, 11, 1);
const C1 = 'a'.repeat(24);
const C2 = 'b'.repeat(24);
let n = 0;
const message = (text: string, extra: Partial<IndexMessage> = {}): IndexMessage => ({
	id: `m${++n}`,
	authorId: 'alice',
	createdAt: NOW - 60_000,
	text,
	...extra
});
const upsert = (conversationId: string, m: IndexMessage) => ({ type: 'upsert' as const, conversationId, message: m });
const ids = (index: LocalSearchIndex, q: string, filters = {}) => index.query(q, filters, NOW).map((h) => h.messageId);

describe('LocalSearchIndex', () => {
	it('indexes inserts, replaces the words of an edit, and forgets a deletion', () => {
		const index = LocalSearchIndex.create();
		const a = message('Встреча завтра в офисе');
		const b = message('Lunch at noon?');
		expect(index.apply([upsert(C1, a), upsert(C1, b)])).toBe(2);
		expect(ids(index, 'встреча ')).toEqual([a.id]);
		expect(ids(index, 'lunch ')).toEqual([b.id]);
		index.apply([upsert(C1, { ...a, text: 'Встреча переносится на пятницу', editedAt: NOW })]);
		expect(ids(index, 'офисе ')).toEqual([]);
		expect(ids(index, 'пятница ')).toEqual([a.id]);
		index.apply([{ type: 'delete', conversationId: C1, messageId: b.id }]);
		expect(ids(index, 'lunch ')).toEqual([]);
		expect(index.size).toBe(1);
		// An older version arriving late changes nothing; a system message or an empty text is not indexed.
		expect(index.apply([upsert(C1, { ...a, text: 'Встреча переносится на пятницу', editedAt: NOW })])).toBe(0);
		expect(index.apply([upsert(C1, message('', {})), upsert(C1, message('Alice joined', { kind: 'system' }))])).toBe(0);
		expect(ids(index, 'joined ')).toEqual([]);
	});

	it('stems Russian and English and folds case, ё/е and accents, like the server', () => {
		const index = LocalSearchIndex.create();
		const [ru, en, tree, cafe] = [
			message('Я отправила сообщение вчера'),
			message('I run every morning'),
			message('Купили ЁЛКУ на рынке'),
			message('Meet at the Café Noir')
		];
		index.apply([ru, en, tree, cafe].map((m) => upsert(C1, m)));
		expect(ids(index, 'сообщения ')).toEqual([ru.id]);
		expect(ids(index, 'running ')).toEqual([en.id]);
		expect(ids(index, 'runs ')).toEqual([en.id]);
		expect(ids(index, 'елка ')).toEqual([tree.id]);
		expect(ids(index, 'Ёлки ')).toEqual([tree.id]);
		expect(ids(index, 'CAFE ')).toEqual([cafe.id]);
		expect(ids(index, 'café noir')).toEqual([cafe.id]);
		// Every whole word must match; stop words alone find nothing.
		expect(ids(index, 'café morning ')).toEqual([]);
		expect(ids(index, 'the и ')).toEqual([]);
	});

	it('matches the word being typed as a prefix of a stem or of the word itself', () => {
		const index = LocalSearchIndex.create();
		const [courier, address] = [message('The courier was running late'), message('Сообщите адрес доставки')];
		index.apply([upsert(C1, courier), upsert(C1, address)]);
		expect(ids(index, 'courier runni')).toEqual([courier.id]);
		expect(ids(index, 'courier runni ')).toEqual([]);
		expect(ids(index, 'адрес дост')).toEqual([address.id]);
		expect(ids(index, 'ДОСТАВК')).toEqual([address.id]);
		// Shorter than three letters: only a whole word.
		expect(ids(index, 'courier la')).toEqual([]);
		// The hit says which words matched, and marks them in the snippet.
		const [hit] = index.query('адрес дост', {}, NOW);
		expect(hit!.highlights).toEqual(['адрес', 'доставки']);
		expect(hit!.snippet.marks.map(([s, e]) => hit!.snippet.text.slice(s, e))).toEqual(['адрес', 'доставки']);
	});

	it('filters by conversation, author and time, and ranks the newer of equal matches first', () => {
		const index = LocalSearchIndex.create();
		const old = message('отчёт готов', { createdAt: Date.UTC(2023, 2, 10) });
		const mine = message('отчёт проверен', { authorId: 'bob', createdAt: NOW - 3600_000 });
		const other = message('отчёт отправлен', { createdAt: NOW - 7200_000 });
		index.apply([upsert(C1, old), upsert(C1, mine), upsert(C2, other)]);
		expect(ids(index, 'отчет ')).toEqual([mine.id, other.id, old.id]);
		expect(ids(index, 'отчет ', { conversationId: C1 })).toEqual([mine.id, old.id]);
		expect(ids(index, 'отчет ', { authorId: 'bob' })).toEqual([mine.id]);
		expect(ids(index, 'отчет ', { before: Date.UTC(2023, 3, 1) })).toEqual([old.id]);
		expect(ids(index, 'отчет ', { after: Date.UTC(2024, 0, 1), conversationId: C2 })).toEqual([other.id]);
	});

	it('syncs a conversation from its messages: adds, replaces and removes only what changed', () => {
		const index = LocalSearchIndex.create();
		const kept = message('kept as it is');
		const edited = message('first words');
		const gone = message('will be deleted');
		expect(index.syncConversation(C1, [kept, edited, gone])).toEqual({ added: 3, updated: 0, removed: 0, unchanged: 0 });
		const added = message('arrived while closed');
		const counts = index.syncConversation(C1, [kept, { ...edited, text: 'second words', editedAt: NOW }, added]);
		expect(counts).toEqual({ added: 1, updated: 1, removed: 1, unchanged: 1 });
		expect(ids(index, 'deleted ')).toEqual([]);
		expect(ids(index, 'second ')).toEqual([edited.id]);
		expect(ids(index, 'first ')).toEqual([]);
		expect(ids(index, 'arrived ')).toEqual([added.id]);
		// Other conversations are untouched by a sync, and forgotten on request.
		index.apply([upsert(C2, message('kept elsewhere'))]);
		index.syncConversation(C1, []);
		expect(ids(index, 'kept ')).toHaveLength(1);
		expect(index.forgetConversation(C2)).toBe(1);
		expect(index.size).toBe(0);
	});

	it('saves and loads a snapshot; a snapshot of another format or a broken one is refused', async () => {
		const index = LocalSearchIndex.create();
		const a = message('Сохранённый индекс');
		index.apply([upsert(C1, a), upsert(C1, message('to be discarded'))]);
		index.apply([{ type: 'delete', conversationId: C1, messageId: `m${n}` }]);
		expect(index.changed).toBe(true);
		const snapshot = await index.serialize();
		expect(index.changed).toBe(false);
		const loaded = LocalSearchIndex.load(snapshot)!;
		expect(loaded.size).toBe(1);
		expect(ids(loaded, 'сохраненный ')).toEqual([a.id]);
		expect(ids(loaded, 'discarded ')).toEqual([]);
		// The loaded index keeps working incrementally.
		expect(loaded.syncConversation(C1, [a])).toEqual({ added: 0, updated: 0, removed: 0, unchanged: 1 });
		expect(LocalSearchIndex.load(snapshot.replace('"format":1', '"format":0'))).toBeNull();
		expect(LocalSearchIndex.load(snapshot.slice(0, 100))).toBeNull();
		expect(LocalSearchIndex.load('null')).toBeNull();
	});

	it('bounds: the oldest messages go past maxMessages; long texts are cut; big batches are refused', async () => {
		const limits = { ...LOCAL_SEARCH_LIMITS, maxMessages: 100, maxIndexedChars: 50, maxStoredChars: 20 };
		const index = LocalSearchIndex.create(limits);
		const batch = Array.from({ length: 120 }, (_, i) => upsert(C1, message(`bounded number${i}`, { createdAt: NOW - (120 - i) * 1000 })));
		index.apply(batch);
		expect(index.size).toBeLessThanOrEqual(100);
		expect(index.size).toBeGreaterThanOrEqual(95);
		// The oldest went: number0 (oldest) is gone, number119 (newest) is there.
		expect(ids(index, 'number0 ')).toEqual([]);
		expect(ids(index, 'number119 ')).toHaveLength(1);
		const long = message(`${'word '.repeat(20)}tailword`);
		index.apply([upsert(C2, long)]);
		expect(ids(index, 'tailword ')).toEqual([]);
		expect(index.query('word ', { conversationId: C2 }, NOW)[0]!.snippet.text.length).toBeLessThanOrEqual(20);
		expect(() => index.apply(Array.from({ length: limits.maxChangesPerCall + 1 }, () => upsert(C2, message('x'))))).toThrow(RangeError);
		// A snapshot over its bound drops the oldest until it fits.
		const small = LocalSearchIndex.create({ ...limits, maxSnapshotChars: 4000 });
		small.apply(batch.slice(0, 60));
		const snapshot = await small.serialize();
		expect(snapshot.length).toBeLessThanOrEqual(4000);
		expect(small.size).toBeLessThan(60);
		expect(LocalSearchIndex.load(snapshot)!.size).toBe(small.size);
	});
});
