/**
 * Demo data (`npm run demo`, never implicit): the accounts of the local-server brief —
 * admin/admin123 (an admin), user1/123456, user2/123456 — whose passwords are below the policy,
 * so they are marked `demo` and the admin panel warns while any exists; plus conversations with
 * history: two direct ones, a group, and a channel with a pinned post. Run inside the server
 * (the embedded database is one process's), reached by the CLI with the control token.
 * Running it twice adds nothing the second time.
 */
import * as Y from 'yjs';
import type { Runtime } from '../runtime.js';
import type { ConversationKind } from '../../shared/roles.js';
import { hashPassword } from '../accounts/passwords.js';
import { createUser } from '../accounts/users.js';
import { startConversation } from '../conversations/create.js';
import { conversationDocName } from '../doc-names.js';
import { randomId } from '../ids.js';
import { CONVERSATION_ROOTS } from '$lib/sync/schema';

/** The demo accounts and their passwords (SPEC §8). Below the password policy on purpose. */
export const DEMO_ACCOUNTS = [
	{ username: 'admin', password: 'admin123', displayName: 'Admin', admin: true },
	{ username: 'user1', password: '123456', displayName: 'Анна (user1)', admin: false },
	{ username: 'user2', password: '123456', displayName: 'Boris (user2)', admin: false }
] as const;

const SQL = {
	byName: `select id from users where username = $1`,
	mark: `update users set demo = true, role = case when $2 then 'admin' else role end where id = $1`,
	seeded: `select 1 from server_meta where key = 'demo_seeded'`,
	markSeeded: `insert into server_meta (key, value) values ('demo_seeded', $1) on conflict (key) do nothing`,
	mirror: `insert into messages (doc_name, id, author_id, kind, text, created_at)
		select $1, i, a, 'text', t, to_timestamp(c / 1000.0) from unnest($2::text[], $3::text[], $4::text[], $5::float8[]) as v(i, a, t, c)
		on conflict (doc_name, id) do nothing`
};

type Who = 'admin' | 'user1' | 'user2';
type Line = [Who, string];

const HISTORY: { kind: ConversationKind; by: Who; with: Who[]; title?: string; lines: Line[]; pin?: number }[] = [
	{
		kind: 'direct',
		by: 'user1',
		with: ['user2'],
		lines: [
			['user1', 'Привет! Как дела?'],
			['user2', 'Hi! All good — trying **Parley** on the home server.'],
			['user1', 'Работает даже без сети 🙂']
		]
	},
	{
		kind: 'direct',
		by: 'admin',
		with: ['user1'],
		lines: [
			['admin', 'Welcome aboard. Change your password in Settings → Security.'],
			['user1', 'Спасибо!']
		]
	},
	{
		kind: 'group',
		by: 'user1',
		with: ['user2', 'admin'],
		title: 'Weekend trip',
		lines: [
			['user1', 'Кто идёт в субботу? 🏔️'],
			['user2', 'Me! I will bring the tent.'],
			['admin', 'Count me in. Meeting at 9:00 at the station.'],
			['user1', 'Отлично, до встречи']
		]
	},
	{
		kind: 'channel',
		by: 'admin',
		with: [],
		title: 'Announcements',
		lines: [
			['admin', 'This server is a **demo**: the accounts admin, user1 and user2 have weak passwords. Do not keep real data here.'],
			['admin', 'Backups run from the admin panel (/admin).']
		],
		pin: 0
	}
];

/** Result of a demo run. */
export interface DemoResult {
	accounts: { username: string; password: string; created: boolean }[];
	conversations: number;
}

/** Creates the demo accounts (missing ones) and, once per database, the demo conversations. */
export async function seedDemo(rt: Pick<Runtime, 'db' | 'docs' | 'events' | 'log' | 'now' | 'config'>): Promise<DemoResult> {
	const ids = {} as Record<Who, string>;
	const accounts: DemoResult['accounts'] = [];
	for (const account of DEMO_ACCOUNTS) {
		const [existing] = await rt.db.query<{ id: string }>(SQL.byName, [account.username]);
		const id =
			existing?.id ??
			(
				await createUser(rt.db, {
					username: account.username,
					displayName: account.displayName,
					passwordHash: await hashPassword(account.password),
					email: null,
					now: rt.now()
				})
			).id;
		// Only an account made here is marked demo: an existing real `admin` keeps its password and is not flagged.
		if (!existing) await rt.db.query(SQL.mark, [id, account.admin]);
		ids[account.username] = id;
		accounts.push({ username: account.username, password: account.password, created: !existing });
	}
	if ((await rt.db.query(SQL.seeded)).length) return { accounts, conversations: 0 };
	const hour = 3600_000;
	let conversations = 0;
	for (const [index, chat] of HISTORY.entries()) {
		const input =
			chat.kind === 'direct'
				? { kind: 'direct' as const, userId: ids[chat.with[0]!] }
				: chat.kind === 'group'
					? { kind: 'group' as const, title: chat.title!, description: '', memberIds: chat.with.map((w) => ids[w]) }
					: { kind: 'channel' as const, title: chat.title!, description: '', public: true };
		const { conversation } = await startConversation(rt, ids[chat.by], input);
		conversations++;
		const docName = conversationDocName(conversation.id);
		// Spread over the last hours, so the panel's chart has a shape.
		const start = rt.now() - (HISTORY.length - index) * 2 * hour;
		const envelopes = chat.lines.map(([who, text], i) => ({
			id: randomId(),
			author: ids[who],
			createdAt: start + i * 7 * 60_000,
			text,
			kind: 'text'
		}));
		await rt.docs.write(docName, (doc: Y.Doc) => {
			doc.getArray(CONVERSATION_ROOTS.messages).push(envelopes);
			if (chat.pin !== undefined) doc.getMap(CONVERSATION_ROOTS.pins).set(envelopes[chat.pin]!.id, { by: ids[chat.by], at: rt.now() });
		});
		await rt.db.query(SQL.mirror, [
			docName,
			envelopes.map((e) => e.id),
			envelopes.map((e) => e.author),
			envelopes.map((e) => e.text),
			envelopes.map((e) => e.createdAt)
		]);
		rt.events.emit('updateCommitted', { docName, envelopesChanged: true, readBy: null });
	}
	await rt.db.query(SQL.markSeeded, [new Date(rt.now()).toISOString()]);
	rt.log.warn('demo data added: accounts admin, user1, user2 have passwords below the policy');
	return { accounts, conversations };
}
