-- People. `username` is stored lower-cased (SPEC §3), so the unique index ignores case.
create table users (
	id text primary key,
	username text not null unique,
	display_name text not null,
	password_hash text not null,
	role text not null default 'user' check (role in ('admin', 'user')),
	avatar_url text,
	created_at timestamptz not null default now(),
	last_seen_at timestamptz
);
--> statement
-- Sessions: `id` is the SHA-256 (hex) of the token the client holds; the token is never stored.
create table sessions (
	id text primary key,
	user_id text not null references users(id) on delete cascade,
	expires_at timestamptz not null,
	two_factor_pending boolean not null default false,
	user_agent text,
	created_at timestamptz not null default now(),
	last_seen_at timestamptz not null default now()
);
--> statement
create index sessions_user_id on sessions (user_id);
