// One contract for every DocStorage: memory, and SQL on this project's database (the embedded PostgreSQL or an external one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { migrate, type Db } from '$lib/server/db';
import { MemoryStorage, type DocStorage } from '../../../server/relay/storage.js';
import { SqlStorage } from '../../../server/relay/sql-storage.js';
import { mergeByApplying } from '../../../server/relay/merge.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../../helpers/database.js';

function updatesOf(count: number, text = 'm') {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	for (let i = 0; i < count; i++) doc.getArray('messages').push([{ id: `${text}${i}`, text: `${text}${i}` }]);
	return { doc, updates };
}

function rebuild(updates: Uint8Array[]) {
	const doc = new Y.Doc();
	for (const update of updates) Y.applyUpdate(doc, update);
	return doc.getArray('messages').toJSON();
}

let database: TestDatabase;
let db: Db;
beforeAll(async () => {
	database = await createTestDatabase();
	db = await database.open();
	await migrate(db);
});
afterAll(async () => {
	await db?.close();
	await database?.destroy();
});

const backends: Array<[string, () => DocStorage]> = [
	['memory', () => new MemoryStorage()],
	[`sql (${testDatabaseKind()})`, () => new SqlStorage(db)]
];

describe.each(backends)('DocStorage contract: %s', (name, make) => {
	let storage: DocStorage;
	let n = 0;
	const docName = () => `conv.contract${++n}${Math.random().toString(36).slice(2, 8)}`;
	beforeAll(() => {
		storage = make();
	});

	it('loads an unknown document as empty', async () => {
		const stored = await storage.load(docName());
		expect(stored.updates).toEqual([]);
		expect(stored.clients.size).toBe(0);
		expect(stored.logLength).toBe(0);
	});

	it('returns appended updates byte for byte, across documents in one batch', async () => {
		const [a, b] = [docName(), docName()];
		const { updates } = updatesOf(3);
		await storage.append([
			{ docName: a, update: updates[0]!, bindings: [[101, 'alice']] },
			{ docName: b, update: updates[1]!, bindings: [] },
			{ docName: a, update: updates[2]!, bindings: [[4_000_000_000, 'bob']] }
		]);
		const storedA = await storage.load(a);
		expect(storedA.updates.map((u) => Array.from(u))).toEqual([Array.from(updates[0]!), Array.from(updates[2]!)]);
		expect(storedA.clients).toEqual(
			new Map([
				[101, 'alice'],
				[4_000_000_000, 'bob']
			])
		);
		expect(storedA.logLength).toBe(2);
		expect((await storage.load(b)).updates).toHaveLength(1);
	});

	it('keeps the first binding of a client id', async () => {
		const name = docName();
		const { updates } = updatesOf(2);
		await storage.append([{ docName: name, update: updates[0]!, bindings: [[7, 'alice']] }]);
		await storage.append([{ docName: name, update: updates[1]!, bindings: [[7, 'mallory']] }]);
		expect((await storage.load(name)).clients.get(7)).toBe('alice');
	});

	it('compacts the log into one snapshot with the same content', async () => {
		const name = docName();
		const { doc, updates } = updatesOf(50);
		await storage.append(updates.map((update) => ({ docName: name, update, bindings: [] })));
		expect(await storage.compact(name, mergeByApplying)).toBe(50);
		const stored = await storage.load(name);
		expect(stored.updates).toHaveLength(1);
		expect(stored.logLength).toBe(0);
		expect(rebuild(stored.updates)).toEqual(doc.getArray('messages').toJSON());
		expect(await storage.compact(name, mergeByApplying)).toBe(0);
	});

	it('keeps rows appended while a compaction runs', async () => {
		const name = docName();
		const { doc, updates } = updatesOf(20);
		await storage.append(updates.slice(0, 10).map((update) => ({ docName: name, update, bindings: [] })));
		// The merge callback runs inside the compaction; append from another writer meanwhile.
		let late: Promise<void> | undefined;
		await storage.compact(name, (read) => {
			late = storage.append(updates.slice(10).map((update) => ({ docName: name, update, bindings: [] })));
			return mergeByApplying(read);
		});
		await late;
		const stored = await storage.load(name);
		expect(rebuild(stored.updates)).toEqual(doc.getArray('messages').toJSON());
	});

	it.runIf(name !== 'memory')('rolls the whole batch back when an extra statement fails', async () => {
		const name = docName();
		const { updates } = updatesOf(1);
		await expect(
			storage.append(
				[{ docName: name, update: updates[0]!, bindings: [[1, 'alice']] }],
				[{ sql: 'update doc_updates set no_such_column = $1', params: [1] }]
			)
		).rejects.toThrow();
		const stored = await storage.load(name);
		expect(stored.updates).toHaveLength(0);
		expect(stored.clients.size).toBe(0);
	});

	it('deletes a document with its bindings', async () => {
		const name = docName();
		const { updates } = updatesOf(2);
		await storage.append([{ docName: name, update: updates[0]!, bindings: [[9, 'alice']] }]);
		await storage.compact(name, mergeByApplying);
		await storage.append([{ docName: name, update: updates[1]!, bindings: [] }]);
		await storage.delete(name);
		const stored = await storage.load(name);
		expect(stored.updates).toEqual([]);
		expect(stored.clients.size).toBe(0);
	});
});
