/**
 * Message search (`GET /api/search`, SPEC §10; docs/search.md): PostgreSQL full-text search over
 * the `messages` projection, in the conversations the caller belongs to now.
 *
 * - The words become a tsquery built here from tokens ($lib/search/query.ts), never from the
 *   user's text: `'w1' & 'w2' & (stem of 'last' | 'last':* among the folded words)`. The word being
 *   typed matches as a prefix of the words as written ("runni" finds "running") and, whole, by
 *   its stem ("сообщения" finds "сообщение" before the space is typed). A prefix of the stems
 *   would add little and cost a second partial match over the whole index.
 * - Membership is part of the index lookup: each message's vector holds its document's name as a
 *   lexeme, and the query is `words && ('conv.a' | 'conv.b' | …)` over the caller's documents
 *   (`conversation_documents`, the one place that maps documents to conversations), so the GIN
 *   index yields only the matches the caller may see.
 * - Ranked by relevance (ts_rank, normalised by length) divided by age: `rank / (1 + age / 30 d)`,
 *   age measured from the first page's moment (the cursor keeps it), ties by newest first.
 * - The page's rows get their matched words marked by ts_headline (marks.ts), and the names a
 *   result list shows: the conversation's title (for a direct one, my alias or the other person's
 *   name) and the author's.
 */
import type { Db, Queryable } from '../db/index.js';
import type { Limits } from '../config.js';
import { ApiError } from '../http-errors.js';
import { isEmptyQuery, type ParsedQuery } from '$lib/search/query';
import { decodeCursor, encodeCursor, fingerprint, type CursorState } from './cursor.js';
import type { MessageHit } from '$lib/search/hit';
import { matchedWords, mergeRanges, snippetOf, type Range } from '$lib/search/snippet';
import { newDelimiters, rangesOf } from './marks.js';

/** Age (seconds) at which a match's relevance counts half: recent messages first, but a much better match still wins. */
const RECENCY_SCALE_SECONDS = 30 * 24 * 3600;
/** PostgreSQL's code for a statement cancelled by statement_timeout. */
const QUERY_CANCELED = '57014';

const SQL = {
	// The highest message position now: messages committed later wait for a new search (cursor.ts).
	horizon: `select last_value::text as position from messages_position_seq`,
	member: `select 1 from conversation_members where conversation_id = $1 and user_id = $2`,
	timeout: (ms: number) => `set local statement_timeout = ${Math.trunc(ms)}`,
	// $1 user, $2 whole words (tsquery text, may be ''), $3 the word being typed ('w') or null, $4 conversation
	// or null, $5 author or null, $6 after, $7 before, $8 max position, $9 asOf, $10 recency scale (s),
	// $11/$12 the cursor's score and position or null, $13 page size + 1, $14 ts_headline options.
	search: `with docs as materialized (
			select d.conversation_id, d.doc_name from conversation_members cm
			join conversation_documents d on d.conversation_id = cm.conversation_id
			where cm.user_id = $1 and ($4::text is null or cm.conversation_id = $4)
		),
		w as materialized (
			select case when $3::text is null then to_tsquery('parley_search', $2)
				else to_tsquery('parley_search', $2) && (to_tsquery('parley_search', $3) || to_tsquery('parley_prefix', $3 || ':*')) end as words
		),
		q as materialized (
			-- Only stop words: no query at all (ANDed with the documents alone, it would match everything).
			select w.words, case when numnode(w.words) > 0
				then w.words && (select string_agg(quote_literal(doc_name), ' | ') from docs)::tsquery end as query
			from w
		),
		-- Materialized: the matches come from one GIN scan of the whole query (words and documents);
		-- joined to docs as a parameter instead, the planner repeats that scan once per document.
		hits as materialized (
			select m.doc_name, m.id, m.position,
				ts_rank(m.search, (select words from q), 1)::float8
					/ (1 + greatest(0, extract(epoch from $9::timestamptz - m.created_at)::float8) / $10::float8) as score
			from messages m
			where m.search @@ (select query from q)
				and m.position <= $8::bigint
				and ($5::text is null or m.author_id = $5)
				and ($6::timestamptz is null or m.created_at >= $6)
				and ($7::timestamptz is null or m.created_at < $7)
		),
		page as (
			select hits.*, docs.conversation_id from hits join docs on docs.doc_name = hits.doc_name
			where $11::float8 is null or (score, position) < ($11::float8, $12::bigint)
			order by score desc, position desc
			limit $13
		)
		select p.conversation_id, p.id, p.score, p.position::text as position,
			m.author_id, m.created_at, m.edited_at, m.kind, m.text,
			c.kind as conversation_kind, coalesce(k.alias, o.display_name, c.title) as conversation_title,
			u.display_name as author_name, u.username as author_username, ka.alias as author_alias,
			ts_headline('parley_search', search_text(m.text), (select words from q), $14) as marked_stems,
			case when $3::text is null then null
				else ts_headline('parley_prefix', search_text(m.text), (select words from q), $14) end as marked_words
		from page p
		join messages m on m.doc_name = p.doc_name and m.id = p.id
		join conversations c on c.id = p.conversation_id
		left join conversation_members om on c.kind = 'direct' and om.conversation_id = c.id and om.user_id <> $1
		left join users o on o.id = om.user_id
		left join contacts k on k.owner_id = $1 and k.contact_id = o.id
		left join users u on u.id = m.author_id
		left join contacts ka on ka.owner_id = $1 and ka.contact_id = m.author_id
		order by p.score desc, p.position desc`
};

/** One search: the parsed words and the filters, all already validated. */
export interface MessageSearch {
	userId: string;
	query: ParsedQuery;
	conversationId: string | null;
	authorId: string | null;
	after: Date | null;
	before: Date | null;
	cursor: string | null;
}

export type { MessageHit } from '$lib/search/hit';

export interface SearchPage {
	messages: MessageHit[];
	nextCursor: string | null;
}

interface Row {
	conversation_id: string;
	id: string;
	/** float8, parsed by pg into the same double PostgreSQL computed: the cursor compares it exactly. */
	score: number;
	position: string;
	author_id: string;
	created_at: Date;
	edited_at: Date | null;
	kind: string;
	text: string;
	conversation_kind: string;
	conversation_title: string;
	author_name: string | null;
	author_username: string | null;
	author_alias: string | null;
	marked_stems: string;
	marked_words: string | null;
}

/** A token as a tsquery operand: quoted, so nothing in it is read as an operator. */
const operand = (token: string) => `'${token.replace(/['\\]/g, (ch) => (ch === "'" ? "''" : '\\\\'))}'`;

/**
 * The tsquery texts of a parsed query: whole words ANDed, and the word being typed as an operand
 * (or null), which the SQL matches as its stem, whole, or as the prefix of a folded word.
 */
export function tsqueryTexts(query: ParsedQuery): { words: string; prefix: string | null } {
	return { words: query.words.map(operand).join(' & '), prefix: query.prefix === null ? null : operand(query.prefix) };
}

/** Runs one search; throws ApiError (400 bad cursor, 404 not a member, 503 too slow). */
export async function searchMessages(db: Db, search: MessageSearch, deps: { limits: Limits; now: () => number }): Promise<SearchPage> {
	if (isEmptyQuery(search.query)) return { messages: [], nextCursor: null };
	const print = fingerprint({
		w: search.query.words,
		p: search.query.prefix,
		c: search.conversationId,
		a: search.authorId,
		after: search.after?.toISOString() ?? null,
		before: search.before?.toISOString() ?? null
	});
	let resume: CursorState | null = null;
	if (search.cursor !== null) {
		const decoded = decodeCursor(search.cursor, print);
		if (typeof decoded === 'string') throw new ApiError(400, 'invalid_input', `cursor: ${decoded}`, { field: 'cursor' });
		resume = decoded;
	}
	try {
		return await db.transaction(async (tx) => {
			await tx.query(SQL.timeout(deps.limits.searchStatementTimeoutMs));
			if (search.conversationId !== null && (await tx.query(SQL.member, [search.conversationId, search.userId])).length === 0)
				throw new ApiError(404, 'not_found', 'No such conversation', { field: 'conversationId' });
			const asOf = resume?.asOf ?? deps.now();
			const maxPosition = resume?.maxPosition ?? (await tx.query<{ position: string }>(SQL.horizon))[0]!.position;
			return runPage(tx, search, { asOf, maxPosition, after: resume, print, pageSize: deps.limits.searchPageSize });
		});
	} catch (error) {
		if ((error as { code?: string }).code === QUERY_CANCELED)
			throw new ApiError(503, 'busy', 'This search took too long; add words, or narrow it to a conversation, a person or dates', {
				headers: { 'retry-after': '5' }
			});
		throw error;
	}
}

async function runPage(
	tx: Queryable,
	search: MessageSearch,
	page: { asOf: number; maxPosition: string; after: CursorState | null; print: string; pageSize: number }
): Promise<SearchPage> {
	const texts = tsqueryTexts(search.query);
	const delimiters = newDelimiters();
	const rows = await tx.query<Row>(SQL.search, [
		search.userId,
		texts.words,
		texts.prefix,
		search.conversationId,
		search.authorId,
		search.after,
		search.before,
		page.maxPosition,
		new Date(page.asOf),
		RECENCY_SCALE_SECONDS,
		page.after?.score ?? null,
		page.after?.position ?? null,
		page.pageSize + 1,
		`HighlightAll=true, StartSel=${delimiters.start}, StopSel=${delimiters.stop}`
	]);
	const more = rows.length > page.pageSize;
	const shown = rows.slice(0, page.pageSize);
	const last = shown.at(-1);
	return {
		messages: shown.map((row) => toHit(row, delimiters)),
		nextCursor:
			more && last
				? encodeCursor(page.print, { asOf: page.asOf, maxPosition: page.maxPosition, score: last.score, position: last.position })
				: null
	};
}

function toHit(r: Row, delimiters: { start: string; stop: string }): MessageHit {
	const ranges: Range[] = mergeRanges(
		rangesOf(r.marked_stems, delimiters, r.text.length),
		r.marked_words === null ? [] : rangesOf(r.marked_words, delimiters, r.text.length)
	);
	const author =
		r.author_name === null
			? null
			: { displayName: r.author_name, username: r.author_username!, ...(r.author_alias ? { alias: r.author_alias } : {}) };
	return {
		conversationId: r.conversation_id,
		messageId: r.id,
		authorId: r.author_id,
		createdAt: new Date(r.created_at).toISOString(),
		text: r.text,
		editedAt: r.edited_at ? new Date(r.edited_at).toISOString() : null,
		kind: r.kind,
		conversation: { kind: r.conversation_kind, title: r.conversation_title },
		author,
		snippet: snippetOf(r.text, ranges),
		highlights: matchedWords(r.text, ranges)
	};
}
