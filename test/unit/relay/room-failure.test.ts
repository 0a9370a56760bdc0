// A room whose storage fails: every pending write is refused, nothing is passed on, the failure is
// reported once, and no promise is left rejected without a handler (which would end the process).
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { GroupCommitter } from '../../../server/relay/group-commit.js';
import { Room } from '../../../server/relay/room.js';
import { MemoryStorage, type AppendItem } from '../../../server/relay/storage.js';
import type { ProjectedChanges } from '../../../server/relay/projection.js';

class FailingStorage extends MemoryStorage {
	appends = 0;
	override async append(_items: readonly AppendItem[]): Promise<void> {
		this.appends++;
		throw new Error('disk full');
	}
}

describe('room on failing storage', () => {
	it('[G2] rejects every pending write, reports the failure once, and leaves no unhandled rejection', async () => {
		const storage = new FailingStorage();
		const failures: unknown[] = [];
		const committed: unknown[] = [];
		const room = new Room(
			'conv.aaaaaaaaaaaaaaaaaaaaaaaa',
			{ updates: [], clients: new Map(), logLength: 0 },
			{
				committer: new GroupCommitter<ProjectedChanges>(storage, { relayGroupCommitMaxBatch: 1, relayCommitsInFlight: 1 }),
				log: pino({ level: 'silent' }),
				onFailure: (_room, error) => failures.push(error),
				onCommitted: (_room, changes) => committed.push(changes)
			}
		);
		// Three writes pending at once; the first transaction fails, the others must not be stored alone.
		const first = room.serverWrite((doc) => doc.getMap('meta').set('k1', 1));
		// As the relay does with a client's update: nobody waits on these two promises. If they were
		// left rejected without a handler, Vitest would fail this run with an unhandled rejection.
		void room.serverWrite((doc) => doc.getMap('meta').set('k2', 2));
		void room.serverWrite((doc) => doc.getMap('meta').set('k3', 3));
		await expect(first).rejects.toThrow('disk full');
		await room.whenDurable();
		expect(failures).toHaveLength(1);
		expect(committed).toEqual([]);
		// Only the first reached storage: the later ones were abandoned, not written after a gap.
		expect(storage.appends).toBe(1);
		await expect(room.serverWrite((doc) => doc.getMap('meta').set('late', 1))).rejects.toThrow(/unavailable/);
	});
});
