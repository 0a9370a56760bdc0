// Message search (SPEC §10, docs/search.md) on a real PostgreSQL, messages written through the
// relay by stock clients: stemming in both languages, folding, prefixes, membership now, edits and
// deletions, filters, the answer's names and marks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.js';
import type { TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { createConversation } from '../../helpers/users.js';
import { startServer, users } from '../conversations/helpers.js';
import { expectFound, idsFound, openWriter, search, type Writer } from './helpers.js';

describe(`search (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser, bob: TestUser, carol: TestUser, dave: TestUser;
	let group: { id: string; docName: string };
	let direct: { id: string; docName: string };
	let aliceInGroup: Writer, bobInGroup: Writer, aliceInDirect: Writer;
	const writers: Writer[] = [];

	beforeAll(async () => {
		server = await startServer();
		[alice, bob, carol, dave] = await users(server, 'alice', 'bob', 'carol', 'dave');
		group = await createConversation(alice, { kind: 'group', title: 'Отпуск 2024', memberIds: [bob.id, carol.id] });
		direct = await createConversation(alice, { kind: 'direct', userId: bob.id });
		writers.push(
			(aliceInGroup = await openWriter(server, alice, group.docName)),
			(bobInGroup = await openWriter(server, bob, group.docName)),
			(aliceInDirect = await openWriter(server, alice, direct.docName))
		);
	});
	afterAll(async () => {
		for (const writer of writers) writer.client.destroy();
		await server?.close();
	});

	it('stems Russian and English: "сообщения" finds "сообщение", "running" finds "run"', async () => {
		const [ru, en, other] = await aliceInGroup.send(['Я отправила сообщение вчера', 'I run every morning', 'Nothing to see']);
		await expectFound(bob, 'сообщения', [ru!]);
		await expectFound(bob, 'сообщением', [ru!]);
		await expectFound(bob, 'running ', [en!]);
		await expectFound(bob, 'runs', [en!]);
		expect(await idsFound(bob, 'see')).toEqual([other]);
		// Stop words alone find nothing (and are not an error).
		expect(await idsFound(bob, 'the и')).toEqual([]);
	});

	it('folds case, ё/е and accents both ways', async () => {
		const [tree, cafe] = await aliceInGroup.send(['Купили ЁЛКУ на рынке', 'Meet at the Café Noir']);
		await expectFound(bob, 'елка ', [tree!]);
		await expectFound(bob, 'Ёлки ', [tree!]);
		await expectFound(bob, 'CAFE ', [cafe!]);
		await expectFound(bob, 'café noir', [cafe!]);
	});

	it('matches the word being typed as a prefix, stemmed or not, and a finished word whole', async () => {
		const [ru, en] = await bobInGroup.send(['Сообщите адрес доставки, пожалуйста', 'The courier was running late']);
		await expectFound(alice, 'адрес дост', [ru!]);
		await expectFound(alice, 'ДОСТАВК', [ru!]);
		// "runni" is a prefix of the word "running", not of its stem "run".
		await expectFound(alice, 'courier runni', [en!]);
		// A trailing space finishes the word: "runni" as a whole word matches nothing.
		await expectFound(alice, 'courier runni ', []);
		// Two letters are too short a prefix: only whole words (none here).
		await expectFound(alice, 'courier la', []);
	});

	it('splits addresses, URLs and hyphenated words as the search box does', async () => {
		const [mail, link] = await aliceInGroup.send([
			'Write to anna.petrova@example.org today',
			'See https://docs.example.net/guide/setup-v2?x=1'
		]);
		await expectFound(bob, 'petrova', [mail!]);
		await expectFound(bob, 'anna.petrova@example.org', [mail!]);
		await expectFound(bob, 'setup v2', [link!]);
		await expectFound(bob, 'docs.example.net', [link!]);
	});

	it('answers with the conversation and author names, and marks the matched words (never HTML)', async () => {
		const [id] = await bobInGroup.send(['👍🏽 <b>Встреча</b> перенесена: встречаемся   в пятницу у <i>офиса</i>']);
		const res = await search(alice, 'встреч');
		expect(res.status).toBe(200);
		const hit = res.data.messages.find((m: { messageId: string }) => m.messageId === id);
		expect(hit).toMatchObject({
			conversationId: group.id,
			messageId: id,
			authorId: bob.id,
			text: '👍🏽 <b>Встреча</b> перенесена: встречаемся   в пятницу у <i>офиса</i>',
			editedAt: null,
			kind: 'text',
			conversation: { kind: 'group', title: 'Отпуск 2024' },
			author: { displayName: 'bob', username: bob.username }
		});
		expect(new Date(hit.createdAt).toISOString()).toBe(hit.createdAt);
		expect(hit.highlights.sort()).toEqual(['Встреча', 'встречаемся']);
		const marked = hit.snippet.marks.map(([s, e]: [number, number]) => hit.snippet.text.slice(s, e));
		expect(marked).toEqual(['Встреча', 'встречаемся']);
		// White space runs collapse in the snippet; the text itself is as written.
		expect(hit.snippet.text).toBe('👍🏽 <b>Встреча</b> перенесена: встречаемся в пятницу у <i>офиса</i>');
		// In a direct conversation the title is the other person's name.
		const [mine] = await aliceInDirect.send(['Встреча в кафе?']);
		const bobs = await search(bob, { q: 'встреча', conversationId: direct.id });
		expect(bobs.data.messages).toEqual([expect.objectContaining({ messageId: mine, conversation: { kind: 'direct', title: 'alice' } })]);
	});

	it('finds nothing of a conversation for a non-member, nor for a member once removed', async () => {
		const [id] = await aliceInGroup.send(['Секретный пароль от вайфая: кукушка']);
		await expectFound(carol, 'кукушка', [id!]);
		await expectFound(dave, 'кукушка', []);
		const notMember = await search(dave, { q: 'кукушка', conversationId: group.id });
		expect(notMember.status).toBe(404);
		expect(notMember.data.error).toMatchObject({ code: 'not_found', field: 'conversationId' });
		expect((await alice.client.delete(`/api/conversations/${group.id}/members/${carol.id}`)).status).toBe(204);
		await expectFound(carol, 'кукушка', []);
		expect((await search(carol, { q: 'кукушка', conversationId: group.id })).status).toBe(404);
		await expectFound(bob, 'кукушка', [id!]);
	});

	it('an edit replaces the old words; a deleted message never matches again', async () => {
		const [edited, deleted] = await aliceInGroup.send(['Бронь на субботу', 'Бронь отменена, billing error']);
		await expectFound(bob, 'бронь', [edited!, deleted!]);
		await aliceInGroup.edit(edited!, 'Резерв на воскресенье');
		await expectFound(bob, 'бронь', [deleted!]);
		await expectFound(bob, 'субботу', []);
		await expectFound(bob, 'воскресенье', [edited!]);
		await aliceInGroup.remove(deleted!);
		await expectFound(bob, 'бронь', []);
		await expectFound(bob, 'billing', []);
		// The index row is gone, not only filtered: nothing deleted keeps a search vector.
		const [row] = await server.db.query<{ search: string | null }>(`select search from messages where doc_name = $1 and id = $2`, [
			group.docName,
			deleted
		]);
		expect(row?.search).toBeNull();
	});

	it('filters by conversation, author and time', async () => {
		const old = Date.UTC(2023, 2, 10, 12);
		const [inGroupOld] = await aliceInGroup.send(['Квартальный отчёт готов'], { createdAt: old });
		const [inGroupNew] = await bobInGroup.send(['Квартальный отчёт проверен']);
		const [inDirect] = await aliceInDirect.send(['Квартальный отчёт отправлен']);
		await expectFound(bob, 'квартальный отчет', [inGroupOld!, inGroupNew!, inDirect!]);
		await expectFound(bob, { q: 'квартальный отчет', conversationId: group.id }, [inGroupOld!, inGroupNew!]);
		await expectFound(bob, { q: 'квартальный отчет', from: alice.id }, [inGroupOld!, inDirect!]);
		await expectFound(bob, { q: 'квартальный отчет', before: '2023-04-01' }, [inGroupOld!]);
		await expectFound(bob, { q: 'квартальный отчет', after: '2023-03-10T12:00:00.001Z' }, [inGroupNew!, inDirect!]);
		await expectFound(bob, { q: 'квартальный отчет', after: '2023-03-01T00:00:00+03:00', before: '2023-03-11' }, [inGroupOld!]);
	});

	it('ranks a denser match first among messages of one moment, and the newer first among equal ones', async () => {
		const at = Date.now() - 3600_000;
		const [sparse, dense] = await aliceInGroup.send(
			['Вчера долго искали, где оставить машину, и в итоге нашли парковку у вокзала', 'Парковка, парковка: где парковка?'],
			{ createdAt: at }
		);
		const [older] = await aliceInGroup.send(['Шлагбаум у въезда сломан'], { createdAt: at - 86_400_000 });
		const [newer] = await aliceInGroup.send(['Шлагбаум у въезда сломан'], { createdAt: at });
		expect(await idsFound(bob, 'парковка ')).toEqual([dense, sparse]);
		expect(await idsFound(bob, 'шлагбаум ')).toEqual([newer, older]);
	});
});
