/** The audit log of admin actions: who did what to what, when. Written by every admin action. */
import type { Queryable } from '../db/types.js';

export interface AuditEntry {
	id: string;
	at: string;
	adminId: string | null;
	adminUsername: string;
	action: string;
	target: string | null;
	detail: string | null;
}

// `order by admin_audit.id`, not `id`: the output column `id` is text, and sorting it put entry 9
// before entry 10 (newest-first broke at the tenth action).
const SQL = {
	insert: `insert into admin_audit (at, admin_id, admin_username, action, target, detail) values ($1, $2, $3, $4, $5, $6)`,
	page: `select id::text as id, at, admin_id, admin_username, action, target, detail from admin_audit
		where ($1::bigint is null or admin_audit.id < $1::bigint) order by admin_audit.id desc limit $2`
};

/** Records one action; `admin` is who did it. */
export async function audit(
	db: Queryable,
	entry: { admin: { id: string | null; username: string }; action: string; target?: string | null; detail?: string | null; now: number }
): Promise<void> {
	await db.query(SQL.insert, [
		new Date(entry.now),
		entry.admin.id,
		entry.admin.username,
		entry.action,
		entry.target ?? null,
		entry.detail ?? null
	]);
}

/** Newest first; `before` pages back by id. */
export async function auditPage(db: Queryable, options: { before?: string; limit: number }): Promise<AuditEntry[]> {
	const rows = await db.query<{
		id: string;
		at: Date | string;
		admin_id: string | null;
		admin_username: string;
		action: string;
		target: string | null;
		detail: string | null;
	}>(SQL.page, [options.before ?? null, options.limit]);
	return rows.map((row) => ({
		id: row.id,
		at: new Date(row.at).toISOString(),
		adminId: row.admin_id,
		adminUsername: row.admin_username,
		action: row.action,
		target: row.target,
		detail: row.detail
	}));
}
