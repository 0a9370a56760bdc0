// Loading and unloading rooms: one load however many ask, and an unload that waits for its
// room's commits never frees a room that someone asked for meanwhile.
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { GroupCommitter } from '../../../server/relay/group-commit.js';
import { Rooms } from '../../../server/relay/rooms.js';
import { MemoryStorage, type AppendItem } from '../../../server/relay/storage.js';
import type { ProjectedChanges } from '../../../server/relay/projection.js';

/** Appends wait until `open()` is called. */
class GatedStorage extends MemoryStorage {
	loads = 0;
	#open!: () => void;
	readonly #gate = new Promise<void>((resolve) => (this.#open = resolve));
	open() {
		this.#open();
	}
	override async load(name: string) {
		this.loads++;
		return super.load(name);
	}
	override async append(items: readonly AppendItem[]): Promise<void> {
		await this.#gate;
		return super.append(items);
	}
}

function rooms(storage: MemoryStorage) {
	const log = pino({ level: 'silent' });
	return new Rooms(
		storage,
		{ committer: new GroupCommitter<ProjectedChanges>(storage, { relayGroupCommitMaxBatch: 10, relayCommitsInFlight: 1 }), log },
		{ limits: { relayDocIdleUnloadMs: 60_000, relayCompactAfterUpdates: 1_000 }, log }
	);
}

describe('rooms', () => {
	it('[G10] loads a document once for simultaneous requests', async () => {
		const storage = new GatedStorage();
		const registry = rooms(storage);
		const all = await Promise.all(Array.from({ length: 5 }, () => registry.get('conv.aaaaaaaaaaaaaaaaaaaaaaaa')));
		expect(new Set(all).size).toBe(1);
		expect(storage.loads).toBe(1);
	});

	it('[G10] keeps a room that was asked for while its unload waited for a commit', async () => {
		const storage = new GatedStorage();
		const registry = rooms(storage);
		const name = 'conv.bbbbbbbbbbbbbbbbbbbbbbbb';
		const room = await registry.get(name);
		const written = room.serverWrite((doc) => doc.getMap('meta').set('title', 'x'));
		const unloading = registry.unload(room); // waits for the pending commit
		const again = await registry.get(name); // someone asks meanwhile
		storage.open();
		await Promise.all([written, unloading]);
		expect(again).toBe(room);
		expect(registry.peek(name)).toBe(room);
		expect(room.doc.getMap('meta').get('title')).toBe('x');
		// With nobody asking, the next unload does free it.
		await registry.unload(room);
		expect(registry.peek(name)).toBeUndefined();
	});
});
