import { describe, expect, it } from 'vitest';
import { GroupCommitter } from '../../../server/relay/group-commit.js';
import { MemoryStorage, type AppendItem } from '../../../server/relay/storage.js';

/** Memory storage whose appends wait until released, recording each batch. */
class GatedStorage extends MemoryStorage {
	readonly batches: string[][] = [];
	readonly gates: Array<() => void> = [];
	fail = false;
	override async append(items: readonly AppendItem[]): Promise<void> {
		this.batches.push(items.map((i) => i.docName));
		await new Promise<void>((resolve) => this.gates.push(resolve));
		if (this.fail) throw new Error('disk on fire');
		return super.append(items);
	}
}

const item = (docName: string) => ({ docName, update: new Uint8Array([0, 0]), bindings: [] });
const until = async (fn: () => boolean) => {
	while (!fn()) await new Promise((r) => setImmediate(r));
};

describe('group commit', () => {
	it('puts updates that arrive while a commit is in flight into the next transaction together', async () => {
		const storage = new GatedStorage();
		const committer = new GroupCommitter(storage, { relayGroupCommitMaxBatch: 100, relayCommitsInFlight: 1 });
		const first = committer.commit(item('a'));
		await until(() => storage.batches.length === 1);
		const rest = ['b', 'c', 'd'].map((name) => committer.commit(item(name)));
		storage.gates.shift()!();
		await first;
		await until(() => storage.batches.length === 2);
		storage.gates.shift()!();
		await Promise.all(rest);
		expect(storage.batches).toEqual([['a'], ['b', 'c', 'd']]);
		expect(committer.stats).toMatchObject({ transactions: 2, items: 4, largestBatch: 3 });
	});

	it('caps a batch at relayGroupCommitMaxBatch and runs up to relayCommitsInFlight transactions at once', async () => {
		const storage = new GatedStorage();
		const committer = new GroupCommitter(storage, { relayGroupCommitMaxBatch: 2, relayCommitsInFlight: 2 });
		const all = ['a', 'b', 'c', 'd', 'e'].map((name) => committer.commit(item(name)));
		await until(() => storage.batches.length === 2);
		expect(storage.batches).toEqual([
			['a', 'b'],
			['c', 'd']
		]);
		storage.gates.shift()!();
		await until(() => storage.batches.length === 3);
		expect(storage.batches[2]).toEqual(['e']);
		while (storage.gates.length) storage.gates.shift()!();
		await Promise.all(all);
	});

	it('[G2] rejects every update of a failed transaction, and skips updates whose document already failed', async () => {
		const storage = new GatedStorage();
		storage.fail = true;
		const committer = new GroupCommitter(storage, { relayGroupCommitMaxBatch: 10, relayCommitsInFlight: 1 });
		let failed = false;
		const first = committer.commit({ ...item('a'), abandoned: () => failed });
		await until(() => storage.batches.length === 1);
		const later = committer.commit({ ...item('a'), abandoned: () => failed });
		const laterSettled = later.then(
			() => 'resolved',
			(error: Error) => error.message
		);
		const other = committer.commit(item('b'));
		storage.gates.shift()!();
		await expect(first).rejects.toThrow('disk on fire');
		failed = true;
		storage.fail = false;
		await until(() => storage.gates.length === 1);
		storage.gates.shift()!();
		expect(await laterSettled).toBe('an earlier update of a failed');
		await expect(other).resolves.toBeUndefined();
		expect(storage.batches).toEqual([['a'], ['b']]);
	});

	it('flush waits for everything queued', async () => {
		const storage = new MemoryStorage();
		const committer = new GroupCommitter(storage, { relayGroupCommitMaxBatch: 3, relayCommitsInFlight: 1 });
		for (let i = 0; i < 10; i++) void committer.commit(item('a'));
		await committer.flush();
		expect((await storage.load('a')).logLength).toBe(10);
	});
});
