// Seeded frame generator for the relay fuzz test: valid y-websocket frames of a member, and
// mutations of them (truncated, bit-flipped, spliced, broken varints, unknown types, oversized).
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { MessageType } from '../../../src/lib/sync/protocol.js';
import { awarenessFrame, step1Frame, updateFrame } from '../../helpers/raw-sync.js';

/** mulberry32: a tiny deterministic PRNG; the same seed gives the same frames. */
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

/** What a mutated frame must make the relay do. */
export type Expect =
	/** close with 1007 (malformed) */
	| 'malformed'
	/** close with 1009 (over the frame limit) */
	| 'too-big'
	/** anything but a crash: accepted, refused with permission-denied, or closed 1007 */
	| 'any';

/** One generated frame and what the relay must do with it. */
export interface FuzzFrame {
	kind: string;
	bytes: Uint8Array;
	expect: Expect;
}

/** Frames for one seed, as the member `userId` would send them (plus the bad ones). */
export class FrameFuzzer {
	readonly #rand: () => number;
	#n = 0;

	constructor(
		readonly seed: number,
		private readonly userId: string,
		private readonly maxFrameBytes: number
	) {
		this.#rand = mulberry32(seed);
	}

	#int(below: number): number {
		return Math.floor(this.#rand() * below);
	}

	#bytes(length: number): Uint8Array {
		const out = new Uint8Array(length);
		for (let i = 0; i < length; i++) out[i] = this.#int(256);
		return out;
	}

	/** A frame a stock client could send: its update, step 1, awareness or an awareness query. */
	valid(): Uint8Array {
		const pick = this.#int(4);
		if (pick === 0) return step1Frame();
		if (pick === 1) {
			const a = encoding.createEncoder();
			encoding.writeVarUint(a, 1);
			encoding.writeVarUint(a, 5_000_000 + this.#int(1000));
			encoding.writeVarUint(a, this.#int(10));
			encoding.writeVarString(a, JSON.stringify({ user: { name: `fuzz ${this.#n}` } }));
			return awarenessFrame(encoding.toUint8Array(a));
		}
		if (pick === 2) return new Uint8Array([MessageType.QueryAwareness]);
		const doc = new Y.Doc();
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		const count = 1 + this.#int(3);
		doc.transact(() => {
			for (let i = 0; i < count; i++) {
				const id = `f${this.seed}-${this.#n++}`;
				doc.getArray('messages').push([{ id, author: this.userId, createdAt: 1_700_000_000_000, text: `fuzz ${id}` }]);
			}
			if (this.#int(2) === 0) doc.getMap('reactions').set(`f${this.seed}-${this.#n - 1}:${this.userId}`, ['👍']);
		});
		doc.destroy();
		return updateFrame(updates[0]!);
	}

	/** The next frame: mostly mutations of valid ones, sometimes plain garbage or limits. */
	next(): FuzzFrame {
		const base = this.valid();
		switch (this.#int(8)) {
			case 0: {
				// truncated: every frame ends in a length-prefixed payload (or is only its type), so any cut breaks it
				const cut = this.#int(Math.max(1, base.length - 1));
				return { kind: `truncated at ${cut}/${base.length}`, bytes: base.subarray(0, cut), expect: 'malformed' };
			}
			case 1: {
				const bytes = base.slice();
				const flips = 1 + this.#int(4);
				for (let i = 0; i < flips; i++) bytes[this.#int(bytes.length)]! ^= 1 << this.#int(8);
				return { kind: `${flips} bits flipped`, bytes, expect: 'any' };
			}
			case 2: {
				const other = this.valid();
				const a = this.#int(base.length + 1);
				const b = this.#int(other.length + 1);
				const bytes = new Uint8Array([...base.subarray(0, a), ...other.subarray(b)]);
				return { kind: `spliced ${a}+${other.length - b}`, bytes, expect: 'any' };
			}
			case 3: {
				// a varint whose continuation bit never ends, or one beyond 2^53
				const endless = this.#int(2) === 0;
				const prefix = endless ? new Array(1 + this.#int(12)).fill(0x80) : [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
				return { kind: endless ? 'endless varint' : 'varint over 2^53', bytes: new Uint8Array(prefix), expect: 'malformed' };
			}
			case 4: {
				// the length of the payload says more than follows
				const e = encoding.createEncoder();
				const sync = this.#int(2) === 0;
				encoding.writeVarUint(e, sync ? MessageType.Sync : MessageType.Awareness);
				if (sync) encoding.writeVarUint(e, 2); // an update
				const payload = this.#bytes(this.#int(20));
				encoding.writeVarUint(e, payload.length + 1 + this.#int(1000));
				encoding.writeUint8Array(e, payload);
				return { kind: 'payload length too long', bytes: encoding.toUint8Array(e), expect: 'malformed' };
			}
			case 5: {
				// message types y-websocket does not have (2, auth, is the server's to send)
				const type = [MessageType.Auth, 4, 5, 17, 127, 128, 99_999][this.#int(7)]!;
				const e = encoding.createEncoder();
				encoding.writeVarUint(e, type);
				encoding.writeUint8Array(e, base.subarray(1));
				return { kind: `unknown type ${type}`, bytes: encoding.toUint8Array(e), expect: 'malformed' };
			}
			case 6: {
				// a sync message of an unknown sub-type
				const bytes = new Uint8Array([MessageType.Sync, 3 + this.#int(100), 0]);
				return { kind: 'unknown sync type', bytes, expect: 'malformed' };
			}
			default:
				return { kind: 'random bytes', bytes: this.#bytes(1 + this.#int(48)), expect: 'any' };
		}
	}

	/** A frame over the relay's frame limit (valid-looking head, random tail). */
	oversized(): FuzzFrame {
		const bytes = this.#bytes(this.maxFrameBytes + 1 + this.#int(4096));
		bytes.set(this.valid().subarray(0, 2));
		return { kind: `oversized ${bytes.length} bytes`, bytes, expect: 'too-big' };
	}
}

/** Hex of a frame's head, for a failure message that lets one rebuild the case. */
export function hexHead(bytes: Uint8Array, max = 48): string {
	return Buffer.from(bytes.subarray(0, max)).toString('hex') + (bytes.length > max ? `… (${bytes.length} bytes)` : '');
}
