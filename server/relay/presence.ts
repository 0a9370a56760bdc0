/**
 * Presence: who is online, and when others were last seen, told to each user through the
 * awareness of their inbox connection (one socket tells about everyone). A user is online while
 * they have any sync connection; when the last one closes their last-seen time is stored. Each
 * person's `lastSeenVisibleTo` setting decides who hears about them (see CANDIDATES below).
 */
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Logger } from 'pino';
import type { Queryable } from '$lib/server/db';
import { subscribe, type ParleyEvents } from '$lib/server/events';
import { inboxDocName } from '$lib/server/doc-names';
import type { Room } from './room.js';

/** What presence touches of an inbox's room: its awareness, and the client ids the server speaks for there (A6). */
export type PresenceRoom = Pick<Room, 'awareness' | 'serverAwarenessIds'>;

/** What an inbox's awareness says about one person. */
export interface PresenceState {
	presence: { userId: string; online: boolean; lastSeen: number | null };
}

/**
 * Who may hear about whom. Candidates are the people one shares a direct conversation with, and
 * one's own contacts: a group (or channel) alone does not announce its members to each other, so
 * a 1000-member group costs no presence traffic (each arrival would otherwise reach 999 inboxes,
 * and every inbox would hold 999 states). Then the person's `lastSeenVisibleTo` decides.
 */
const CANDIDATES = `
	select o.user_id as viewer, me.user_id as person from conversation_members me
		join conversations c on c.id = me.conversation_id and c.kind = 'direct'
		join conversation_members o on o.conversation_id = me.conversation_id and o.user_id <> me.user_id
	union
	select k.owner_id as viewer, k.contact_id as person from contacts k`;
/** The person's setting allows the viewer, and no block stands between them either way. */
const ALLOWED = `(u.privacy_last_seen = 'everyone'
	or (u.privacy_last_seen = 'contacts' and exists (select 1 from contacts k where k.owner_id = u.id and k.contact_id = v.viewer)))
	and not exists (select 1 from blocks b where (b.blocker_id = u.id and b.blocked_id = v.viewer) or (b.blocker_id = v.viewer and b.blocked_id = u.id))`;

const SQL = {
	// Everyone who could see `$1` under some setting of theirs: the only inboxes that may show them.
	candidates: `select distinct v.viewer as user_id from (${CANDIDATES}) v where v.person = $1`,
	// People who may see `$1`.
	audience: `select distinct v.viewer as user_id from (${CANDIDATES}) v join users u on u.id = v.person
		where v.person = $1 and ${ALLOWED}`,
	// People `$1` may see, with their last-seen time.
	visibleTo: `select distinct u.id, extract(epoch from u.last_seen_at) * 1000 as last_seen from (${CANDIDATES}) v
		join users u on u.id = v.person
		where v.viewer = $1 and ${ALLOWED}`,
	// Whether `$1` may see `$2`, with `$2`'s last-seen time (no row: may not).
	sees: `select extract(epoch from u.last_seen_at) * 1000 as last_seen from (${CANDIDATES}) v join users u on u.id = v.person
		where v.viewer = $1 and v.person = $2 and ${ALLOWED} limit 1`,
	lastSeenOf: `select extract(epoch from last_seen_at) * 1000 as last_seen from users where id = $1`,
	lastSeen: `update users set last_seen_at = $2 where id = $1`
};

/** A last-seen time as the database answers it (a numeric may come back as a string). */
const toMs = (value: string | number | null | undefined) => (value === null || value === undefined ? null : Math.round(Number(value)));

/** A stable awareness client id for the presence of `userId` (never a real Yjs client's: the top bit is set). */
export function presenceClientId(userId: string): number {
	let hash = 2166136261;
	for (let i = 0; i < userId.length; i++) hash = Math.imul(hash ^ userId.charCodeAt(i), 16777619);
	return ((hash >>> 1) | 0x40000000) >>> 0;
}

export class Presence {
	/** Per inbox room: presence client id → awareness clock, so each state supersedes the last. */
	readonly #clocks = new WeakMap<PresenceRoom, Map<number, number>>();
	readonly #heartbeat: NodeJS.Timeout;
	/** Updates still running (awaited by `destroy`, so none outlives the database). */
	readonly #pending = new Set<Promise<void>>();
	/** Blocks seen (hideBetween) while queries ran, numbered; kept while a query older than them runs (see #query). */
	#blocks: Array<{ seq: number; a: string; b: string }> = [];
	#seq = 0;
	/** Start numbers of the queries running now (a multiset: number → how many). */
	readonly #running = new Map<number, number>();
	readonly #unsubscribe: () => void;

	constructor(
		private readonly deps: {
			db: Queryable;
			log: Logger;
			now: () => number;
			/** Whether the user has an open sync connection now. */
			isOnline: (userId: string) => boolean;
			/** The loaded room of a document, if any. */
			room: (docName: string) => PresenceRoom | undefined;
			/** Loaded inbox rooms, with their owners. */
			inboxRooms: () => Iterable<[userId: string, room: PresenceRoom]>;
			/** Renewal period; clients drop remote awareness states not renewed within 30 s. */
			heartbeatMs: number;
			/** Blocks, contacts and privacy changes, followed at once by open inboxes. */
			events: ParleyEvents;
		}
	) {
		this.#heartbeat = setInterval(() => this.#renewAll(), deps.heartbeatMs);
		this.#heartbeat.unref();
		this.#unsubscribe = subscribe(deps.events, {
			blocksChanged: ({ blockerId, blockedId, blocked }) => {
				if (blocked) this.hideBetween(blockerId, blockedId);
				else void this.refreshBetween(blockerId, blockedId);
			},
			contactsChanged: ({ ownerId, contactId }) => void this.refreshBetween(ownerId, contactId),
			privacyChanged: ({ userId }) => void this.refreshPerson(userId)
		});
	}

	/** A user's first connection opened. */
	online(userId: string): Promise<void> {
		return this.#track(this.#tellAudience(userId, { online: true, lastSeen: null }));
	}

	/** A user's last connection closed: store and tell their last-seen time. */
	offline(userId: string): Promise<void> {
		const now = this.deps.now();
		return this.#track(
			(async () => {
				await this.deps.db.query(SQL.lastSeen, [userId, new Date(now)]);
				await this.#tellAudience(userId, { online: false, lastSeen: now });
			})()
		);
	}

	#track(work: Promise<void>): Promise<void> {
		const tracked = work.catch((error) => this.deps.log.warn({ err: error }, 'presence update failed'));
		this.#pending.add(tracked);
		void tracked.finally(() => this.#pending.delete(tracked));
		return tracked;
	}

	/** Fills a freshly loaded inbox with the presence of everyone its owner may see. */
	async prime(room: PresenceRoom, ownerId: string): Promise<void> {
		const people = await this.#query<{ id: string; last_seen: string | number | null }>(SQL.visibleTo, [ownerId], (r) => [ownerId, r.id]);
		for (const person of people) this.#set(room, person.id, this.#stateOf(person.id, person.last_seen));
	}

	/**
	 * A block now stands between `a` and `b`: each disappears from the other's open inbox at once
	 * (no database round trip, so nothing about them is told after the block's request answered).
	 */
	hideBetween(a: string, b: string): void {
		if (this.#running.size > 0) this.#blocks.push({ seq: ++this.#seq, a, b });
		for (const [viewer, person] of [
			[a, b],
			[b, a]
		] as const) {
			const room = this.deps.room(inboxDocName(viewer));
			if (room) this.#remove(room, person);
		}
	}

	/** Something between `a` and `b` changed (a contact, an unblock): each one's open inbox shows the other as the rules now say. */
	refreshBetween(a: string, b: string): Promise<void> {
		return this.#track(
			(async () => {
				for (const [viewer, person] of [
					[a, b],
					[b, a]
				] as const) {
					if (!this.deps.room(inboxDocName(viewer))) continue;
					const [row] = await this.#query<{ last_seen: string | number | null }>(SQL.sees, [viewer, person], () => [viewer, person]);
					// Looked up again after the await: the inbox may have been unloaded meanwhile.
					const room = this.deps.room(inboxDocName(viewer));
					if (!room) continue;
					if (row) this.#show(room, person, row.last_seen);
					else this.#remove(room, person);
				}
			})()
		);
	}

	/** `userId` changed who may see them (`lastSeenVisibleTo`): every open inbox follows at once. */
	refreshPerson(userId: string): Promise<void> {
		return this.#track(
			(async () => {
				const audience = new Set(
					(await this.#query<{ user_id: string }>(SQL.audience, [userId], (r) => [userId, r.user_id])).map((r) => r.user_id)
				);
				const [row] = await this.deps.db.query<{ last_seen: string | number | null }>(SQL.lastSeenOf, [userId]);
				// Only the inboxes of people who could see them under any setting: a toggle costs their
				// candidates, not a walk of every loaded inbox on the instance.
				const candidates = await this.deps.db.query<{ user_id: string }>(SQL.candidates, [userId]);
				for (const { user_id: owner } of candidates) {
					const room = this.deps.room(inboxDocName(owner));
					if (!room) continue;
					if (audience.has(owner)) this.#show(room, userId, row?.last_seen ?? null);
					else this.#remove(room, userId);
				}
			})()
		);
	}

	/** Stops the heartbeat and waits for updates still running. */
	async destroy(): Promise<void> {
		clearInterval(this.#heartbeat);
		this.#unsubscribe();
		while (this.#pending.size > 0) await Promise.all([...this.#pending]);
	}

	async #tellAudience(userId: string, state: Omit<PresenceState['presence'], 'userId'>): Promise<void> {
		const audience = await this.#query<{ user_id: string }>(SQL.audience, [userId], (r) => [userId, r.user_id]);
		for (const { user_id } of audience) {
			const room = this.deps.room(inboxDocName(user_id));
			if (room) this.#set(room, userId, state);
		}
	}

	/**
	 * A query about who sees whom, without the pairs (`pairOf` each row) a block came between while
	 * it ran: its answer may predate the block, and would put a person back into an inbox that
	 * hideBetween just cleared. (Filtered rather than asked again: blocks made in a loop must not
	 * make presence queries repeat.)
	 */
	async #query<T>(sql: string, params: unknown[], pairOf: (row: T) => readonly [string, string]): Promise<T[]> {
		const start = this.#seq;
		this.#running.set(start, (this.#running.get(start) ?? 0) + 1);
		try {
			const rows = await this.deps.db.query<T>(sql, params);
			const since = this.#blocks.filter((block) => block.seq > start);
			if (since.length === 0) return rows;
			// One lookup per row: rows × blocks would let a user who blocks in a loop slow every query.
			const cut = new Set(since.flatMap(({ a, b }) => [`${a}\0${b}`, `${b}\0${a}`]));
			return rows.filter((row) => {
				const [x, y] = pairOf(row);
				return !cut.has(`${x}\0${y}`);
			});
		} finally {
			const left = this.#running.get(start)! - 1;
			if (left > 0) this.#running.set(start, left);
			else this.#running.delete(start);
			// Blocks no running query started before are needed no more.
			const oldest = Math.min(...this.#running.keys(), this.#seq);
			this.#blocks = this.#blocks.filter((block) => block.seq > oldest);
		}
	}

	/** The state to tell about a person now, from their stored last-seen time. */
	#stateOf(userId: string, lastSeen: string | number | null): Omit<PresenceState['presence'], 'userId'> {
		const online = this.deps.isOnline(userId);
		return { online, lastSeen: online ? null : toMs(lastSeen) };
	}

	/** Shows a person in an inbox that does not show them yet (one that does is kept up to date already). */
	#show(room: PresenceRoom, userId: string, lastSeen: string | number | null): void {
		if (!room.awareness.getStates().has(presenceClientId(userId))) this.#set(room, userId, this.#stateOf(userId, lastSeen));
	}

	/** Removes a person from an inbox, if it shows them. */
	#remove(room: PresenceRoom, userId: string): void {
		if (room.awareness.getStates().has(presenceClientId(userId))) this.#write(room, userId, null);
	}

	#set(room: PresenceRoom, userId: string, state: Omit<PresenceState['presence'], 'userId'>): void {
		this.#write(room, userId, { presence: { userId, ...state } });
	}

	/** Writes one presence entry (null: removed) with the next clock of its id in this room. */
	#write(room: PresenceRoom, userId: string, value: PresenceState | null): void {
		let clocks = this.#clocks.get(room);
		if (!clocks) this.#clocks.set(room, (clocks = new Map()));
		const id = presenceClientId(userId);
		room.serverAwarenessIds.add(id);
		const clock = (clocks.get(id) ?? 0) + 1;
		clocks.set(id, clock);
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 1);
		encoding.writeVarUint(encoder, id);
		encoding.writeVarUint(encoder, clock);
		encoding.writeVarString(encoder, JSON.stringify(value));
		awarenessProtocol.applyAwarenessUpdate(room.awareness, encoding.toUint8Array(encoder), 'presence');
	}

	/** Re-sends every presence state, so neither clients nor the room's own awareness time them out. */
	#renewAll(): void {
		for (const [, room] of this.deps.inboxRooms()) {
			const clocks = this.#clocks.get(room);
			if (!clocks) continue;
			for (const [id, state] of room.awareness.getStates()) {
				const presence = (state as Partial<PresenceState>).presence;
				if (clocks.has(id) && presence) this.#set(room, presence.userId, { online: presence.online, lastSeen: presence.lastSeen });
			}
		}
	}
}
