/**
 * Seeded model-based test: random sequences of legal and illegal writes by users with roles.
 * The expected verdict of each write is computed from its description and a small model (never
 * by calling checkUpdate); after applying only accepted updates, the rule-derived invariants must
 * hold on the server's document.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocKind, Role, RuleId } from '../../../src/lib/sync/check-update.js';
import { deleteMessage } from '../../../src/lib/sync/doc-ops.js';
import { SYNC_LIMITS, parseReactionKey, parseReadKey, reactionKey, readKey, type Envelope } from '../../../src/lib/sync/schema.js';
import { TestClient, TestRelay, env } from './support.js';

const OPS = ['post', 'postBad', 'edit', 'delete', 'react', 'read', 'pin', 'unpin', 'hijack', 'nested', 'resend'] as const;
type OpType = (typeof OPS)[number];
interface Op {
	type: OpType;
	user: number;
	device: number;
	target: number;
	forUser: number;
	variant: number;
	full: boolean;
	/** act on a device that has not pulled the latest state (concurrent writes) */
	stale: boolean;
}
type Expected = { ok: true } | { ok: false; rule: RuleId };

const opArb: fc.Arbitrary<Op> = fc.record({
	type: fc.constantFrom(...OPS),
	user: fc.nat(3),
	device: fc.nat(1),
	target: fc.nat(50),
	forUser: fc.nat(3),
	variant: fc.nat(5),
	full: fc.boolean(),
	stale: fc.boolean()
});
/** ops whose expected verdict does not depend on what the acting device has seen */
const STALE_OK: ReadonlySet<OpType> = new Set(['post', 'edit', 'delete', 'react', 'read', 'pin', 'nested', 'resend']);

const ROLES: Record<Exclude<DocKind, 'inbox' | 'drafts'>, Record<string, Role>> = {
	group: { alice: 'owner', bob: 'admin', carol: 'member', dave: 'subscriber' },
	channel: { alice: 'owner', bob: 'admin', carol: 'member', dave: 'subscriber' },
	direct: { alice: 'member', bob: 'member' }
};

const isModerator = (role: Role) => role === 'owner' || role === 'admin';
const refused = (rule: RuleId): Expected => ({ ok: false, rule });
const OK: Expected = { ok: true };

interface Message {
	id: string;
	author: string;
	deleted: boolean;
}

/** One run: a relay, devices per user, and the model the expectations are computed from. */
class World {
	readonly relay: TestRelay;
	readonly users: string[];
	readonly devices = new Map<string, (TestClient | undefined)[]>();
	readonly messages: Message[] = [];
	readonly pins = new Set<string>();
	nextId = 0;

	constructor(readonly kind: Exclude<DocKind, 'inbox' | 'drafts'>) {
		this.relay = new TestRelay(kind, ROLES[kind]);
		this.users = Object.keys(ROLES[kind]);
	}

	role(user: string): Role {
		return ROLES[this.kind][user] ?? 'subscriber';
	}

	mayPost(user: string): boolean {
		const role = this.role(user);
		return role !== 'subscriber' && (this.kind !== 'channel' || isModerator(role));
	}

	mayPin(user: string): boolean {
		return this.role(user) !== 'subscriber' && (isModerator(this.role(user)) || this.kind === 'direct');
	}

	device(user: string, slot: number, pull: boolean): TestClient {
		const slots = this.devices.get(user) ?? [];
		this.devices.set(user, slots);
		let d = slots[slot];
		if (d === undefined) slots[slot] = d = this.relay.client(user);
		else if (pull) d.pull();
		return d;
	}

	dropDevice(user: string, slot: number): void {
		const slots = this.devices.get(user);
		if (slots) slots[slot] = undefined;
	}

	pick<T>(list: T[], n: number): T | undefined {
		return list.length === 0 ? undefined : list[n % list.length];
	}
}

/** Performs `op` on a device and returns the expected verdict, or null when the op does not apply. */
function perform(w: World, op: Op, d: TestClient, user: string): { expected: Expected; commit(): void } | null {
	const other = w.users[(w.users.indexOf(user) + 1 + (op.forUser % (w.users.length - 1))) % w.users.length] ?? user;
	const forUser = w.users[op.forUser % w.users.length] ?? user;
	const role = w.role(user);
	const anyMessage = w.pick(w.messages, op.target);
	const noop = () => {};
	switch (op.type) {
		case 'post': {
			const ids = Array.from({ length: 1 + (op.variant % 2) }, () => `m${w.nextId++}`);
			d.t.messages.push(ids.map((id) => env(id, user)));
			return {
				expected: w.mayPost(user) ? OK : refused('R14'),
				commit: () => w.messages.push(...ids.map((id) => ({ id, author: user, deleted: false })))
			};
		}
		case 'postBad': {
			const id = `m${w.nextId++}`;
			const variants: [Envelope[], RuleId][] = [
				[[env(id, other)], 'R11'],
				[[env(id, user, { kind: 'system' })], 'R12'],
				[[env(id, user, { text: 'x'.repeat(SYNC_LIMITS.maxTextBytes + 1) })], 'R10'],
				[[{ ...env(id, user), extra: true } as Envelope], 'R10'],
				[[env(anyMessage?.id ?? id, user), ...(anyMessage ? [] : [env(id, user)])], 'R13'],
				[[env(id, user), env(`${id}x`, user, { createdAt: -1 })], 'R10']
			];
			const [values, rule] = variants[op.variant % variants.length] ?? variants[0]!;
			d.t.messages.push(values);
			return { expected: refused(w.mayPost(user) ? rule : 'R14'), commit: noop };
		}
		case 'edit': {
			if (anyMessage === undefined) return null;
			d.t.edits.set(anyMessage.id, { text: 'edited', editedAt: op.variant === 0 ? -1 : 5 });
			if (role === 'subscriber') return { expected: refused('R15'), commit: noop };
			return { expected: anyMessage.author !== user || op.variant === 0 ? refused('R16') : OK, commit: noop };
		}
		case 'delete': {
			// from what this device sees: it may be behind, and the message already deleted (R21)
			const seen = d.t.messages.toArray();
			const target = w.pick(seen, op.target);
			const m = w.messages.find((x) => x.id === target?.id);
			if (target === undefined || m === undefined) return null;
			deleteMessage(d.doc, user, m.id);
			if (m.deleted) return { expected: OK, commit: noop };
			return { expected: m.author === user || isModerator(role) ? OK : refused('R23'), commit: () => (m.deleted = true) };
		}
		case 'react': {
			if (anyMessage === undefined) return null;
			d.t.reactions.set(reactionKey(anyMessage.id, forUser), op.variant === 0 ? ['👍', '👍'] : ['👍', '🎉'].slice(0, 1 + (op.variant % 2)));
			if (role === 'subscriber') return { expected: refused('R15'), commit: noop };
			return { expected: forUser !== user || op.variant === 0 ? refused('R17') : OK, commit: noop };
		}
		case 'read': {
			const unknown = op.variant === 0 || anyMessage === undefined;
			d.t.reads.set(readKey(forUser, op.variant % 2 === 1 ? 'phone' : undefined), {
				messageId: unknown ? 'never-sent' : anyMessage.id,
				at: 7
			});
			return { expected: forUser !== user || unknown ? refused('R18') : OK, commit: noop };
		}
		case 'pin': {
			if (anyMessage === undefined) return null;
			const by = op.variant === 0 ? other : user;
			d.t.pins.set(anyMessage.id, { by, at: 3 });
			if (role === 'subscriber') return { expected: refused('R15'), commit: noop };
			return { expected: !w.mayPin(user) || by !== user ? refused('R19') : OK, commit: () => w.pins.add(anyMessage.id) };
		}
		case 'unpin': {
			const id = w.pick([...w.pins], op.target);
			if (id === undefined) return null;
			d.t.pins.delete(id);
			return { expected: w.mayPin(user) ? OK : refused('R23'), commit: () => w.pins.delete(id) };
		}
		case 'hijack': {
			const victimIds = [...w.relay.bindings].filter(([, u]) => u !== user).map(([id]) => id);
			const victimId = w.pick(victimIds, op.target);
			if (victimId === undefined) return null;
			d.doc.clientID = victimId; // this device is dropped afterwards whatever the verdict
			d.t.messages.push([env(`m${w.nextId++}`, user)]);
			return { expected: refused('R5'), commit: noop };
		}
		case 'nested':
			d.t.messages.push([new Y.Map() as never]);
			return { expected: refused('R6'), commit: noop };
		case 'resend':
			return { expected: OK, commit: noop };
	}
}

/** Checks the invariants the rules guarantee on the server's document. */
function checkInvariants(w: World): void {
	const { doc, bindings } = w.relay;
	expect(doc.store.pendingStructs).toBeNull();
	expect(doc.store.pendingDs).toBeNull();
	const owner = (item: Y.Item) => bindings.get(item.id.client);
	const seen = new Set<string>();
	for (let item = doc.getArray('messages')._start; item !== null; item = item.right) {
		if (!(item.content instanceof Y.ContentAny)) continue;
		for (const e of item.content.arr as Envelope[]) {
			expect(e.author, 'every envelope is written by its author').toBe(owner(item));
			expect(w.mayPost(e.author), 'only posters post').toBe(true);
			expect(seen.has(e.id), 'ids are unique').toBe(false);
			seen.add(e.id);
		}
	}
	// concurrent appends interleave by client id: compare as sets
	const liveIds = doc
		.getArray<Envelope>('messages')
		.toArray()
		.map((e) => e.id);
	expect(liveIds.sort()).toEqual(
		w.messages
			.filter((m) => !m.deleted)
			.map((m) => m.id)
			.sort()
	);
	const authorOf = new Map(w.messages.map((m) => [m.id, m.author]));
	const live = (name: string) => [...doc.getMap(name)._map].filter(([, item]) => !item.deleted);
	for (const [key, item] of live('edits')) expect(owner(item)).toBe(authorOf.get(key));
	for (const [key, item] of live('reactions')) {
		expect(parseReactionKey(key)?.userId).toBe(owner(item));
		expect(w.role(owner(item) ?? '')).not.toBe('subscriber');
	}
	for (const [key, item] of live('reads')) expect(parseReadKey(key)?.userId).toBe(owner(item));
	for (const [key, item] of live('pins')) {
		expect(doc.getMap<{ by: string }>('pins').get(key)?.by).toBe(owner(item));
		expect(w.mayPin(owner(item) ?? '')).toBe(true);
		expect(authorOf.has(key)).toBe(true);
	}
	expect(w.relay.index.size).toBe(w.messages.length);
}

describe('checkUpdate: seeded model-based sequences', () => {
	it('[R5][R6][R10]-[R19][R23] agrees with the expected verdict of every random write, and the invariants hold', () => {
		const kindArb = fc.constantFrom<Exclude<DocKind, 'inbox' | 'drafts'>>('group', 'channel', 'direct');
		let checked = 0;
		const stats = new Map<string, number>();
		fc.assert(
			fc.property(kindArb, fc.array(opArb, { minLength: 4, maxLength: 30, size: 'max' }), (kind, ops) => {
				const w = new World(kind);
				for (const op of ops) {
					const user = w.users[op.user % w.users.length] ?? 'alice';
					const slot = op.device;
					const d = w.device(user, slot, !(op.stale && STALE_OK.has(op.type)));
					const plan = perform(w, op, d, user);
					if (plan === null) continue;
					const update = op.full ? d.full() : d.diff();
					const result = w.relay.submit(user, update);
					const verdict = result.ok ? OK : { ok: false, rule: result.rule };
					expect(verdict, `${op.type} by ${user} (${w.role(user)}) in ${kind}: ${result.ok ? '' : result.reason}`).toEqual(plan.expected);
					checked++;
					const k = `${op.type}:${result.ok ? 'ok' : result.rule}`;
					stats.set(k, (stats.get(k) ?? 0) + 1);
					if (result.ok) plan.commit();
					// a refused client id can never sync again (its clocks have a gap): the device resets
					if (!result.ok || op.type === 'hijack') w.dropDevice(user, slot);
				}
				checkInvariants(w);
			}),
			{ seed: 42, numRuns: 300 }
		);
		expect(checked).toBeGreaterThan(1000);
		if (process.env.SYNC_PROPERTY_STATS) console.log([...stats].sort().join('\n'));
	});
});
