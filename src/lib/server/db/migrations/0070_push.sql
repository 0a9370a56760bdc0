-- Notifications (issue 19, docs/notifications.md): web push subscriptions, each person's
-- notification settings, and what was notified per conversation since they last read it.

-- One row per device that turned notifications on. It belongs to the session that made it: when
-- that session ends (sign-out, revoked, password change, account disabled or deleted) the row goes
-- with it, by the foreign key, whatever path ended the session.
create table push_subscriptions (
	id text primary key,
	user_id text not null references users(id) on delete cascade,
	session_id text not null references sessions(id) on delete cascade,
	endpoint text not null unique,
	p256dh text not null,
	auth text not null,
	expires_at timestamptz,
	created_at timestamptz not null default now(),
	last_success_at timestamptz,
	last_failure_at timestamptz,
	failures integer not null default 0
);
create index push_subscriptions_user on push_subscriptions (user_id, created_at);
create index push_subscriptions_session on push_subscriptions (session_id);

-- A person's choices; no row means the defaults.
create table notification_settings (
	user_id text primary key references users(id) on delete cascade,
	-- what a push shows: sender and text, sender only, or nothing but "New message"
	preview text not null default 'full' check (preview in ('full', 'name', 'none')),
	-- a mention of me or a reply to my message notifies even in a conversation I muted
	mentions_in_muted boolean not null default true,
	-- a reaction to my message notifies
	reactions boolean not null default false,
	updated_at timestamptz not null default now()
);

-- Messages notified to a person in a conversation since they last read it: the count a push
-- shows ("3 new messages"), and whether reading it must close the notification on their other
-- devices. The row goes when they read; at most one per membership.
create table push_notified (
	user_id text not null references users(id) on delete cascade,
	conversation_id text not null references conversations(id) on delete cascade,
	count integer not null,
	updated_at timestamptz not null default now(),
	primary key (user_id, conversation_id)
);

-- Who each message mentions (R28 checked they were members): the inbox's unread-mention mark.
create table message_mentions (
	doc_name text not null,
	message_id text not null,
	user_id text not null,
	primary key (user_id, doc_name, message_id)
);
create index message_mentions_message on message_mentions (doc_name, message_id);
