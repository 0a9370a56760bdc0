// Backups: accounts, sessions, conversations, Yjs documents, messages and upload files → backup
// (POST /api/admin/backups, download) → wipe → restore → start → everything back; a stock client
// that was offline through it converges; a cut, tampered or foreign archive, or a non-empty
// target, is refused with nothing changed.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../../helpers/database.js';
import type { TestServer } from '../../helpers/server.js';
import { TestClient } from '../../helpers/http.js';
import { signUp, createConversation, type TestUser } from '../../helpers/users.js';
import { connectClient, messagesOf, waitFor, type SyncClient } from '../../helpers/sync.js';
import { restoreBackup } from '$lib/server/admin/backup/restore';
import { BackupError } from '$lib/server/admin/backup/format';
import { sendMessage, startAdminServer } from './helpers.js';

const PASSWORD = (name: string) => `correct horse ${name} battery`;

async function expectRefused(promise: Promise<unknown>, code: string, text: RegExp) {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(BackupError);
	expect((error as BackupError).code).toBe(code);
	expect((error as BackupError).message).toMatch(text);
}

describe(`backup and restore (${testDatabaseKind()})`, () => {
	const temp: string[] = [];
	const clients: SyncClient[] = [];
	let first: TestServer & { dataDir: string };
	let second: (TestServer & { dataDir: string }) | undefined;
	let target: TestDatabase;
	let admin: TestUser, ann: TestUser, ben: TestUser;
	let archive: string;
	let direct: { id: string; docName: string };
	let offline: SyncClient;
	const sent: string[] = [];
	const files = { 'ab/cd/abcdef0123': Buffer.from('first file'), 'ff/photo.webp': Buffer.alloc(300_000, 7) };

	beforeAll(async () => {
		first = await startAdminServer();
		admin = await signUp(first.url, 'root');
		ann = await signUp(first.url, 'ann');
		ben = await signUp(first.url, 'ben');
		direct = await createConversation(ann, { kind: 'direct', userId: ben.id });
		const group = await createConversation(ann, { kind: 'group', title: 'Trip', memberIds: [ben.id, admin.id] });
		sent.push(await sendMessage(first, ann, direct.docName, 'hello ben', clients));
		sent.push(await sendMessage(first, ben, direct.docName, 'hi ann', clients));
		sent.push(await sendMessage(first, admin, group.docName, 'group hello', clients));
		for (const [rel, bytes] of Object.entries(files)) {
			await fs.mkdir(path.dirname(path.join(first.dataDir, 'uploads', rel)), { recursive: true });
			await fs.writeFile(path.join(first.dataDir, 'uploads', rel), bytes);
		}
		// Ben's device: synced, then offline through backup, wipe and restore, writing meanwhile.
		offline = connectClient({ url: first.url, docName: direct.docName, cookie: ben.cookie });
		await offline.synced();
		await waitFor(() => messagesOf(offline.doc).length === 2, { what: 'offline client synced' });
		temp.push(await fs.mkdtemp(path.join(os.tmpdir(), 'parley-archive-')));
	});
	afterAll(async () => {
		for (const client of [...clients, offline]) client?.destroy();
		await first?.close().catch(() => {});
		await second?.close().catch(() => {});
		for (const dir of [...temp, first?.dataDir, second?.dataDir]) if (dir) await fs.rm(dir, { recursive: true, force: true });
	});

	it('makes, lists and downloads an archive through the API (admins only)', async () => {
		expect((await new TestClient(first.url).post('/api/admin/backups')).status).toBe(401);
		expect((await ann.client.post('/api/admin/backups')).status).toBe(403);
		expect((await ann.client.get('/api/admin/backups')).status).toBe(403);
		const made = await admin.client.post('/api/admin/backups');
		expect(made.status, JSON.stringify(made.data)).toBe(201);
		const backup = made.data.backup;
		expect(backup).toEqual({
			id: expect.stringMatching(/^parley-\d{8}-\d{6}-\d{3}Z$/),
			name: `${backup.id}.parley-backup.gz`,
			size: expect.any(Number),
			createdAt: expect.any(String)
		});
		const listed = await admin.client.get('/api/admin/backups');
		expect(listed.data.backups).toEqual([backup]);
		expect((await ann.client.get(`/api/admin/backups/${backup.id}`)).status).toBe(403);
		expect((await admin.client.get('/api/admin/backups/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
		const response = await fetch(`${first.url}/api/admin/backups/${backup.id}`, { headers: { cookie: admin.cookie } });
		expect(response.status).toBe(200);
		expect(response.headers.get('content-disposition')).toContain(backup.name);
		const bytes = Buffer.from(await response.arrayBuffer());
		expect(bytes.length).toBe(backup.size);
		expect(bytes.equals(await fs.readFile(path.join(first.dataDir, 'backups', backup.name)))).toBe(true);
		archive = path.join(temp[0]!, 'download.parley-backup.gz');
		await fs.writeFile(archive, bytes);
		const audit = await first.db.query<{ action: string }>(`select action from admin_audit order by id`);
		// The download is audited too (issue 21 item 10): the archive holds every password hash and message.
		expect(audit.map((a) => a.action)).toEqual(['backup.create', 'backup.download']);
	});

	it('restores into a wiped server: accounts, sessions, conversations, documents, messages, files; an offline client converges', async () => {
		// Ben keeps writing while offline.
		offline.provider.disconnect();
		const offlineId = 'offline-msg-1';
		offline.doc.getArray('messages').push([{ id: offlineId, author: ben.id, createdAt: Date.now(), text: 'written offline' }]);
		await first.stop();
		await first.database.destroy(); // the wipe
		target = await createTestDatabase();
		const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-restored-'));
		const db = await target.open();
		try {
			const result = await restoreBackup({ db, dataDir, file: archive, force: false });
			expect(result.files).toBe(2);
			expect(result.manifest.tables.find((t) => t.name === 'users')?.rows).toBe(3);
		} finally {
			await db.close();
		}
		second = await startAdminServer({ database: target, dataDir });
		// Sessions: the old cookies still work; passwords too.
		const me = await new TestClient(second.url, { cookie: ann.cookie }).get('/api/me');
		expect(me.status).toBe(200);
		expect(me.data.user.id).toBe(ann.id);
		expect(
			(await new TestClient(second.url).post('/api/auth/login', { username: ben.username, password: PASSWORD(ben.username) })).status
		).toBe(200);
		const convs = await new TestClient(second.url, { cookie: ann.cookie }).get('/api/conversations');
		expect(convs.data.conversations.map((c: { title: string; kind: string }) => c.kind).sort()).toEqual(['direct', 'group']);
		// Files: same bytes.
		for (const [rel, bytes] of Object.entries(files))
			expect((await fs.readFile(path.join(dataDir, 'uploads', rel))).equals(bytes)).toBe(true);
		// Documents and the projection: every message back.
		const reader = connectClient({ url: second.url, docName: direct.docName, cookie: ann.cookie });
		clients.push(reader);
		await reader.synced();
		expect(messagesOf(reader.doc).map((m) => m.text)).toEqual(['hello ben', 'hi ann']);
		const stored = await second.db.query<{ id: string }>(`select id from messages where kind <> 'system' order by position`);
		expect(stored.map((m) => m.id)).toEqual(sent);
		// Search vectors are not archived (derived): the restore's inserts rebuilt them.
		const found = await new TestClient(second.url, { cookie: ann.cookie }).get('/api/search?q=hello%20');
		expect(found.data.messages.map((m: { text: string }) => m.text).sort()).toEqual(['group hello', 'hello ben']);
		// The offline device comes back to the restored server (same document, new connection).
		const back = connectClient({ url: second.url, docName: direct.docName, cookie: ben.cookie, doc: offline.doc });
		clients.push(back);
		await waitFor(() => messagesOf(reader.doc).some((m) => m.id === offlineId), { what: 'offline message reached the other member' });
		expect(Buffer.from(Y.encodeStateVector(reader.doc))).toEqual(Buffer.from(Y.encodeStateVector(offline.doc)));
		expect(messagesOf(offline.doc).map((m) => m.text)).toEqual(['hello ben', 'hi ann', 'written offline']);
		// New writes still get fresh positions after the restored ones (sequences restored).
		const next = await sendMessage(second, ann, direct.docName, 'after restore', clients);
		const positions = await second.db.query<{ id: string; position: string }>(
			`select id, position::text from messages where doc_name = $1 order by position`,
			[direct.docName]
		);
		expect(positions.at(-1)!.id).toBe(next);
	});

	it('refuses a non-empty target without --force, and cut, tampered or foreign archives even with it, changing nothing', async () => {
		const server = second!;
		const count = async () => (await server.db.query<{ n: number }>(`select count(*)::int as n from messages`))[0]!.n;
		const before = await count();
		const dir = temp[0]!;
		const whole = await fs.readFile(archive);
		const cut = path.join(dir, 'cut.gz');
		await fs.writeFile(cut, whole.subarray(0, Math.floor(whole.length / 2)));
		const tampered = path.join(dir, 'tampered.gz');
		const plain = gunzipSync(whole);
		const at = plain.indexOf(Buffer.from('hello ben'));
		expect(at).toBeGreaterThan(0);
		plain[at] = 'j'.charCodeAt(0);
		await fs.writeFile(tampered, gzipSync(plain));
		const foreign = path.join(dir, 'foreign.gz');
		await fs.writeFile(foreign, gzipSync(Buffer.from('just some text, not a backup')));
		const text = path.join(dir, 'notes.txt');
		await fs.writeFile(text, 'plain text');
		const chopped = path.join(dir, 'chopped.gz');
		// Cut from the untouched content (`plain` was tampered above): the end is missing, nothing else.
		await fs.writeFile(chopped, gzipSync(gunzipSync(whole).subarray(0, plain.length - 40)));

		// The server is running on it; the library is used directly here, as `npm run restore` does.
		const uploadsBefore = await fs.readdir(path.join(server.dataDir, 'uploads'), { recursive: true });
		await expectRefused(
			restoreBackup({ db: server.db, dataDir: server.dataDir, file: archive, force: false }),
			'not_empty',
			/not empty.*--force/
		);
		await expectRefused(restoreBackup({ db: server.db, dataDir: server.dataDir, file: cut, force: true }), 'corrupt', /damaged|cut short/);
		await expectRefused(
			restoreBackup({ db: server.db, dataDir: server.dataDir, file: tampered, force: true }),
			'corrupt',
			/does not match|damaged/
		);
		await expectRefused(restoreBackup({ db: server.db, dataDir: server.dataDir, file: chopped, force: true }), 'corrupt', /cut short/);
		await expectRefused(
			restoreBackup({ db: server.db, dataDir: server.dataDir, file: foreign, force: true }),
			'foreign',
			/not a Parley backup/
		);
		await expectRefused(
			restoreBackup({ db: server.db, dataDir: server.dataDir, file: text, force: true }),
			'foreign',
			/not a Parley backup/
		);
		await expectRefused(
			restoreBackup({ db: server.db, dataDir: server.dataDir, file: path.join(dir, 'missing'), force: true }),
			'not_found',
			/Cannot read/
		);
		expect(await count()).toBe(before);
		expect(await fs.readdir(path.join(server.dataDir, 'uploads'), { recursive: true })).toEqual(uploadsBefore);
	});

	it('deletes a backup (admins only)', async () => {
		const server = second!;
		const admin2 = new TestClient(server.url, { cookie: admin.cookie });
		const created = await admin2.post('/api/admin/backups');
		expect(created.status).toBe(201);
		expect((await new TestClient(server.url, { cookie: ann.cookie }).delete(`/api/admin/backups/${created.data.backup.id}`)).status).toBe(
			403
		);
		expect((await admin2.delete(`/api/admin/backups/${created.data.backup.id}`)).status).toBe(204);
		expect((await admin2.delete(`/api/admin/backups/${created.data.backup.id}`)).status).toBe(404);
		expect((await admin2.get('/api/admin/backups')).data.backups).toEqual([]);
	});
});
