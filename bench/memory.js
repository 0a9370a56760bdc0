// Resident memory per loaded document and per connection (idle), on a real PostgreSQL.
// 200 conversations of 100 messages each: one client per conversation (documents loaded), then a
// second client per conversation (connections only). RSS is read after a forced GC settles.
import * as Y from 'yjs';
import { connect } from './clients.js';
import { createBenchDatabase, rssMiB, startParleyProcess } from './lib.js';
import { openSeedDb, seedGroup, seedUsers } from './seed.js';

const DOCS = 200;
const MESSAGES = 100;

/** A conversation's state as one Yjs update of `MESSAGES` envelopes by `author` (client `clientId`). */
function history(author, clientId) {
	const doc = new Y.Doc();
	doc.clientID = clientId;
	const messages = doc.getArray('messages');
	for (let i = 0; i < MESSAGES; i++)
		messages.push([{ id: `h${i}`, author: author.id, createdAt: Date.now(), text: `A message of ordinary length, number ${i}.` }]);
	return Y.encodeStateAsUpdate(doc);
}

/** RSS after letting the server idle a moment (no GC hook in the child: take the lowest of a few reads). */
async function settledRss(pid) {
	let low = Infinity;
	for (let i = 0; i < 5; i++) {
		await new Promise((r) => setTimeout(r, 300));
		low = Math.min(low, rssMiB(pid));
	}
	return low;
}

export async function benchMemory() {
	const database = await createBenchDatabase();
	const env = { DATABASE_URL: database.url };
	await (await startParleyProcess({ env })).stop();
	const seed = await openSeedDb({ databaseUrl: database.url });
	const users = await seedUsers(seed, DOCS, 'mem');
	const docs = [];
	for (let i = 0; i < DOCS; i++) {
		const group = await seedGroup(seed, `Memory ${i}`, [users[i]]);
		const clientId = 1000 + i;
		await seed.query(`insert into doc_updates (doc_name, update) values ($1, $2)`, [
			group.docName,
			Buffer.from(history(users[i], clientId))
		]);
		await seed.query(`insert into doc_clients (doc_name, client_id, user_id) values ($1, $2, $3)`, [group.docName, clientId, users[i].id]);
		docs.push({ ...group, user: users[i] });
	}
	await seed.close();
	const server = await startParleyProcess({ env });
	const clients = [];
	try {
		const base = await settledRss(server.pid);
		for (const d of docs) clients.push(await connect({ url: server.url, docName: d.docName, cookie: d.user.cookie }));
		const withDocs = await settledRss(server.pid);
		for (const d of docs) clients.push(await connect({ url: server.url, docName: d.docName, cookie: d.user.cookie }));
		const withMore = await settledRss(server.pid);
		const perDocKiB = Math.round(((withDocs - base - (withMore - withDocs)) * 1024) / DOCS);
		const perConnectionKiB = Math.round(((withMore - withDocs) * 1024) / DOCS);
		return {
			rows: [
				{ measure: `idle server (postgres)`, MiB: base },
				{ measure: `+ ${DOCS} documents of ${MESSAGES} messages, 1 connection each`, MiB: withDocs },
				{ measure: `+ ${DOCS} more connections`, MiB: withMore },
				{ measure: 'per loaded document (KiB)', MiB: perDocKiB },
				{ measure: 'per idle connection (KiB)', MiB: perConnectionKiB }
			],
			perDocKiB,
			perConnectionKiB
		};
	} finally {
		for (const c of clients) c.destroy();
		await server.stop();
		await database.drop();
	}
}
