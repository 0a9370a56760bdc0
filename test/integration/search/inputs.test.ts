// What a client may send to `GET /api/search`: any `q` (operators, quotes, a lone "-", 2 000
// characters, NUL, broken UTF-8/UTF-16), bad cursors, dates and ids all answer results or a 4xx,
// never a 500; cursor paging is stable while messages arrive; the per-user rate limit holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.js';
import type { TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { createConversation } from '../../helpers/users.js';
import { startServer, users } from '../conversations/helpers.js';
import { allPages, idsFound, openWriter, search, type Writer } from './helpers.js';

/** Page size of this file's server: several pages from a few dozen messages. */
const PAGE = 5;
/** Searches per user and minute on this file's server. */
const RATE = 40;

/** Raw query strings (already percent-encoded where needed) and the status class each must get. */
const HOSTILE_Q: Array<[string, string, 200 | 400]> = [
	['double quote', '%22', 200],
	['single quotes', "'''", 200],
	['tsquery operators', '%26%7C!%3A*()', 200],
	['a lone minus', '-', 200],
	['a lone bang', '!', 200],
	['prefix syntax', 'a%3A*', 200],
	['weight syntax', 'word%3AAB', 200],
	['phrase syntax', 'a%20%3C-%3E%20b', 200],
	['negation', '!word%20%26%20!other', 200],
	['parentheses only', '((((((', 200],
	['backslashes', '%5C%5C%5C', 200],
	['SQL', "'%3B%20drop%20table%20messages%3B%20--", 200],
	['markup', '%3Cscript%3Ealert(1)%3C%2Fscript%3E', 200],
	['emoji', '%F0%9F%98%80%F0%9F%8E%89', 200],
	['lone surrogate as UTF-8', '%ED%A0%80abc', 200],
	['invalid UTF-8', '%FF%FEabc', 200],
	['a lone combining mark', '%CC%81', 200],
	['right-to-left override', '%E2%80%AEtxt.exe', 200],
	['ё and a star', '%D1%91%3A*', 200],
	['256 letters in one word', 'a'.repeat(256), 200],
	['2 000 characters', 'word%20'.repeat(399) + 'words', 400],
	['2 000 letters', 'x'.repeat(2000), 400],
	['too many words', Array.from({ length: 20 }, (_, i) => `w${i}`).join('%20'), 400],
	['NUL', 'abc%00def', 400],
	['only spaces', '%20%20%20', 400],
	['empty', '', 400]
];

/** Other parameters, with a valid q. */
const HOSTILE_PARAMS: Array<[string, string]> = [
	['cursor garbage', 'cursor=!!!'],
	['cursor of the wrong shape', `cursor=${Buffer.from('{"v":1}').toString('base64url')}`],
	['cursor not JSON', `cursor=${Buffer.from('\u0000\u0001binary').toString('base64url')}`],
	['cursor too long', `cursor=${'A'.repeat(600)}`],
	['cursor with a NaN score', `cursor=${Buffer.from('{"v":1,"f":"x","t":1,"m":"1","s":"NaN","p":"1"}').toString('base64url')}`],
	['date out of range', 'before=2024-13-45'],
	['date in words', 'after=yesterday'],
	['date as a number', 'after=1e10'],
	['date and time without a zone', 'before=2024-03-01T12:00:00'],
	['year zero', 'after=0000-01-01'],
	['five-digit year', 'before=99999-01-01'],
	['author not an id', 'from=alice'],
	['conversation not an id', 'conversationId=..%2F..%2Fetc'],
	['conversation with a NUL', 'conversationId=%00']
];

describe(`search inputs and paging (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser, bob: TestUser, carol: TestUser, dave: TestUser;
	let group: { id: string; docName: string };
	let writer: Writer;

	beforeAll(async () => {
		server = await startServer({ searchPageSize: PAGE, rateMessageSearchMax: RATE });
		[alice, bob, carol, dave] = await users(server, 'alice', 'bob', 'carol', 'dave');
		group = await createConversation(alice, { kind: 'group', title: 'Inputs', memberIds: [bob.id, carol.id, dave.id] });
		writer = await openWriter(server, alice, group.docName);
		await writer.send(["word other a b don't -minus !bang"]);
	});
	afterAll(async () => {
		writer?.client.destroy();
		await server?.close();
	});

	it.each(HOSTILE_Q)('q: %s answers %s, never a 500', async (_name, raw, status) => {
		const res = await bob.client.get(`/api/search?q=${raw}`);
		expect(res.status, res.text).toBe(status);
		if (status === 200) expect(res.data).toEqual({ messages: expect.any(Array), nextCursor: null });
		else expect(res.data.error).toMatchObject({ code: 'invalid_input', field: 'q', message: expect.stringMatching(/^q: /) });
	});

	it.each(HOSTILE_PARAMS)('%s: a 400 naming the parameter', async (_name, param) => {
		const res = await carol.client.get(`/api/search?q=word&${param}`);
		expect(res.status, res.text).toBe(400);
		expect(res.data.error.code).toBe('invalid_input');
		expect(param.startsWith(`${res.data.error.field}=`), res.text).toBe(true);
	});

	it('finds the message that holds the hostile words as plain words', async () => {
		expect(await idsFound(dave, "don't -minus")).toHaveLength(1);
		expect(await idsFound(dave, '!bang & word')).toHaveLength(1);
		// Repeated parameters: the first one counts.
		const res = await dave.client.get('/api/search?q=word&q=nothing');
		expect(res.data.messages).toHaveLength(1);
	});

	it('a cursor belongs to its search: another query or filter refuses it', async () => {
		await writer.send(Array.from({ length: PAGE + 1 }, (_, i) => `cursorword ${i}`));
		const first = await search(bob, 'cursorword ');
		expect(first.data.nextCursor).toEqual(expect.any(String));
		const other = await search(bob, { q: 'cursorwords ', cursor: first.data.nextCursor });
		expect(other.status).toBe(400);
		expect(other.data.error).toMatchObject({ field: 'cursor', message: expect.stringContaining('another search') });
		const filtered = await search(bob, { q: 'cursorword ', from: alice.id, cursor: first.data.nextCursor });
		expect(filtered.status).toBe(400);
		const next = await search(bob, { q: 'cursorword ', cursor: first.data.nextCursor });
		expect(next.status).toBe(200);
		expect(next.data.messages).toHaveLength(1);
	});

	it('pages are stable while matching messages arrive: each old match once, no new one until a new search', async () => {
		const at = Date.now() - 3600_000;
		// Equal scores (same text, same moment) test the tie-break; the others spread over time.
		const same = await writer.send(
			Array.from({ length: 8 }, () => 'pagingword here'),
			{ createdAt: at }
		);
		const spread: string[] = [];
		for (let i = 0; i < 3; i++)
			spread.push(...(await writer.send([`pagingword number ${i}`, 'pagingword pagingword'], { createdAt: at - i * 86_400_000 })));
		const before = [...same, ...spread];
		const arrived: string[] = [];
		const pages = await allPages(dave, { q: 'pagingword ' }, async () => {
			// A dense new one (ranks above the cursor) and one written offline long ago (ranks below it).
			arrived.push(...(await writer.send(['pagingword pagingword pagingword'])));
			arrived.push(...(await writer.send(['pagingword, written offline a month ago'], { createdAt: at - 30 * 86_400_000 })));
		});
		const seen = pages.flat();
		expect(pages.length).toBe(Math.ceil(before.length / PAGE));
		expect(pages.slice(0, -1).every((p) => p.length === PAGE)).toBe(true);
		expect(new Set(seen).size).toBe(seen.length);
		expect([...seen].sort()).toEqual([...before].sort());
		expect(seen.some((id) => arrived.includes(id))).toBe(false);
		// A new search sees everything.
		const again = (await allPages(dave, { q: 'pagingword ' })).flat();
		expect([...again].sort()).toEqual([...before, ...arrived].sort());
	});

	it(`rate-limits each user: past ${RATE} searches a minute, 429 with Retry-After`, async () => {
		const [erin] = await users(server, 'erin');
		const statuses: number[] = [];
		for (let i = 0; i < RATE; i++) statuses.push((await search(erin!, 'word')).status);
		expect(statuses.every((s) => s === 200)).toBe(true);
		const limited = await search(erin!, 'word');
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		// Others are not affected.
		expect((await search(bob, 'word')).status).toBe(200);
	});

	it('answers 401 signed out', async () => {
		const res = await fetch(`${server.url}/api/search?q=word`);
		expect(res.status).toBe(401);
	});
});
