// Shared steps of the search tests: write messages through the relay with a stock client (so the
// projection and its trigger fill the index as in production), and read search pages.
import { expect } from 'vitest';
import type { TestServer } from '../../helpers/server.js';
import type { TestUser } from '../../helpers/users.js';
import { connectClient, waitFor, type SyncClient } from '../../helpers/sync.js';

let counter = 0;
/** A fresh message id (unique within the run). */
export const messageId = (tag = 'm') => `${tag}${process.pid}x${++counter}`;

/** One user's stock client on one conversation, writing as that user. */
export interface Writer {
	client: SyncClient;
	/** Appends messages (one transaction) and waits until the server has projected them; returns their ids. */
	send(texts: string[], options?: { createdAt?: number }): Promise<string[]>;
	/** Edits a message and waits until the projection has the new text. */
	edit(id: string, text: string): Promise<void>;
	/** Deletes a message and waits until the projection marked it deleted. */
	remove(id: string): Promise<void>;
}

/** Opens a writer; wait for nothing else: every call waits for its own effect in the database. */
export async function openWriter(server: TestServer, user: TestUser, docName: string): Promise<Writer> {
	const client = connectClient({ url: server.url, docName, cookie: user.cookie });
	await client.synced();
	const rowsOf = (ids: string[]) =>
		server.db.query<{ id: string; text: string; deleted_at: Date | null }>(
			`select id, text, deleted_at from messages where doc_name = $1 and id = any($2::text[])`,
			[docName, ids]
		);
	const messages = client.doc.getArray<Record<string, unknown>>('messages');
	return {
		client,
		async send(texts, options = {}) {
			const ids = texts.map(() => messageId());
			const createdAt = options.createdAt ?? Date.now();
			client.doc.transact(() => messages.push(texts.map((text, i) => ({ id: ids[i], author: user.id, createdAt, text }))));
			await waitFor(async () => (await rowsOf(ids)).length === ids.length, { what: `${ids.length} messages projected` });
			return ids;
		},
		async edit(id, text) {
			client.doc.getMap('edits').set(id, { text, editedAt: Date.now() });
			await waitFor(async () => (await rowsOf([id]))[0]?.text === text, { what: `edit of ${id} projected` });
		},
		async remove(id) {
			const index = messages.toArray().findIndex((m) => m.id === id);
			expect(index).toBeGreaterThanOrEqual(0);
			messages.delete(index, 1);
			await waitFor(async () => (await rowsOf([id]))[0]?.deleted_at != null, { what: `deletion of ${id} projected` });
		}
	};
}

/** `GET /api/search` as `user` with these parameters (a string is `q`). */
export function search(user: TestUser, params: string | Record<string, string>) {
	const query = new URLSearchParams(typeof params === 'string' ? { q: params } : params);
	return user.client.get(`/api/search?${query}`);
}

/** The message ids a search finds (asserting a 200). */
export async function idsFound(user: TestUser, params: string | Record<string, string>): Promise<string[]> {
	const res = await search(user, params);
	expect(res.status, JSON.stringify(res.data)).toBe(200);
	return res.data.messages.map((m: { messageId: string }) => m.messageId);
}

/** Every page of a search, following `nextCursor`; `between` runs after each page (concurrent writes). */
export async function allPages(
	user: TestUser,
	params: Record<string, string>,
	between: (page: number) => Promise<void> = async () => {}
): Promise<string[][]> {
	const pages: string[][] = [];
	let cursor: string | null = null;
	do {
		const res = await search(user, cursor ? { ...params, cursor } : params);
		expect(res.status, JSON.stringify(res.data)).toBe(200);
		pages.push(res.data.messages.map((m: { messageId: string }) => m.messageId));
		cursor = res.data.nextCursor;
		await between(pages.length);
	} while (cursor);
	return pages;
}

/** Asserts that `user`'s search finds exactly `ids` (in any order). */
export async function expectFound(user: TestUser, q: string | Record<string, string>, ids: string[]): Promise<void> {
	expect((await idsFound(user, q)).sort(), JSON.stringify(q)).toEqual([...ids].sort());
}
