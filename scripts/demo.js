// `npm run demo`: adds demo users and conversations through the public API, like any client.
// Uses the server at PORT (default 3000) if one answers there; otherwise starts Parley on the
// configured database for the time it takes. Prints the demo accounts and their passwords.
import { spawn } from 'node:child_process';
import path from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { build, buildIsFresh } from '../server/start.js';

const PASSWORD = 'parley-demo-2026';
const PEOPLE = [
	{ username: 'anna', displayName: 'Анна Смирнова' },
	{ username: 'boris', displayName: 'Борис Петров' },
	{ username: 'clara', displayName: 'Clara Jones' },
	{ username: 'dmitri', displayName: 'Дмитрий' }
];
const CHATS = [
	{ kind: 'group', title: 'Поход в выходные', by: 'anna', with: ['boris', 'clara', 'dmitri'], lines: [['anna', 'Кто идёт в субботу? 🏔️'], ['boris', 'Я! Беру палатку.'], ['clara', 'Count me in — I will bring snacks.']] },
	{ kind: 'direct', by: 'anna', with: ['clara'], lines: [['anna', 'Hi Clara! Welcome to **Parley**.'], ['clara', 'Thanks, it works offline too?'], ['anna', 'Yes — try it in a tunnel.']] }
];

const port = Number(process.env.PORT ?? 3000);
const base = `http://127.0.0.1:${port}`;

async function answering() {
	try {
		return (await fetch(`${base}/readyz`)).ok;
	} catch {
		return false;
	}
}

async function startTemporary() {
	if (!buildIsFresh()) build();
	const child = spawn(process.execPath, [path.resolve('server/serve.js')], { env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn' }, stdio: 'inherit' });
	for (let i = 0; i < 600 && !(await answering()); i++) await new Promise((r) => setTimeout(r, 100));
	return () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')));
}

async function call(method, url, cookie, body) {
	const res = await fetch(`${base}${url}`, { method, headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: body && JSON.stringify(body) });
	const data = await res.json().catch(() => ({}));
	return { status: res.status, data, cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') };
}

async function signIn(person) {
	let res = await call('POST', '/api/auth/register', null, { ...person, password: PASSWORD });
	if (res.status === 409) res = await call('POST', '/api/auth/login', null, { username: person.username, password: PASSWORD });
	if (res.status >= 300 || !res.data.user) throw new Error(`${person.username}: ${res.status} ${JSON.stringify(res.data)}`);
	return { ...res.data.user, cookie: res.cookie };
}

/** Connects a stock client as `user`; resolves once synced. */
async function open(docName, user) {
	const doc = new Y.Doc();
	const Socket = class extends WebSocket {
		constructor(url, protocols) {
			super(url, protocols, { headers: { cookie: user.cookie } });
		}
	};
	const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/sync`, docName, doc, { WebSocketPolyfill: Socket, disableBc: true });
	await new Promise((resolve) => provider.once('sync', resolve));
	return { doc, provider };
}

async function say(docName, user, text) {
	const id = crypto.randomUUID().replaceAll('-', '');
	const writer = await open(docName, user);
	writer.doc.getArray('messages').push([{ id, author: user.id, createdAt: Date.now(), text }]);
	// The relay answers a sync only with what is stored: check through a second client.
	for (;;) {
		const reader = await open(docName, user);
		const stored = reader.doc.getArray('messages').toArray().some((m) => m.id === id);
		reader.provider.destroy();
		if (stored) break;
		await new Promise((r) => setTimeout(r, 50));
	}
	writer.provider.destroy();
}

const stop = (await answering()) ? null : await startTemporary();
try {
	const users = {};
	for (const person of PEOPLE) users[person.username] = await signIn(person);
	for (const chat of CHATS) {
		const owner = users[chat.by];
		const body = chat.kind === 'direct' ? { kind: 'direct', userId: users[chat.with[0]].id } : { kind: 'group', title: chat.title, memberIds: chat.with.map((u) => users[u].id) };
		const res = await call('POST', '/api/conversations', owner.cookie, body);
		if (res.status >= 300) throw new Error(`conversation: ${res.status} ${JSON.stringify(res.data)}`);
		for (const [who, text] of chat.lines) await say(res.data.conversation.docName, users[who], text);
	}
	console.log(`Demo accounts (password "${PASSWORD}"): ${PEOPLE.map((p) => p.username).join(', ')}`);
} finally {
	await stop?.();
}
