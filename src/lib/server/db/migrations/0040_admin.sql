-- Administration: disabled accounts, demo accounts, and the audit log of admin actions.
-- A disabled account cannot sign in; its sessions were ended when it was disabled.
alter table users add column disabled_at timestamptz;
--> statement
-- Made by `npm run demo` with a password below the policy: the admin panel warns while one exists.
alter table users add column demo boolean not null default false;
--> statement
-- Who did what, when. The admin's name is copied so the entry survives the admin's deletion.
create table admin_audit (
	id bigserial primary key,
	at timestamptz not null default now(),
	admin_id text references users(id) on delete set null,
	admin_username text not null,
	action text not null,
	target text,
	detail text
);
--> statement
create index admin_audit_at on admin_audit (at desc);
