-- Accounts, part two: e-mail for password reset, two-factor, privacy settings, public session ids.
-- `email` is optional (reset mail only); stored lower-cased, unique when present.
alter table users add column email text;
--> statement
create unique index users_email on users (email) where email is not null;
--> statement
-- TOTP: the active secret, a setup in progress (secret + when it started), and the last time
-- step a code was accepted in (a code of that step or earlier is refused: no replay).
alter table users add column totp_secret text;
--> statement
alter table users add column totp_pending_secret text;
--> statement
alter table users add column totp_pending_since timestamptz;
--> statement
alter table users add column totp_last_step bigint;
--> statement
-- Privacy (stored here; the conversations code enforces them).
alter table users add column privacy_conversations text not null default 'everyone'
	check (privacy_conversations in ('everyone', 'contacts'));
--> statement
alter table users add column privacy_last_seen text not null default 'everyone'
	check (privacy_last_seen in ('everyone', 'contacts', 'nobody'));
--> statement
alter table users add column privacy_read_receipts boolean not null default true;
--> statement
-- Sessions are shown to their owner by a random public id, never by their id (a token hash).
alter table sessions add column public_id text;
--> statement
update sessions set public_id = md5(id || random()::text) where public_id is null;
--> statement
alter table sessions alter column public_id set not null;
--> statement
create unique index sessions_public_id on sessions (public_id);
--> statement
-- Recovery codes: only SHA-256 of each (they are random, so a slow hash adds nothing).
create table recovery_codes (
	user_id text not null references users(id) on delete cascade,
	code_hash text not null,
	used_at timestamptz,
	primary key (user_id, code_hash)
);
--> statement
-- Password-reset links: `id` is the SHA-256 of the token in the link.
create table password_resets (
	id text primary key,
	user_id text not null references users(id) on delete cascade,
	created_by text references users(id) on delete set null,
	created_at timestamptz not null,
	expires_at timestamptz not null,
	used_at timestamptz
);
--> statement
create index password_resets_user_id on password_resets (user_id);
--> statement
-- Invite links (REGISTRATION=invite): `token_hash` is the SHA-256 of the token in the link.
create table invites (
	id text primary key,
	token_hash text not null unique,
	created_by text references users(id) on delete set null,
	created_at timestamptz not null,
	expires_at timestamptz not null,
	used_by text references users(id) on delete set null,
	used_at timestamptz
);
--> statement
-- Fixed-window counters shared by every instance: key → attempts since window_start.
create table rate_limits (
	key text primary key,
	window_start timestamptz not null,
	count integer not null
);
--> statement
-- Avatars: square WebP bytes; `users.avatar_url` points at the current one.
create table avatars (
	id text primary key,
	user_id text not null references users(id) on delete cascade,
	data bytea not null,
	created_at timestamptz not null
);
--> statement
create index avatars_user_id on avatars (user_id);
