-- Conversations, part two: what a group or channel shows (description, avatar, public listing),
-- one direct conversation per pair, per-member settings, invite links, contacts and blocks.
alter table conversations add column description text not null default '';
--> statement
alter table conversations add column avatar_url text;
--> statement
-- Public channels are listed by `GET /api/channels` and joinable without an invite.
alter table conversations add column public boolean not null default false;
--> statement
-- "<smaller user id>:<larger user id>" for a direct conversation, else null: the unique index makes
-- a second direct conversation of the same pair impossible, even for two requests at once.
alter table conversations add column direct_key text;
--> statement
-- Existing direct conversations get their key (the oldest of a pair, should there be two).
update conversations c set direct_key = k.pair from (
	select distinct on (pair) id, pair from (
		select d.id, d.created_at,
			(select string_agg(m.user_id, ':' order by m.user_id) from conversation_members m where m.conversation_id = d.id) as pair
		from conversations d where d.kind = 'direct'
	) t where pair is not null order by pair, created_at
) k where c.id = k.id;
--> statement
create unique index conversations_direct_key on conversations (direct_key) where direct_key is not null;
--> statement
create index conversations_public on conversations (public) where public;
--> statement
-- Per-member settings: they change only what this member's list and notifications show.
alter table conversation_members add column muted boolean not null default false;
--> statement
alter table conversation_members add column pinned boolean not null default false;
--> statement
alter table conversation_members add column archived boolean not null default false;
--> statement
-- Invite links: `token_hash` is the SHA-256 (hex) of the token in the link; the token is never stored.
create table conversation_invites (
	id text primary key,
	conversation_id text not null references conversations(id) on delete cascade,
	token_hash text not null unique,
	created_by text references users(id) on delete set null,
	created_at timestamptz not null default now()
);
--> statement
create index conversation_invites_conversation on conversation_invites (conversation_id);
--> statement
-- Group and channel pictures: square WebP bytes; `conversations.avatar_url` points at the current one.
create table conversation_avatars (
	id text primary key,
	conversation_id text not null references conversations(id) on delete cascade,
	data bytea not null,
	created_at timestamptz not null default now()
);
--> statement
create index conversation_avatars_conversation on conversation_avatars (conversation_id);
--> statement
-- My contacts, with the alias I gave each (shown to me only).
create table contacts (
	owner_id text not null references users(id) on delete cascade,
	contact_id text not null references users(id) on delete cascade,
	alias text,
	created_at timestamptz not null default now(),
	primary key (owner_id, contact_id),
	check (owner_id <> contact_id)
);
--> statement
create index contacts_contact on contacts (contact_id);
--> statement
-- Blocks: the blocker and the blocked cannot start a direct conversation or add one another.
create table blocks (
	blocker_id text not null references users(id) on delete cascade,
	blocked_id text not null references users(id) on delete cascade,
	created_at timestamptz not null default now(),
	primary key (blocker_id, blocked_id),
	check (blocker_id <> blocked_id)
);
--> statement
create index blocks_blocked on blocks (blocked_id);
--> statement
-- Who finds me by a search on part of my name: 'everyone', or only 'contacts' (people whose
-- contacts list has me). An exact username always finds me, so a name given in person works.
alter table users add column privacy_findable_by text not null default 'everyone'
	check (privacy_findable_by in ('everyone', 'contacts'));
