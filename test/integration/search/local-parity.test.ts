// The on-device index must find what the server finds: for the bench's whole vocabulary and for
// texts with accents, ё, numbers, addresses and stop words, the client's lexemes
// (src/lib/client/search/normalize.ts) equal PostgreSQL's (migration 0080): stems against
// `parley_search`, folded words against `parley_prefix`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '$lib/server/db';
import { textLexemes } from '$lib/client/search/normalize';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../../helpers/database.js';
import { EN_WORDS, RARE_WORDS, RU_WORDS } from '../../../bench/search-data.js';

const TEXTS = [
	'Привет! Сообщения, сообщение и сообщений; ЁЛКА ёлка Елка, ещё всё',
	'I was running, he runs; they ran. The runner’s shoes — happily, generously',
	'Meet at the Café Noir: naïve façade, Æsir, straße, smørrebrød, Łódź, œuvre',
	'Write to anna.petrova@example.org or see https://docs.example.net/guide/setup-v2?x=1&y=2',
	'v2.0 beta3 1.5 42 2024-03-01 +7 (999) 123-45-67 COVID19 mp3 ул5',
	'Ἀθῆναι Αθήνα ΆΈΉ, Київ, Беларусь ў, йогурт Йошкар-Ола',
	"don't won't it's e-mail co-operate state-of-the-art",
	'«Ёлочки» — “quotes” ‘single’ привет😀emoji ❤️ 👍🏽ok №5 ©2024 50€ 10°C a×b ¿qué? ¡hola! … • · →next'
];

describe(`local index lexemes = PostgreSQL's (${testDatabaseKind()})`, () => {
	let database: TestDatabase;
	let db: Db;
	beforeAll(async () => {
		database = await createTestDatabase();
		db = await database.open();
	});
	afterAll(async () => {
		await db?.close();
		await database?.destroy();
	});

	const server = async (config: 'parley_search' | 'parley_prefix', text: string) => {
		const [row] = await db.query<{ lexemes: string[] }>(
			`select tsvector_to_array(to_tsvector($1::regconfig, search_text($2))) as lexemes`,
			[config, text]
		);
		return [...row!.lexemes].sort();
	};
	const client = (text: string, part: 'stem' | 'word') => [...new Set(textLexemes(text).map((l) => l[part]))].sort();

	it.each(TEXTS)('%s', async (text) => {
		expect(client(text, 'stem')).toEqual(await server('parley_search', text));
		expect(client(text, 'word')).toEqual(await server('parley_prefix', text));
	});

	it('the bench vocabulary, word by word', async () => {
		const words = [...RU_WORDS, ...EN_WORDS, ...RARE_WORDS];
		const rows = await db.query<{ word: string; stems: string[]; folded: string[] }>(
			`select w as word, tsvector_to_array(to_tsvector('parley_search', search_text(w))) as stems,
				tsvector_to_array(to_tsvector('parley_prefix', search_text(w))) as folded
			from unnest($1::text[]) as w`,
			[words]
		);
		const differ = rows.filter(
			(r) =>
				JSON.stringify(client(r.word, 'stem')) !== JSON.stringify(r.stems) ||
				JSON.stringify(client(r.word, 'word')) !== JSON.stringify(r.folded)
		);
		expect(differ).toEqual([]);
		expect(rows).toHaveLength(words.length);
	});
});
