// Moving databases: an archive made on one server restores into a fresh database of this
// project's database (a real PostgreSQL in integration-postgres: the documented way from embedded
// to PostgreSQL), and the server started on it serves the same people and documents.
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../../helpers/database.js';
import { TestClient } from '../../helpers/http.js';
import { signUp, createConversation } from '../../helpers/users.js';
import { connectClient, messagesOf, type SyncClient } from '../../helpers/sync.js';
import { writeBackup } from '$lib/server/admin/backup/create';
import { restoreBackup } from '$lib/server/admin/backup/restore';
import { DEFAULT_LIMITS } from '$lib/server/config';
import { sendMessage, startAdminServer } from './helpers.js';

describe(`embedded → ${testDatabaseKind()}`, () => {
	const cleanup: (() => Promise<unknown>)[] = [];
	const clients: SyncClient[] = [];
	afterAll(async () => {
		for (const c of clients) c.destroy();
		for (const step of cleanup.reverse()) await step().catch(() => {});
	});

	it('restores an archive of the embedded database here, with documents, messages, sessions and files', async () => {
		const source = await createTestDatabase();
		const embedded = await startAdminServer({ database: source });
		cleanup.push(() => fs.rm(embedded.dataDir, { recursive: true, force: true }));
		const ann = await signUp(embedded.url, 'ann');
		const ben = await signUp(embedded.url, 'ben');
		const chat = await createConversation(ann, { kind: 'direct', userId: ben.id });
		await sendMessage(embedded, ann, chat.docName, 'moved with me', clients);
		await fs.mkdir(path.join(embedded.dataDir, 'uploads'), { recursive: true });
		await fs.writeFile(path.join(embedded.dataDir, 'uploads', 'f'), 'file bytes');
		const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-move-'));
		cleanup.push(() => fs.rm(dir, { recursive: true, force: true }));
		const file = path.join(dir, 'move.gz');
		await writeBackup(
			{ db: embedded.db, uploadsDir: path.join(embedded.dataDir, 'uploads'), limits: DEFAULT_LIMITS, now: Date.now },
			createWriteStream(file)
		);
		await embedded.stop();

		const target: TestDatabase = await createTestDatabase();
		const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-moved-'));
		cleanup.push(() => fs.rm(dataDir, { recursive: true, force: true }));
		const db = await target.open();
		try {
			await restoreBackup({ db, dataDir, file, force: false });
		} finally {
			await db.close();
		}
		const moved = await startAdminServer({ database: target, dataDir });
		cleanup.push(() => moved.close());
		expect((await new TestClient(moved.url, { cookie: ben.cookie }).get('/api/me')).data.user.id).toBe(ben.id);
		const reader = connectClient({ url: moved.url, docName: chat.docName, cookie: ben.cookie });
		clients.push(reader);
		await reader.synced();
		expect(messagesOf(reader.doc).map((m) => m.text)).toEqual(['moved with me']);
		expect(await fs.readFile(path.join(dataDir, 'uploads', 'f'), 'utf8')).toBe('file bytes');
		expect(moved.db.kind).toBe(testDatabaseKind());
	});
});
