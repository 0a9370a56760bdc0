/**
 * Seeded adversarial updates for checkUpdate, and the invariants each must meet: the checker's
 * steps stay linear in the update's size and the document's (L1–L7), and an accepted update
 * applies cleanly, visits each server struct at most once while deleting, and removes nobody
 * else's message. Used by `npm run fuzz` (10^5 frames) and by the unit suite (fixed seeds and
 * the seeds `npm run fuzz` once saw fail, kept in fuzz-regressions.json).
 */
import * as Y from 'yjs';
import { checkUpdate, type CheckResult, type WorkMeter } from '../../../src/lib/sync/check-update.js';
import { deleteBomb, structCount, writeOwnMessages, yjsDeleteVisits } from './bombs.js';
import { craftUpdate, type CraftRun, type CraftStruct, type WireId } from './craft.js';
import { env, SERVER_CLIENT, TestRelay } from './support.js';

/** The fixed document every case is checked against (never modified by a case). */
export interface FuzzWorld {
	relay: TestRelay;
	snapshot: Uint8Array;
	structs: number;
	/** live message ids of alice (carol's updates must never remove one) */
	aliceLive: number;
	clients: { carol: number; alice: number };
}

/** One generated update and who sends it. */
export interface FuzzCase {
	seed: number;
	kind: string;
	user: 'carol' | 'alice';
	update: Uint8Array;
}

/** mulberry32: a tiny deterministic PRNG; the same seed gives the same case. */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const CAROL = 7_000;
const ALICE = 7_100;
const CAROL_MESSAGES = 300;

/** A group: carol wrote 300 messages one struct each (the first 100 deleted), alice 100 in one struct, plus keys and a system notice. */
export function fuzzWorld(): FuzzWorld {
	const relay = new TestRelay('group', { alice: 'owner', carol: 'member' });
	const carol = new Y.Doc();
	carol.clientID = CAROL;
	writeOwnMessages(carol, 'carol', CAROL_MESSAGES);
	submit(relay, 'carol', Y.encodeStateAsUpdate(carol));
	carol.getArray('messages').delete(CAROL_MESSAGES - 100, 100); // the oldest 100 (at the end of the list)
	submit(relay, 'carol', Y.encodeStateAsUpdate(carol, Y.encodeStateVector(relay.doc)));
	const alice = new Y.Doc();
	alice.clientID = ALICE;
	Y.applyUpdate(alice, Y.encodeStateAsUpdate(relay.doc));
	alice.getArray('messages').push(Array.from({ length: 100 }, (_, i) => env(`a${i}`, 'alice')));
	alice.getMap('reactions').set('own150:alice', ['👍']);
	alice.getMap('pins').set('own150', { by: 'alice', at: 1 });
	submit(relay, 'alice', Y.encodeStateAsUpdate(alice, Y.encodeStateVector(relay.doc)));
	relay.serverWrite((doc) => doc.getArray('messages').push([{ ...env('s1', 'carol'), kind: 'system' }]));
	return {
		relay,
		snapshot: Y.encodeStateAsUpdate(relay.doc),
		structs: structCount(relay.doc),
		aliceLive: liveOf(relay.doc, 'alice'),
		clients: { carol: CAROL, alice: ALICE }
	};
}

function submit(relay: TestRelay, user: string, update: Uint8Array): void {
	const r = relay.submit(user, update);
	if (!r.ok) throw new Error(`fuzz world refused: ${r.rule} ${r.reason}`);
}

/** Live envelopes of `author` in `doc`. */
function liveOf(doc: Y.Doc, author: string): number {
	return doc
		.getArray<{ author?: string }>('messages')
		.toArray()
		.filter((m) => m?.author === author).length;
}

/** The update-generating half: seeded choices over adversarial shapes. */
class Gen {
	readonly rand: () => number;
	constructor(
		seed: number,
		readonly world: FuzzWorld
	) {
		this.rand = mulberry32(seed);
	}
	int(below: number): number {
		return Math.floor(this.rand() * below);
	}
	/** mostly small, sometimes up to `max`: adversarial sizes without making every case slow */
	size(max: number): number {
		const r = this.rand();
		if (r < 0.7) return 1 + this.int(8);
		if (r < 0.95) return 1 + this.int(Math.min(max, 500));
		return 1 + this.int(max);
	}
	pick<T>(xs: readonly T[]): T {
		return xs[this.int(xs.length)] as T;
	}
	client(): number {
		const { carol, alice } = this.world.clients;
		return this.pick([carol, carol, alice, SERVER_CLIENT, 424_242, 1 + this.int(2 ** 32)]);
	}
	state(client: number): number {
		return Y.getState(this.world.relay.doc.store, client);
	}

	/** A delete set: repeated, overlapping, unsorted, empty, huge, over many clients. */
	deleteSet(): [number, [number, number][]][] {
		const out: [number, [number, number][]][] = [];
		const clients = this.rand() < 0.1 ? this.size(400) : 1 + this.int(3);
		for (let c = 0; c < clients; c++) {
			const client = this.client();
			const state = Math.max(1, this.state(client));
			const ranges: [number, number][] = [];
			switch (this.int(6)) {
				case 0: {
					// the bomb: one range over many items, repeated
					const from = this.int(state);
					const repeats = this.rand() < 0.01 ? 20_000 + this.int(200_000) : this.size(5_000);
					for (let i = 0; i < repeats; i++) ranges.push([from, Math.max(1, state - from)]);
					break;
				}
				case 1: {
					// overlapping windows sliding over the client's clocks
					const n = this.size(5_000);
					for (let i = 0; i < n; i++) ranges.push([i % state, 1 + this.int(state)]);
					break;
				}
				case 2: {
					// disjoint ranges, maybe shuffled, maybe adjacent
					const n = this.size(3_000);
					const step = 1 + this.int(3);
					for (let i = 0; i < n; i++) ranges.push([i * step, 1 + this.int(step)]);
					if (this.rand() < 0.5) ranges.reverse();
					break;
				}
				case 3:
					ranges.push([this.int(state + 5), this.pick([0, 1, 2 ** 40, 2 ** 53 - 1, this.int(state + 5)])]);
					break;
				default: {
					const n = this.size(50);
					for (let i = 0; i < n; i++) ranges.push([this.int(state + 3), this.int(state + 3)]);
				}
			}
			out.push([client, ranges]);
		}
		return out;
	}

	/** An id the server has, or a made-up one. */
	serverId(): WireId {
		const client = this.client();
		return { client, clock: this.int(Math.max(1, this.state(client)) + 2) };
	}

	/** Runs of new structs: deep origin chains, fans on one origin, cross-client references, many clients. */
	runs(user: string): CraftRun[] {
		const runs: CraftRun[] = [];
		const clients = this.rand() < 0.1 ? this.size(80) : 1 + this.int(3);
		const total = this.rand() < 0.02 ? 2_000 + this.int(10_000) : this.size(300);
		const perClient = Math.max(1, Math.floor(total / clients));
		const fan = this.serverId();
		for (let c = 0; c < clients; c++) {
			const client = c === 0 && this.rand() < 0.5 ? this.world.clients.carol : 10_000 + this.int(1_000_000);
			const clock = this.state(client);
			const structs: CraftStruct[] = [];
			const mode = this.int(5);
			for (let i = 0; i < perClient; i++) {
				const content = this.content(user);
				const key =
					this.rand() < 0.3 ? this.pick([`own${this.int(300)}:${user}`, user, `a${this.int(100)}`, `own${this.int(300)}`]) : undefined;
				const root = key === undefined ? 'messages' : this.pick(['reactions', 'reads', 'edits', 'pins']);
				if (mode === 0 || i === 0) structs.push({ parent: root, parentSub: key, content });
				else if (mode === 1)
					structs.push({ origin: { client, clock: clock + i - 1 }, content }); // deep chain
				else if (mode === 2)
					structs.push({ origin: fan, content }); // a fan on one server item
				else if (mode === 3) structs.push({ origin: { client: 10_000 + this.int(1_000_000), clock: this.int(50) }, content });
				else structs.push({ origin: this.serverId(), rightOrigin: this.rand() < 0.5 ? this.serverId() : undefined, content });
			}
			runs.push({ client, clock, structs });
		}
		return runs;
	}

	content(user: string): Extract<CraftStruct, { content: unknown }>['content'] {
		const r = this.int(4);
		if (r === 0) return { deleted: this.pick([1, 1 + this.int(100), 2 ** 31]) };
		const n = this.rand() < 0.9 ? 1 : this.size(200);
		return Array.from({ length: n }, () => env(`z${this.int(1e9)}`, this.rand() < 0.9 ? user : 'alice'));
	}

	/** A valid-looking update, then maybe mutated at the byte level. */
	update(user: string): { kind: string; update: Uint8Array } {
		const shape = this.int(4);
		let kind: string;
		let update: Uint8Array;
		if (shape === 0) {
			kind = 'delete set';
			update = craftUpdate([], this.deleteSet());
		} else if (shape === 1) {
			kind = 'structs';
			update = craftUpdate(this.runs(user));
		} else if (shape === 2) {
			kind = 'structs + delete set';
			update = craftUpdate(this.runs(user), this.deleteSet());
		} else {
			kind = 'bomb';
			const client = this.world.clients.carol;
			update = deleteBomb(client, this.state(client), this.size(3_000));
		}
		const m = this.int(6);
		if (m === 0 && update.length > 1) {
			const bytes = update.slice();
			const flips = 1 + this.int(6);
			for (let i = 0; i < flips; i++) bytes[this.int(bytes.length)]! ^= 1 << this.int(8);
			return { kind: `${kind}, ${flips} bits flipped`, update: bytes };
		}
		if (m === 1) {
			const cut = this.int(update.length);
			return { kind: `${kind}, truncated at ${cut}`, update: update.subarray(0, cut) };
		}
		if (m === 2) {
			// a varint made huge: counts and lengths near 2^53
			const bytes = update.slice();
			const at = this.int(bytes.length);
			const huge = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f];
			return {
				kind: `${kind}, huge varint at ${at}`,
				update: new Uint8Array([...bytes.subarray(0, at), ...huge, ...bytes.subarray(at + 1)])
			};
		}
		return { kind, update };
	}
}

/** The case of `seed`, sent by carol (member) or, one time in four, alice (owner). */
export function fuzzCase(seed: number, world: FuzzWorld): FuzzCase {
	const gen = new Gen(seed, world);
	const user = gen.int(4) === 0 ? 'alice' : 'carol';
	const { kind, update } = gen.update(user);
	return { seed, kind, user, update };
}

/** The linear work bound of the checker: steps per input byte and per server struct. */
export function workBound(bytes: number, structs: number): number {
	return 32 * bytes + 4 * structs + 256;
}

/** Checks one case; returns what went wrong, or null. Accepted cases are applied to a copy. */
export function runFuzzCase(world: FuzzWorld, c: FuzzCase): { failure: string | null; verdict: CheckResult | null; steps: number } {
	const meter: WorkMeter = { steps: 0 };
	let verdict: CheckResult;
	try {
		verdict = checkUpdate(world.relay.doc, c.update, world.relay.ctx(c.user), world.relay.index, meter);
	} catch (e) {
		return { failure: `checkUpdate threw: ${String(e)}`, verdict: null, steps: meter.steps };
	}
	const bound = workBound(c.update.length, world.structs);
	if (meter.steps > bound)
		return { failure: `${meter.steps} steps for ${c.update.length} bytes (bound ${bound})`, verdict, steps: meter.steps };
	if (!verdict.ok) return { failure: null, verdict, steps: meter.steps };
	const ranges = [...Y.decodeUpdate(c.update).ds.clients.values()].reduce((n, r) => n + r.length, 0);
	const visits = yjsDeleteVisits(world.relay.doc, c.update);
	// disjoint ranges (L2): applying visits each struct at most once, plus two per range
	if (visits > world.structs + 2 * ranges + 2)
		return { failure: `applying would visit ${visits} structs for ${ranges} ranges`, verdict, steps: meter.steps };
	const copy = new Y.Doc();
	Y.applyUpdate(copy, world.snapshot);
	try {
		Y.applyUpdate(copy, c.update);
	} catch (e) {
		return { failure: `accepted update throws when applied: ${String(e)}`, verdict, steps: meter.steps };
	}
	if (copy.store.pendingStructs !== null || copy.store.pendingDs !== null)
		return { failure: 'accepted update left something pending', verdict, steps: meter.steps };
	if (c.user === 'carol' && liveOf(copy, 'alice') !== world.aliceLive)
		return { failure: "carol's update removed alice's messages", verdict, steps: meter.steps };
	copy.destroy();
	return { failure: null, verdict, steps: meter.steps };
}
