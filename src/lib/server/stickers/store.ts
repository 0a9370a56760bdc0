/** The sticker tables (migration 0050): named statements only. */
import type { Queryable } from '../db/index.js';

/** A pack's row, with its owner's display name. */
export interface PackRow {
	id: string;
	owner_id: string;
	owner_name: string;
	title: string;
}

/** A sticker's row. */
export interface StickerRow {
	pack_id: string;
	id: string;
	name: string;
	emoji: string | null;
	sha256: string;
}

const SQL = {
	insertPack: `insert into sticker_packs (id, owner_id, title, created_at) values ($1, $2, $3, $4)`,
	pack: `select p.id, p.owner_id, u.display_name as owner_name, p.title
		from sticker_packs p join users u on u.id = p.owner_id where p.id = $1`,
	// Own packs first (oldest first), then added ones in the order they were added.
	packsOf: `select p.id, p.owner_id, u.display_name as owner_name, p.title from (
			select id, owner_id, title, 0 as source, created_at as at from sticker_packs where owner_id = $1
			union all
			select p.id, p.owner_id, p.title, 1, a.added_at from sticker_pack_adds a join sticker_packs p on p.id = a.pack_id
			where a.user_id = $1 and p.owner_id <> $1
		) p join users u on u.id = p.owner_id order by p.source, p.at, p.id`,
	stickersOf: `select pack_id, id, name, emoji, sha256 from stickers where pack_id = any($1::text[]) order by pack_id, position, id`,
	sticker: `select pack_id, id, name, emoji, sha256 from stickers where pack_id = $1 and id = $2`,
	countOwned: `select count(*)::int as n from sticker_packs where owner_id = $1`,
	countAdded: `select count(*)::int as n from sticker_pack_adds where user_id = $1`,
	// Locks the pack row: two uploads into the same pack count one after the other.
	lockPack: `select id from sticker_packs where id = $1 and owner_id = $2 for update`,
	countStickers: `select count(*)::int as n, coalesce(max(position), 0)::int as last from stickers where pack_id = $1`,
	insertSticker: `insert into stickers (pack_id, id, name, emoji, sha256, size, position, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
	deleteSticker: `delete from stickers where pack_id = $1 and id = $2`,
	deletePack: `delete from sticker_packs where id = $1`,
	isAdded: `select 1 from sticker_pack_adds where user_id = $1 and pack_id = $2`,
	add: `insert into sticker_pack_adds (user_id, pack_id, added_at) values ($1, $2, $3) on conflict do nothing`,
	remove: `delete from sticker_pack_adds where user_id = $1 and pack_id = $2`
};

/** Inserts a pack. */
export async function insertPack(db: Queryable, row: { id: string; ownerId: string; title: string; now: number }): Promise<void> {
	await db.query(SQL.insertPack, [row.id, row.ownerId, row.title, new Date(row.now)]);
}

/** A pack by id, or null. */
export async function packById(db: Queryable, id: string): Promise<PackRow | null> {
	const [row] = await db.query<PackRow>(SQL.pack, [id]);
	return row ?? null;
}

/** A person's own and added packs, in picker order. */
export async function packsOf(db: Queryable, userId: string): Promise<PackRow[]> {
	return db.query<PackRow>(SQL.packsOf, [userId]);
}

/** The stickers of the given packs, in order. */
export async function stickersOf(db: Queryable, packIds: readonly string[]): Promise<StickerRow[]> {
	if (packIds.length === 0) return [];
	return db.query<StickerRow>(SQL.stickersOf, [packIds]);
}

/** One sticker, or null. */
export async function stickerById(db: Queryable, packId: string, id: string): Promise<StickerRow | null> {
	const [row] = await db.query<StickerRow>(SQL.sticker, [packId, id]);
	return row ?? null;
}

/** How many packs `userId` owns / has added. */
export async function countPacks(db: Queryable, userId: string): Promise<{ owned: number; added: number }> {
	const [[owned], [added]] = await Promise.all([
		db.query<{ n: number }>(SQL.countOwned, [userId]),
		db.query<{ n: number }>(SQL.countAdded, [userId])
	]);
	return { owned: owned?.n ?? 0, added: added?.n ?? 0 };
}

/** Locks `packId` if `ownerId` owns it; false otherwise (inside a transaction). */
export async function lockOwnPack(tx: Queryable, packId: string, ownerId: string): Promise<boolean> {
	return (await tx.query(SQL.lockPack, [packId, ownerId])).length > 0;
}

/** How many stickers a pack holds, and the last position used. */
export async function countStickers(tx: Queryable, packId: string): Promise<{ n: number; last: number }> {
	const [row] = await tx.query<{ n: number; last: number }>(SQL.countStickers, [packId]);
	return row ?? { n: 0, last: 0 };
}

/** Inserts a sticker. */
export async function insertSticker(tx: Queryable, row: StickerRow & { size: number; position: number; now: number }): Promise<void> {
	await tx.query(SQL.insertSticker, [row.pack_id, row.id, row.name, row.emoji, row.sha256, row.size, row.position, new Date(row.now)]);
}

/** Deletes a sticker; whether there was one. */
export async function deleteSticker(db: Queryable, packId: string, id: string): Promise<boolean> {
	return (await db.query<{ id: string }>(`${SQL.deleteSticker} returning id`, [packId, id])).length > 0;
}

/** Deletes a pack (its stickers and everyone's adds go with it). */
export async function deletePack(db: Queryable, packId: string): Promise<void> {
	await db.query(SQL.deletePack, [packId]);
}

/** Whether `userId` added `packId`. */
export async function isAdded(db: Queryable, userId: string, packId: string): Promise<boolean> {
	return (await db.query(SQL.isAdded, [userId, packId])).length > 0;
}

/** Adds `packId` to `userId`'s packs (no-op when added already). */
export async function addPack(db: Queryable, userId: string, packId: string, now: number): Promise<void> {
	await db.query(SQL.add, [userId, packId, new Date(now)]);
}

/** Removes `packId` from `userId`'s added packs. */
export async function removeAddedPack(db: Queryable, userId: string, packId: string): Promise<void> {
	await db.query(SQL.remove, [userId, packId]);
}
