/** The relay's storage in PostgreSQL (embedded or real): snapshot + append-only log per document. */
import type { Db } from '$lib/server/db';
import type { AppendItem, DocStorage, SqlStep, StoredDoc } from './storage.js';

const SQL = {
	snapshot: `select state from doc_snapshots where doc_name = $1`,
	// Order by the column, not the text alias (which would sort '10' before '9').
	log: `select id::text as id, update from doc_updates where doc_name = $1 order by doc_updates.id`,
	clients: `select client_id::text as client_id, user_id from doc_clients where doc_name = $1`,
	// Arrays of names and updates, unnested in order: one statement however large the batch.
	appendUpdates: `insert into doc_updates (doc_name, update) select * from unnest($1::text[], $2::bytea[])`,
	bindClients: `insert into doc_clients (doc_name, client_id, user_id)
		select * from unnest($1::text[], $2::bigint[], $3::text[]) on conflict do nothing`,
	// Serialises compactions of one document across processes (released at commit).
	lockDoc: `select pg_advisory_xact_lock(hashtext('parley.doc:' || $1))`,
	upsertSnapshot: `insert into doc_snapshots (doc_name, state, updated_at) values ($1, $2, now())
		on conflict (doc_name) do update set state = excluded.state, updated_at = now()`,
	deleteRows: `delete from doc_updates where id = any($1::bigint[])`,
	deleteDoc: [
		`delete from doc_updates where doc_name = $1`,
		`delete from doc_snapshots where doc_name = $1`,
		`delete from doc_clients where doc_name = $1`,
		`delete from messages where doc_name = $1`
	]
};

/**
 * Joins data-modifying statements into one (`with s0 as (…), s1 as (…) select 1`), renumbering
 * their parameters: one round trip, and atomic without BEGIN/COMMIT. The statements share one
 * snapshot, so none may depend on another's rows.
 */
export function combineSteps(steps: readonly SqlStep[]): SqlStep {
	const params: unknown[] = [];
	const parts = steps.map((step, i) => {
		const offset = params.length;
		params.push(...step.params);
		return `s${i} as (${step.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
	});
	return { sql: `with ${parts.join(', ')} select 1`, params };
}

/** Bytes as the driver returns them (pg: Buffer), as a plain Uint8Array view. */
const bytes = (value: unknown) => (value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer));

/** Storage on the process's database. */
export class SqlStorage implements DocStorage {
	constructor(private readonly db: Db) {}

	async load(docName: string): Promise<StoredDoc> {
		// One transaction, so a compaction committing in between cannot make us miss or double rows.
		return this.db.transaction(async (tx) => {
			const [snapshot] = await tx.query<{ state: Uint8Array }>(SQL.snapshot, [docName]);
			const log = await tx.query<{ id: string; update: Uint8Array }>(SQL.log, [docName]);
			const clients = await tx.query<{ client_id: string; user_id: string }>(SQL.clients, [docName]);
			return {
				updates: [...(snapshot ? [bytes(snapshot.state)] : []), ...log.map((row) => bytes(row.update))],
				clients: new Map(clients.map((row) => [Number(row.client_id), row.user_id])),
				logLength: log.length
			};
		});
	}

	async append(items: readonly AppendItem[], extra: readonly SqlStep[] = []): Promise<void> {
		if (items.length === 0) return;
		const bindings = items.flatMap((item) => item.bindings.map(([clientId, userId]) => [item.docName, clientId, userId] as const));
		const steps: SqlStep[] = [{ sql: SQL.appendUpdates, params: [items.map((i) => i.docName), items.map((i) => i.update)] }];
		if (bindings.length)
			steps.push({
				sql: SQL.bindClients,
				params: [bindings.map((b) => b[0]), bindings.map((b) => String(b[1])), bindings.map((b) => b[2])]
			});
		steps.push(...extra);
		const { sql, params } = steps.length === 1 ? steps[0]! : combineSteps(steps);
		await this.db.query(sql, params);
	}

	async compact(docName: string, merge: (updates: Uint8Array[]) => Uint8Array): Promise<number> {
		return this.db.transaction(async (tx) => {
			await tx.query(SQL.lockDoc, [docName]);
			const [snapshot] = await tx.query<{ state: Uint8Array }>(SQL.snapshot, [docName]);
			const log = await tx.query<{ id: string; update: Uint8Array }>(SQL.log, [docName]);
			if (log.length === 0) return 0;
			const state = merge([...(snapshot ? [bytes(snapshot.state)] : []), ...log.map((row) => bytes(row.update))]);
			await tx.query(SQL.upsertSnapshot, [docName, state]);
			// Only the rows read above: rows that another writer committed meanwhile stay in the log.
			await tx.query(SQL.deleteRows, [log.map((row) => row.id)]);
			return log.length;
		});
	}

	async delete(docName: string): Promise<void> {
		await this.db.transaction(async (tx) => {
			// Under the compaction lock: a compaction that read the log before us must not write
			// its snapshot back after the document is gone.
			await tx.query(SQL.lockDoc, [docName]);
			for (const statement of SQL.deleteDoc) await tx.query(statement, [docName]);
		});
	}
}
