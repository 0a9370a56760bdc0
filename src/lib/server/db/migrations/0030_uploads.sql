-- Uploaded files. The bytes live on disk under DATA_DIR/uploads, named by their SHA-256, so the
-- same bytes are stored once however often they are sent; `upload_blobs` lists the stored files.
-- `last_used_at` is touched by every upload that reuses a blob: the sweeper leaves recently used
-- blobs alone, which closes the race between a new upload and the removal of the same bytes.
create table upload_blobs (
	sha256 text primary key,
	size bigint not null,
	last_used_at timestamptz not null default now()
);
--> statement
-- One upload: a file sent into one conversation (R27: envelopes of that conversation only).
-- `name` is the sender's file name, metadata only (never a path on disk). `sha256` is the file
-- served (for images a re-encoded copy without metadata), `thumb_sha256` an image's thumbnail.
create table uploads (
	id text primary key,
	conversation_id text not null references conversations(id) on delete cascade,
	uploader_id text references users(id) on delete set null,
	kind text not null check (kind in ('image', 'video', 'audio', 'file')),
	mime text not null,
	name text,
	size bigint not null,
	sha256 text not null,
	thumb_sha256 text,
	width integer,
	height integer,
	placeholder text,
	created_at timestamptz not null default now()
);
--> statement
create index uploads_conversation on uploads (conversation_id, created_at);
--> statement
create index uploads_sha256 on uploads (sha256);
--> statement
create index uploads_thumb_sha256 on uploads (thumb_sha256) where thumb_sha256 is not null;
--> statement
-- Which messages reference which uploads, written by the relay's projection in the same commit
-- as the envelope. A message's deletion shows in `messages.deleted_at`; these rows stay, so an
-- upload once sent and then unsent is known to be free at once (no grace for pending messages).
create table message_uploads (
	doc_name text not null,
	message_id text not null,
	upload_id text not null,
	primary key (upload_id, doc_name, message_id)
);
--> statement
create index message_uploads_message on message_uploads (doc_name, message_id);
