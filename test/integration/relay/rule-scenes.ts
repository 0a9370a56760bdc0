// The stage for the rule tests: one live server, users made through the API, and per document a
// watcher (a member who must never see a refused write) and an honest third party whose marker
// write, once the watcher has it, proves that anything refused before it would have arrived.
import { expect } from 'vitest';
import * as Y from 'yjs';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connectClient, waitFor, type SyncClient } from '../../helpers/sync.js';
import { connectRaw, type RawClient } from '../../helpers/raw-sync.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';

/** A plain envelope as a client writes it. */
export const envelope = (id: string, author: string, extra: Record<string, unknown> = {}) => ({
	id,
	author,
	createdAt: Date.now(),
	text: `text of ${id}`,
	...extra
});

/** Whether `doc` holds a live message with this id (and, if given, this author). */
export function hasMessage(doc: Y.Doc, id: string, author?: string): boolean {
	return doc
		.getArray<Record<string, unknown>>('messages')
		.toArray()
		.some((m) => m?.id === id && (author === undefined || m.author === author));
}

/** One document under test. */
export interface Scene {
	docName: string;
	/** A member's stock client that must never see a refused write. */
	watcher: SyncClient;
	/** An honest write by a third party, awaited at the watcher; returns its marker id. */
	mark(): Promise<string>;
	/** Whether `doc` holds marker `id`. */
	hasMark(doc: Y.Doc, id: string): boolean;
}

/** Awareness states a client saw, in order (null: removed). */
export type AwarenessLog = { clientId: number; state: Record<string, any> | null }[];

export class RuleStage {
	server!: TestServer;
	alice!: TestUser;
	bob!: TestUser;
	carol!: TestUser;
	group!: Scene;
	channel!: Scene;
	direct!: Scene;
	inbox!: Scene;
	/** Long-lived honest clients (checked for denials at the end). */
	readonly honest: SyncClient[] = [];
	/** Everything the group's watcher ever saw in awareness. */
	readonly groupAwareness: AwarenessLog = [];
	#clients: { destroy(): void }[] = [];
	#marks = 0;

	/** A stock client, torn down with the stage. */
	connect(user: TestUser, docName: string, doc?: Y.Doc): SyncClient {
		const client = connectClient({ url: this.server.url, docName, cookie: user.cookie, doc });
		this.#clients.push(client);
		return client;
	}

	/** A raw socket, torn down with the stage. */
	async raw(user: TestUser, docName: string): Promise<RawClient> {
		const client = await connectRaw({ url: this.server.url, docName, cookie: user.cookie });
		this.#clients.push(client);
		return client;
	}

	/** The stored copy of a document, loaded as the relay would load it. */
	async stored(docName: string): Promise<Y.Doc> {
		const stored = await this.server.parley.relay['options'].storage.load(docName);
		const doc = new Y.Doc();
		for (const update of stored.updates) Y.applyUpdate(doc, update);
		return doc;
	}

	/** The relay's in-memory copy of a loaded document. */
	live(docName: string): Y.Doc {
		const room = this.server.parley.relay.rooms.peek(docName);
		if (!room) throw new Error(`${docName} is not loaded`);
		return room.doc;
	}

	/**
	 * After a violation: an honest marker reaches the watcher, and then neither the watcher, the
	 * relay's copy nor the stored copy shows `forged`.
	 */
	async expectUnseen(scene: Scene, forged: (doc: Y.Doc) => boolean): Promise<void> {
		const id = await scene.mark();
		expect(forged(scene.watcher.doc), 'the watcher saw it').toBe(false);
		expect(forged(this.live(scene.docName)), "it is in the relay's copy").toBe(false);
		const stored = await this.stored(scene.docName);
		expect(scene.hasMark(stored, id), 'the stored copy is current').toBe(true);
		expect(forged(stored), 'it is in the stored copy').toBe(false);
	}

	async start(): Promise<void> {
		this.server = await startTestServer();
		const url = this.server.url;
		[this.alice, this.bob, this.carol] = [await signUp(url, 'alice'), await signUp(url, 'bob'), await signUp(url, 'carol')];
		const { alice, bob, carol } = this;
		const group = await createConversation(alice, { kind: 'group', title: 'Rules', memberIds: [carol.id] });
		const channel = await createConversation(alice, { kind: 'channel', title: 'News' });
		const add = [
			[group.id, bob.id, 'admin'],
			[channel.id, bob.id, 'admin'],
			[channel.id, carol.id, 'subscriber']
		] as const;
		for (const [id, userId, role] of add)
			expect((await alice.client.post(`/api/conversations/${id}/members`, { userId, role })).status).toBe(201);
		const direct = await createConversation(alice, { kind: 'direct', userId: bob.id });
		// Presence reaches carol's inbox only for her contacts and direct partners (A6 needs alice's).
		expect((await carol.client.post('/api/contacts', { userId: alice.id })).status).toBe(201);
		const inboxName = (await carol.client.get('/api/me')).data.inboxDocName as string;

		this.group = this.#conversation(group.docName, alice, bob);
		this.channel = this.#conversation(channel.docName, alice, bob);
		this.direct = this.#conversation(direct.docName, alice, alice);
		this.inbox = this.#inbox(inboxName);
		await Promise.all(this.honest.map((c) => c.synced()));
		await this.#seed();
	}

	async stop(): Promise<void> {
		for (const client of this.#clients) client.destroy();
		await this.server?.close();
	}

	#conversation(docName: string, watcherUser: TestUser, markerUser: TestUser): Scene {
		const watcher = this.connect(watcherUser, docName);
		const marker = this.connect(markerUser, docName);
		this.honest.push(watcher, marker);
		return {
			docName,
			watcher,
			mark: async () => {
				const id = `mark-${++this.#marks}`;
				marker.doc.getArray('messages').push([envelope(id, markerUser.id)]);
				await waitFor(() => hasMessage(watcher.doc, id), { what: `the watcher sees ${id}` });
				return id;
			},
			hasMark: (doc, id) => hasMessage(doc, id)
		};
	}

	/** The inbox: its owner's second device watches; the server itself writes the markers. */
	#inbox(docName: string): Scene {
		const watcher = this.connect(this.carol, docName);
		this.honest.push(watcher);
		return {
			docName,
			watcher,
			mark: async () => {
				const id = `mark-${++this.#marks}`;
				const room = await this.server.parley.relay.rooms.get(docName);
				await room.serverWrite((doc) => doc.getMap('conversations').set(id, { docName: id }));
				await waitFor(() => watcher.doc.getMap('conversations').has(id), { what: `the inbox watcher sees ${id}` });
				return id;
			},
			hasMark: (doc, id) => doc.getMap('conversations').has(id)
		};
	}

	/** Messages, keys and server-written values that the violations aim at. */
	async #seed(): Promise<void> {
		const { alice, bob, carol, group } = this;
		const a = group.watcher.doc;
		a.transact(() => {
			a.getArray('messages').push([envelope('a1', alice.id), envelope('a-del', alice.id)]);
			a.getMap('reactions').set(`a1:${alice.id}`, ['👍']);
			a.getMap('reads').set(alice.id, { messageId: 'a1', at: 1 });
			a.getMap('edits').set('a1', { text: 'a1, edited', editedAt: 2 });
			a.getMap('pins').set('a1', { by: alice.id, at: 3 });
		});
		// Alice deletes one of her own: every later client carries that deletion in its delete set (R21).
		const messages = a.getArray<Record<string, unknown>>('messages');
		messages.delete(
			messages.toArray().findIndex((m) => m.id === 'a-del'),
			1
		);
		const seedCarol = this.connect(carol, group.docName);
		await seedCarol.synced();
		seedCarol.doc.getArray('messages').push([envelope('c1', carol.id)]);
		await waitFor(() => hasMessage(a, 'c1'), { what: 'seed c1' });
		seedCarol.destroy();
		this.channel.watcher.doc.getArray('messages').push([envelope('ch1', alice.id)]);
		this.direct.watcher.doc.getArray('messages').push([envelope('d1', alice.id)]);
		this.direct.watcher.doc.getMap('reactions').set(`d1:${alice.id}`, ['🙂']);
		// Server-written values: a title in the group's meta, an entry in Carol's inbox.
		await (await this.server.parley.relay.rooms.get(group.docName)).serverWrite((d) => d.getMap('meta').set('title', 'Rules'));
		await (
			await this.server.parley.relay.rooms.get(this.inbox.docName)
		).serverWrite((d) => d.getMap('conversations').set('seed', { docName: group.docName, unread: 1 }));
		// Presence of the group's honest members; the watcher records every state it ever sees.
		const [watcher, marker] = [group.watcher, this.honest[1]!];
		watcher.provider.awareness.on('change', ({ added, updated, removed }: Record<string, number[]>) => {
			for (const id of [...added!, ...updated!])
				this.groupAwareness.push({ clientId: id, state: watcher.provider.awareness.getStates().get(id) ?? null });
			for (const id of removed!) this.groupAwareness.push({ clientId: id, state: null });
		});
		watcher.provider.awareness.setLocalState({ user: { id: alice.id, name: 'Alice' } });
		marker.provider.awareness.setLocalState({ user: { id: bob.id, name: 'Bob' } });
		const bobPresence = marker.provider.awareness.clientID;
		await waitFor(() => watcher.provider.awareness.getStates().get(bobPresence)?.user?.id === bob.id, { what: "bob's presence" });
		await waitFor(() => hasMessage(this.live(group.docName), 'c1') && this.live(this.direct.docName).getArray('messages').length === 1);
		await waitFor(() => this.honest.every((c) => c.doc.getArray('messages').length > 0 || c.doc.getMap('conversations').size > 0), {
			what: 'seeds everywhere'
		});
	}
}
