// G1 (docs/sync-rules.md, "The relay's own guarantees"): durable before visible. A client's
// accepted update is applied at once (the next update is checked against it) but reaches the other
// connections, the other instances and the commit listeners only once its commit is stored; a
// sync step 2 reply asked for meanwhile waits too. Real Room, real Yjs, storage in memory held
// shut; the sockets are stand-ins that record what is sent.
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { GroupCommitter } from '../../../server/relay/group-commit.js';
import { Room } from '../../../server/relay/room.js';
import { Connection } from '../../../server/relay/connection.js';
import { MemoryStorage, type AppendItem } from '../../../server/relay/storage.js';
import type { ProjectedChanges } from '../../../server/relay/projection.js';
import type { DocMessage } from '../../../server/relay/fanout.js';
import { MessageType, SyncType } from '$lib/sync/protocol';

/** Storage whose appends wait until `release()`. */
class HeldStorage extends MemoryStorage {
	#open = () => {};
	readonly #gate = new Promise<void>((resolve) => (this.#open = resolve));
	release(): void {
		this.#open();
	}
	override async append(items: readonly AppendItem[]): Promise<void> {
		await this.#gate;
		return super.append(items);
	}
}

/** A connection over a socket stand-in that records the sync frames it is sent, by sync type. */
function connect(room: Room, userId: string) {
	const syncTypes: number[] = [];
	const ws = {
		readyState: WebSocket.OPEN,
		bufferedAmount: 0,
		send: (frame: Uint8Array) => {
			const d = decoding.createDecoder(frame);
			if (decoding.readVarUint(d) === MessageType.Sync) syncTypes.push(decoding.readVarUint(d));
		},
		on: () => {},
		close: () => {},
		terminate: () => {},
		pause: () => {},
		resume: () => {}
	};
	const connection = new Connection(
		ws as unknown as WebSocket,
		userId,
		's-' + userId,
		room.name,
		{ kind: 'group', role: 'member' },
		1 << 20
	);
	room.add(connection);
	return {
		connection,
		updates: () => syncTypes.filter((t) => t === SyncType.Update).length,
		replies: () => syncTypes.filter((t) => t === SyncType.Step2).length
	};
}

describe('durable before visible', () => {
	it('[G1] an accepted update reaches nobody (peers, other instances, commit listeners, step 1 replies) before it is stored', async () => {
		const storage = new HeldStorage();
		const committed: Array<ProjectedChanges | null> = [];
		const published: DocMessage[] = [];
		const room = new Room(
			'conv.aaaaaaaaaaaaaaaaaaaaaaaa',
			{ updates: [], clients: new Map(), logLength: 0 },
			{
				committer: new GroupCommitter<ProjectedChanges>(storage, { relayGroupCommitMaxBatch: 8, relayCommitsInFlight: 1 }),
				log: pino({ level: 'silent' }),
				onFailure: () => {},
				onCommitted: (_room, changes) => committed.push(changes),
				publish: (message) => published.push(message)
			}
		);
		const ann = connect(room, 'ann');
		const bob = connect(room, 'bob');
		const client = new Y.Doc();
		let update: Uint8Array | null = null;
		client.on('update', (u: Uint8Array) => (update = u));
		client.getArray('messages').push([{ id: 'm1', author: 'ann', createdAt: Date.now(), text: 'hello' }]);
		room.receiveUpdate(ann.connection, update!);
		room.answerSyncStep1(bob.connection, Y.encodeStateVector(new Y.Doc()));

		// Accepted and applied, not yet stored: nothing has left.
		expect(room.doc.getArray('messages').length).toBe(1);
		for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
		expect((await storage.load(room.name)).updates).toHaveLength(0);
		expect(bob.updates()).toBe(0);
		expect(bob.replies()).toBe(0);
		expect(published).toHaveLength(0);
		expect(committed).toHaveLength(0);

		storage.release();
		await room.whenDurable();
		expect((await storage.load(room.name)).updates).toHaveLength(1);
		expect(bob.updates()).toBe(1);
		expect(bob.replies()).toBe(1);
		expect(ann.updates()).toBe(0); // the sender is not sent its own update back
		expect(published).toHaveLength(1);
		expect(committed).toHaveLength(1);
		expect(committed[0]?.added.map((e) => e.id)).toEqual(['m1']);
	});
});
