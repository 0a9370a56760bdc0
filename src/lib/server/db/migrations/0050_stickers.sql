-- Personal sticker packs (docs/stickers.md). A pack's id is a random token: whoever has seen a
-- sticker of it (in a chat) may view and add the pack, so ids are unguessable, never sequential.
-- The built-in pack "parley" is static files, not rows.
create table sticker_packs (
	id text primary key,
	owner_id text not null references users(id) on delete cascade,
	title text not null,
	created_at timestamptz not null default now()
);
--> statement
create index sticker_packs_owner on sticker_packs (owner_id, created_at);
--> statement
-- One sticker: a 512 px WebP re-encoded by the server, stored in the uploads blob store
-- (DATA_DIR/uploads, by SHA-256, so backups carry it) and held there through `upload_blobs`.
-- A removed sticker's row goes; envelopes naming it then show "sticker unavailable".
create table stickers (
	pack_id text not null references sticker_packs(id) on delete cascade,
	id text not null,
	name text not null,
	emoji text,
	sha256 text not null,
	size integer not null,
	position integer not null,
	created_at timestamptz not null default now(),
	primary key (pack_id, id)
);
--> statement
create index stickers_sha256 on stickers (sha256);
--> statement
-- Packs someone added from a chat (their own are theirs already).
create table sticker_pack_adds (
	user_id text not null references users(id) on delete cascade,
	pack_id text not null references sticker_packs(id) on delete cascade,
	added_at timestamptz not null default now(),
	primary key (user_id, pack_id)
);
