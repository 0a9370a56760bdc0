-- Facts about this server that must survive restarts (instance id, generated keys, …).
create table server_meta (
	key text primary key,
	value text not null,
	created_at timestamptz not null default now()
);
