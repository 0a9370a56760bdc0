import { describe, expect, it } from 'vitest';
import { FairQueue } from '../../../server/relay/fair-queue.js';
import { GroupCommitter } from '../../../server/relay/group-commit.js';
import { MemoryStorage, type AppendItem } from '../../../server/relay/storage.js';

describe('fair queue (group commit across documents)', () => {
	it('[G4] serves keys round-robin: a flooded key delays another key by one batch at most', () => {
		const queue = new FairQueue<string>();
		for (let i = 0; i < 10_000; i++) queue.push('flood', `f${i}`, 10);
		queue.push('honest', 'h0', 10);
		const batch = queue.take(4);
		expect(batch).toContain('h0');
		expect(batch.filter((item) => item.startsWith('f'))).toHaveLength(3);
		expect(queue.count).toBe(10_000 - 3);
		expect(queue.countOf('honest')).toBe(0);
	});

	it('caps a batch by bytes too (relayGroupCommitMaxBatchBytes): ~1 MiB updates no longer make 15 MiB transactions', () => {
		const queue = new FairQueue<string>();
		const MiB = 1 << 20;
		for (let i = 0; i < 20; i++) queue.push('flood', `f${i}`, MiB - 100);
		queue.push('honest', 'h0', 200);
		const first = queue.take(512, 2 * MiB);
		// Two near-MiB frames fit in 2 MiB, the honest one is reached in the same round.
		expect(first).toEqual(['f0', 'h0', 'f1']);
		let batches = 1;
		while (queue.count > 0) {
			const batch = queue.take(512, 2 * MiB);
			expect(batch.length).toBeGreaterThan(0);
			expect(batch.length).toBeLessThanOrEqual(2);
			batches++;
		}
		expect(batches).toBe(10);
		// One item larger than the cap still goes (alone), or it could never commit.
		queue.push('big', 'b', 3 * MiB);
		queue.push('big', 'c', 10);
		expect(queue.take(512, 2 * MiB)).toEqual(['b']);
		expect(queue.take(512, 2 * MiB)).toEqual(['c']);
	});

	it('keeps each key in order and rotates which key goes first', () => {
		const queue = new FairQueue<string>();
		for (const key of ['a', 'b', 'c']) for (let i = 0; i < 3; i++) queue.push(key, `${key}${i}`, 1);
		expect(queue.take(2)).toEqual(['a0', 'b0']);
		// c was not reached: it leads the next batch.
		expect(queue.take(4)).toEqual(['c0', 'a1', 'b1', 'c1']);
		expect(queue.take(10)).toEqual(['a2', 'b2', 'c2']);
		expect(queue.count).toBe(0);
	});

	it('counts items and bytes in total and per key', () => {
		const queue = new FairQueue<number>();
		queue.push('a', 1, 100);
		queue.push('a', 2, 50);
		queue.push('b', 3, 7);
		expect([queue.count, queue.bytes, queue.countOf('a'), queue.bytesOf('a'), queue.bytesOf('b')]).toEqual([3, 157, 2, 150, 7]);
		queue.take(2);
		expect([queue.count, queue.bytes, queue.bytesOf('a'), queue.bytesOf('b')]).toEqual([1, 50, 50, 0]);
	});

	it('stays linear on a long single-key queue (prefix reclaimed)', () => {
		const queue = new FairQueue<number>();
		for (let i = 0; i < 50_000; i++) queue.push('a', i, 1);
		const seen: number[] = [];
		while (queue.count > 0) seen.push(...queue.take(512));
		expect(seen).toHaveLength(50_000);
		expect(seen.every((value, i) => value === i)).toBe(true);
	});
});

/** Memory storage whose appends wait until released, recording each batch's documents. */
class GatedStorage extends MemoryStorage {
	readonly batches: string[][] = [];
	readonly gates: Array<() => void> = [];
	override async append(items: readonly AppendItem[]): Promise<void> {
		this.batches.push(items.map((i) => i.docName));
		await new Promise<void>((resolve) => this.gates.push(resolve));
		return super.append(items);
	}
}
const item = (docName: string, bytes = 2) => ({ docName, update: new Uint8Array(bytes), bindings: [] });
const until = async (fn: () => boolean) => {
	while (!fn()) await new Promise((r) => setImmediate(r));
};

describe('bounded group commit', () => {
	it('[G4] accepts a document up to its own bound while others still pass, and calls back once room is made', async () => {
		const storage = new GatedStorage();
		const committer = new GroupCommitter(storage, {
			relayGroupCommitMaxBatch: 4,
			relayCommitsInFlight: 1,
			relayCommitQueueMaxItems: 100,
			relayCommitQueueMaxPerDoc: 6
		});
		// The first item goes into a transaction at once (held by the gate); six more wait.
		void committer.commit(item('flood'));
		await until(() => storage.batches.length === 1);
		for (let i = 0; i < 6; i++) void committer.commit(item('flood'));
		expect(committer.accepts('flood')).toBe(false);
		expect(committer.accepts('other')).toBe(true);
		void committer.commit(item('other'));
		let woken = 0;
		committer.whenAccepts('flood', () => woken++);
		// a waiter cancelled before room is made (its connection closed) is never called
		let cancelledWoken = 0;
		const cancel = committer.whenAccepts('flood', () => cancelledWoken++);
		cancel();
		expect(woken).toBe(0);
		storage.gates.shift()!();
		// The next batch takes 'other' in the first round, then flood items: room for flood again.
		await until(() => storage.batches.length === 2);
		expect(storage.batches[1]).toEqual(['flood', 'other', 'flood', 'flood']);
		expect(woken).toBe(1);
		expect(cancelledWoken).toBe(0);
		expect(committer.accepts('flood')).toBe(true);
		expect(committer.queueStats.maxDocItems).toBe(6);
		while (storage.gates.length || committer.queued.items) {
			storage.gates.shift()?.();
			await new Promise((r) => setImmediate(r));
		}
		await committer.flush();
	});

	it('bounds bytes in total and per document', () => {
		const committer = new GroupCommitter(new GatedStorage(), {
			relayGroupCommitMaxBatch: 4,
			relayCommitsInFlight: 1,
			relayCommitQueueMaxBytes: 1000,
			relayCommitQueueMaxBytesPerDoc: 600
		});
		void committer.commit(item('a', 600));
		expect(committer.accepts('a')).toBe(false);
		expect(committer.accepts('b')).toBe(true);
		void committer.commit(item('b', 400));
		expect(committer.accepts('b')).toBe(false);
		expect(committer.accepts('c')).toBe(false);
		expect(committer.queueStats.maxBytes).toBe(1000);
	});
});
