-- The relay's storage. Each document is a compacted snapshot plus an append-only log of the
-- updates accepted since; loading is snapshot + log. Compaction replaces the rows it read.
create table doc_updates (
	id bigserial primary key,
	doc_name text not null,
	update bytea not null,
	created_at timestamptz not null default now()
);
--> statement
create index doc_updates_doc on doc_updates (doc_name, id);
--> statement
create table doc_snapshots (
	doc_name text primary key,
	state bytea not null,
	updated_at timestamptz not null default now()
);
--> statement
-- Which user first wrote with a Yjs client id in a document (relay rule: ids are never shared).
create table doc_clients (
	doc_name text not null,
	client_id bigint not null,
	user_id text not null,
	primary key (doc_name, client_id)
);
--> statement
-- Conversations and their members: who may open which document, in what role. The
-- conversations feature adds to these (titles, avatars, invites, …).
create table conversations (
	id text primary key,
	kind text not null check (kind in ('direct', 'group', 'channel')),
	title text not null default '',
	created_by text references users(id) on delete set null,
	created_at timestamptz not null default now()
);
--> statement
create table conversation_members (
	conversation_id text not null references conversations(id) on delete cascade,
	user_id text not null references users(id) on delete cascade,
	role text not null check (role in ('owner', 'admin', 'member', 'subscriber')),
	joined_at timestamptz not null default now(),
	primary key (conversation_id, user_id)
);
--> statement
create index conversation_members_user on conversation_members (user_id);
--> statement
-- The relational mirror of every conversation's envelopes (search, counts, notifications, inbox),
-- written in the same transaction as the update that added, edited or deleted them.
create table messages (
	doc_name text not null,
	id text not null,
	author_id text not null,
	kind text not null default 'text',
	text text not null default '',
	reply_to text,
	created_at timestamptz not null,
	edited_at timestamptz,
	deleted_at timestamptz,
	position bigserial,
	primary key (doc_name, id)
);
--> statement
create index messages_doc_position on messages (doc_name, position);
