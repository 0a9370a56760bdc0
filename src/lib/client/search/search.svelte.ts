/**
 * The search box's state (issue 20): one text and its filters, answered in sections: chats (the
 * inbox's titles, on the device), people (`GET /api/users?q=`, online), messages (the device's
 * index at once, then the server's pages merged in, one entry per message id) and help articles.
 * Offline, or when the server cannot answer, `deviceOnly` says the messages come from this device
 * only. Older answers never overwrite newer ones.
 */
import { parseQuery, isEmptyQuery } from '$lib/search/query';
import type { ApiMessageHit, ApiSearchParams } from '../api/index.js';
import { ApiError } from '../api/http.js';
import type { InboxItem, Person } from '../state/types.js';
import type { LocalFilters, LocalHit } from './local-index.js';
import { fromLocal, fromServer, mergeResults, type MessageResult } from './results.js';

/** Pause in typing before the server is asked (the device answers at once). */
const SERVER_DEBOUNCE_MS = 250;
/** Chats listed at most (titles found on the device). */
const MAX_CHATS = 5;
/** People listed at most. */
const MAX_PEOPLE = 5;

/** Filters of a search (all optional). */
export interface SearchFilters {
	conversationId?: string;
	/** a user id */
	from?: string;
	/** `YYYY-MM-DD`: on or after that day (local time) */
	after?: string;
	/** `YYYY-MM-DD`: before that day (local time) */
	before?: string;
}

/** What the search box needs from the session. */
export interface SearchDeps {
	local: (q: string, filters: LocalFilters) => Promise<LocalHit[]>;
	remote: (params: ApiSearchParams) => Promise<{ messages: ApiMessageHit[]; nextCursor: string | null }>;
	people: (q: string) => Promise<Person[]>;
	chats: () => InboxItem[];
	help: (q: string) => { slug: string; title: string }[];
	online: () => boolean;
}

const fold = (text: string) => text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/ё/g, 'е');

/** A day typed in a date field as ms since the epoch (local midnight), or undefined. */
function dayStart(day: string | undefined): number | undefined {
	if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
	const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
	const at = new Date(y, mo - 1, d).getTime();
	return Number.isNaN(at) ? undefined : at;
}

export class SearchState {
	readonly #deps: SearchDeps;
	#text = $state('');
	#filters = $state<SearchFilters>({});
	#chats = $state.raw<InboxItem[]>([]);
	#people = $state.raw<Person[]>([]);
	#messages = $state.raw<MessageResult[]>([]);
	#help = $state.raw<{ slug: string; title: string }[]>([]);
	#deviceOnly = $state(false);
	#searching = $state(false);
	#nextCursor = $state<string | null>(null);
	#run = 0;
	#timer: ReturnType<typeof setTimeout> | undefined;

	constructor(deps: SearchDeps) {
		this.#deps = deps;
	}

	get text(): string {
		return this.#text;
	}
	get filters(): SearchFilters {
		return this.#filters;
	}
	get chats(): InboxItem[] {
		return this.#chats;
	}
	get people(): Person[] {
		return this.#people;
	}
	get messages(): MessageResult[] {
		return this.#messages;
	}
	get help(): { slug: string; title: string }[] {
		return this.#help;
	}
	/** The messages listed come from this device only (offline, or the server did not answer). */
	get deviceOnly(): boolean {
		return this.#deviceOnly;
	}
	/** The server is being asked. */
	get searching(): boolean {
		return this.#searching;
	}
	/** The server has more pages. */
	get hasMore(): boolean {
		return this.#nextCursor !== null;
	}
	/** Anything to show at all. */
	get empty(): boolean {
		return !this.#chats.length && !this.#people.length && !this.#messages.length && !this.#help.length;
	}

	/** A new text or filters: the device answers now, the server after a pause in typing. */
	set(text: string, filters: SearchFilters = this.#filters): void {
		this.#text = text;
		this.#filters = filters;
		clearTimeout(this.#timer);
		const run = ++this.#run;
		this.#nextCursor = null;
		const parsed = parseQuery(text);
		const words = parsed.ok && !isEmptyQuery(parsed.query);
		const hasFilters = Boolean(filters.conversationId || filters.from || filters.after || filters.before);
		const folded = fold(text.trim());
		this.#chats =
			folded && !hasFilters
				? this.#deps
						.chats()
						.filter((c) => fold(c.title).includes(folded))
						.slice(0, MAX_CHATS)
				: [];
		this.#help = words && !hasFilters ? this.#deps.help(text) : [];
		if (!words) {
			this.#people = [];
			this.#messages = [];
			this.#searching = false;
			this.#deviceOnly = !this.#deps.online();
			return;
		}
		const online = this.#deps.online();
		this.#deviceOnly = !online;
		void this.#deps
			.local(text, this.#localFilters(filters))
			.then((hits) => {
				if (run !== this.#run) return;
				// the server's hits for this text may have come first: keep them, add the device's
				this.#messages = mergeResults(
					hits.map(fromLocal),
					this.#messages.filter((m) => m.source !== 'device')
				);
			})
			.catch(() => {});
		this.#messages = [];
		this.#people = [];
		if (!online) {
			this.#searching = false;
			return;
		}
		this.#searching = true;
		this.#timer = setTimeout(() => void this.#ask(run, text, filters), SERVER_DEBOUNCE_MS);
	}

	/** The server's next page, merged in. */
	async more(): Promise<void> {
		const cursor = this.#nextCursor;
		if (!cursor) return;
		await this.#ask(this.#run, this.#text, this.#filters, cursor);
	}

	/** Forgets the text (the box closed). */
	clear(): void {
		clearTimeout(this.#timer);
		this.#run++;
		this.#text = '';
		this.#chats = this.#people = this.#help = this.#messages = [];
		this.#searching = false;
		this.#nextCursor = null;
	}

	#localFilters(filters: SearchFilters): LocalFilters {
		const after = dayStart(filters.after);
		const before = dayStart(filters.before);
		return {
			...(filters.conversationId ? { conversationId: filters.conversationId } : {}),
			...(filters.from ? { authorId: filters.from } : {}),
			...(after !== undefined ? { after } : {}),
			...(before !== undefined ? { before } : {})
		};
	}

	async #ask(run: number, text: string, filters: SearchFilters, cursor?: string): Promise<void> {
		this.#searching = true;
		const local = this.#localFilters(filters);
		const params: ApiSearchParams = {
			q: text,
			conversationId: filters.conversationId,
			from: filters.from,
			after: local.after !== undefined ? new Date(local.after).toISOString() : undefined,
			before: local.before !== undefined ? new Date(local.before).toISOString() : undefined,
			cursor
		};
		const people = !cursor && !filters.conversationId ? this.#deps.people(text.trim()).catch(() => []) : null;
		try {
			const page = await this.#deps.remote(params);
			if (run !== this.#run) return;
			this.#messages = mergeResults(this.#messages, page.messages.map(fromServer));
			this.#nextCursor = page.nextCursor;
			this.#deviceOnly = false;
		} catch (error) {
			if (run !== this.#run) return;
			// unreachable, busy or rate limited: the device's results stand, and say so
			this.#deviceOnly = true;
			if (!(error instanceof ApiError)) throw error;
		} finally {
			if (run === this.#run) this.#searching = false;
		}
		if (people) {
			const found = await people;
			if (run === this.#run) this.#people = found.slice(0, MAX_PEOPLE);
		}
	}
}
