/**
 * The query string of `GET /api/search`, checked: every problem is a 400 naming the parameter.
 * (Control characters, NUL above all, are refused before any route runs: hooks/input-guard.ts.)
 */
import type { Limits } from '../config.js';
import { fieldError } from '../http-errors.js';
import { parseQuery, queryProblemMessage, type ParsedQuery } from '$lib/search/query';
import { ID_PATTERN } from '../conversations/schemas.js';

/** The validated parameters. */
export interface SearchParams {
	query: ParsedQuery;
	conversationId: string | null;
	authorId: string | null;
	after: Date | null;
	before: Date | null;
	cursor: string | null;
}

/** A date, or a date and time with a zone (what `Date.toISOString()` writes): nothing the server's own zone would change. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;
/** Dates PostgreSQL and JavaScript both hold (years 1–9999). */
const EARLIEST = Date.UTC(1, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function time(value: string | null, field: string): Date | null {
	if (value === null) return null;
	const ms = ISO_TIME.test(value) ? Date.parse(value) : NaN;
	if (!Number.isFinite(ms) || ms < EARLIEST || ms > LATEST)
		throw fieldError(field, 'must be an ISO 8601 date (2024-03-01) or date and time with a zone (2024-03-01T12:00:00Z)');
	return new Date(ms);
}

function id(value: string | null, field: string, what: string): string | null {
	if (value === null) return null;
	if (!ID_PATTERN.test(value)) throw fieldError(field, `must be ${what} id`);
	return value;
}

/** Reads and checks the parameters; `q` is required. */
export function readSearchParams(params: URLSearchParams, limits: Limits): SearchParams {
	const q = params.get('q');
	if (q === null || q.trim() === '') throw fieldError('q', 'is required');
	const queryLimits = {
		maxLength: limits.searchQueryMaxLength,
		maxTerms: limits.searchQueryMaxTerms,
		prefixMinLength: limits.searchPrefixMinLength
	};
	const parsed = parseQuery(q, queryLimits);
	if (!parsed.ok) throw fieldError('q', queryProblemMessage(parsed.problem, queryLimits));
	const cursor = params.get('cursor');
	return {
		query: parsed.query,
		conversationId: id(params.get('conversationId'), 'conversationId', 'a conversation'),
		authorId: id(params.get('from'), 'from', 'a user'),
		after: time(params.get('after'), 'after'),
		before: time(params.get('before'), 'before'),
		cursor: cursor === null || cursor === '' ? null : cursor
	};
}
