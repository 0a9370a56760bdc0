// Seeds users, sessions and conversations straight into the database for benchmarks that need
// more people than the API's sign-up rate limit allows. Benchmark-only: never used by the app.
import crypto from 'node:crypto';
import pg from 'pg';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** A random id in the app's alphabet (24 chars of a-z2-7). */
export function randomId(length = 24) {
	const bytes = crypto.randomBytes(length);
	return Array.from(bytes, (b) => BASE32[b % 32]).join('');
}

/** Opens the benchmark's database directly (a running server): `{query(text, params), close()}`. */
export async function openSeedDb({ databaseUrl }) {
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	return { query: async (t, p) => (await client.query(t, p)).rows, close: () => client.end() };
}

/** Inserts `count` users with a session each; returns `[{id, cookie}]`. */
export async function seedUsers(db, count, prefix) {
	const users = [];
	for (let i = 0; i < count; i++) {
		const id = randomId();
		const token = randomId(32);
		users.push({ id, token, username: `${prefix}_${i}`, cookie: `session=${token}` });
	}
	const chunk = 500;
	for (let i = 0; i < users.length; i += chunk) {
		const part = users.slice(i, i + chunk);
		await db.query(
			`insert into users (id, username, display_name, password_hash) select * from unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
			[part.map((u) => u.id), part.map((u) => u.username), part.map((u) => u.username), part.map(() => '!seeded')]
		);
		await db.query(
			`insert into sessions (id, user_id, expires_at, public_id) select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[])`,
			[
				part.map((u) => crypto.createHash('sha256').update(u.token).digest('hex')),
				part.map((u) => u.id),
				part.map(() => new Date(Date.now() + 7 * 24 * 3600 * 1000)),
				part.map(() => randomId())
			]
		);
	}
	return users;
}

/** Inserts a group owned by `members[0]`; returns its id and docName. */
export async function seedGroup(db, title, members) {
	const id = randomId();
	await db.query(`insert into conversations (id, kind, title, created_by) values ($1, 'group', $2, $3)`, [id, title, members[0].id]);
	await db.query(
		`insert into conversation_members (conversation_id, user_id, role) select $1, u, case when i = 1 then 'owner' else 'member' end from unnest($2::text[]) with ordinality as t(u, i)`,
		[id, members.map((m) => m.id)]
	);
	return { id, docName: `conv.${id}` };
}
