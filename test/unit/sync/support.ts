/**
 * A test relay (server doc + client-id bindings + DocIndex, no sockets) and test clients that
 * sync from it the way y-websocket does, for checking real updates against checkUpdate.
 */
import { expect } from 'vitest';
import * as Y from 'yjs';
import {
	checkUpdate,
	type CheckResult,
	type DocKind,
	type Role,
	type RuleId,
	type WriteContext
} from '../../../src/lib/sync/check-update.js';
import { DocIndex } from '../../../src/lib/sync/doc-index.js';
import { conversationTypes, type Envelope } from '../../../src/lib/sync/schema.js';

/** The server's own Yjs client id in tests. */
export const SERVER_CLIENT = 1;

let nextClientId = 1000;
/** A fresh, deterministic Yjs client id. */
export function freshClientId(): number {
	return nextClientId++;
}

/** An envelope by `author` with id `id`. */
export function env(id: string, author: string, extra: Partial<Envelope> = {}): Envelope {
	return { id, author, createdAt: 1_700_000_000_000, text: `hello from ${author}`, ...extra };
}

/** Server doc, bindings and index: what the relay keeps per loaded document. */
export class TestRelay {
	readonly doc = new Y.Doc();
	readonly bindings = new Map<number, string>();
	readonly index: DocIndex;
	/** users who turned read receipts off (R24) */
	readonly receiptsOff = new Set<string>();
	/** upload ids of this conversation (R27); null: the context carries no lookup */
	uploads: Set<string> | null = null;
	/** member ids of this conversation (R28); null: the context carries no lookup */
	members: Set<string> | null = null;

	constructor(
		readonly kind: DocKind,
		readonly roles: Record<string, Role>
	) {
		this.doc.clientID = SERVER_CLIENT;
		this.index = new DocIndex(this.doc);
	}

	/** The WriteContext of `userId`. */
	ctx(userId: string): WriteContext {
		const role = this.roles[userId];
		if (role === undefined) throw new Error(`no role for ${userId}`);
		return {
			userId,
			role,
			kind: this.kind,
			clientOwner: (id) => this.bindings.get(id),
			isServerClient: (id) => id === SERVER_CLIENT,
			readReceipts: !this.receiptsOff.has(userId),
			...(this.uploads ? { isUpload: (id: string) => this.uploads!.has(id) } : {}),
			...(this.members ? { isMember: (id: string) => this.members!.has(id) } : {})
		};
	}

	/** checkUpdate only. */
	check(userId: string, update: Uint8Array): CheckResult {
		return checkUpdate(this.doc, update, this.ctx(userId), this.index);
	}

	/** checkUpdate, then apply and bind when accepted (what the relay does). */
	submit(userId: string, update: Uint8Array): CheckResult {
		const result = this.check(userId, update);
		if (result.ok) {
			Y.applyUpdate(this.doc, update);
			for (const id of result.newBindings) this.bindings.set(id, userId);
		}
		return result;
	}

	/** A write by the server itself (system messages, meta). */
	serverWrite(fn: (doc: Y.Doc) => void): void {
		this.doc.transact(() => fn(this.doc));
	}

	/** A new client of `userId` synced from the server. */
	client(userId: string, clientId = freshClientId()): TestClient {
		return new TestClient(this, userId, clientId);
	}
}

/** One device: a Y.Doc with a fixed client id that syncs from a TestRelay. */
export class TestClient {
	readonly doc = new Y.Doc();

	constructor(
		readonly relay: TestRelay,
		readonly userId: string,
		clientId: number
	) {
		this.pull();
		// set after the first pull: Yjs changes a doc's client id when a remote update contains it
		this.doc.clientID = clientId;
	}

	/** The typed root types of this device's copy. */
	get t(): ReturnType<typeof conversationTypes> {
		return conversationTypes(this.doc);
	}

	/** Receives what the server has that this device lacks (sync step 2 from the server). */
	pull(): void {
		Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(this.relay.doc, Y.encodeStateVector(this.doc)));
	}

	/** What the server lacks, as an update answering the server's state vector. */
	diff(): Uint8Array {
		return Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(this.relay.doc));
	}

	/** This device's whole state, as sync step 2 sends it to a server with an empty state vector. */
	full(): Uint8Array {
		return Y.encodeStateAsUpdate(this.doc);
	}

	/** Both forms a stock client may send. */
	forms(): { name: string; update: Uint8Array }[] {
		return [
			{ name: 'diff', update: this.diff() },
			{ name: 'full state', update: this.full() }
		];
	}

	/** Submits the diff; throws if refused. */
	send(): CheckResult {
		const result = this.relay.submit(this.userId, this.diff());
		if (!result.ok) throw new Error(`refused ${result.rule}: ${result.reason}`);
		return result;
	}
}

/** A snapshot of everything that must not change when an update is refused. */
function fingerprint(doc: Y.Doc): string {
	const store = doc.store;
	return [
		Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64'),
		store.pendingStructs === null ? '' : 'pending',
		store.pendingDs === null ? '' : 'pendingDs'
	].join('|');
}

/** Asserts that checkUpdate accepts `update` from `userId` (in every given form) and returns the last verdict. */
export function expectAccepted(relay: TestRelay, userId: string, updates: Uint8Array[]): Extract<CheckResult, { ok: true }> {
	let last: CheckResult | undefined;
	for (const update of updates) {
		last = relay.check(userId, update);
		expect(last, last.ok ? '' : `${last.rule}: ${last.reason}`).toMatchObject({ ok: true });
	}
	if (last === undefined || !last.ok) throw new Error('no update');
	return last;
}

/** Asserts that checkUpdate refuses `update` from `userId` by `rule`, leaving the server doc unchanged. */
export function expectRefused(relay: TestRelay, userId: string, updates: Uint8Array[], rule: RuleId): void {
	for (const update of updates) {
		const before = fingerprint(relay.doc);
		const result = relay.check(userId, update);
		expect(result.ok ? 'accepted' : `${result.rule}: ${result.reason}`).toMatch(new RegExp(`^${rule}:`));
		expect(fingerprint(relay.doc)).toBe(before);
	}
}

/** The diff and full-state forms of a client's pending write. */
export function both(c: TestClient): Uint8Array[] {
	return c.forms().map((f) => f.update);
}

/** A group with an owner, an admin, a member and a subscriber, and one message by each poster. */
export function seededGroup(kind: DocKind = 'group'): {
	relay: TestRelay;
	alice: TestClient;
	bob: TestClient;
	carol: TestClient;
	dave: TestClient;
} {
	const relay = new TestRelay(kind, { alice: 'owner', bob: 'admin', carol: 'member', dave: 'subscriber' });
	const alice = relay.client('alice');
	alice.t.messages.push([env('a1', 'alice')]);
	alice.send();
	const bob = relay.client('bob');
	bob.t.messages.push([env('b1', 'bob')]);
	bob.send();
	const carol = relay.client('carol');
	if (kind !== 'channel') {
		carol.t.messages.push([env('c1', 'carol')]);
		carol.send();
	}
	const dave = relay.client('dave');
	for (const c of [alice, bob, carol, dave]) c.pull();
	return { relay, alice, bob, carol, dave };
}
