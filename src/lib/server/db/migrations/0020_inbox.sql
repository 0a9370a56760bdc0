-- Each user's read position per conversation: a max-register (the newest message any of their
-- devices reported read), kept in the relay's commit so unread counts never go backwards.
create table read_markers (
	doc_name text not null,
	user_id text not null,
	message_id text not null,
	position bigint not null,
	updated_at timestamptz not null default now(),
	primary key (doc_name, user_id)
);
--> statement
-- The message projection gets the index the inbox's "last message" and unread counts need.
create index messages_doc_live on messages (doc_name, position) where deleted_at is null;
