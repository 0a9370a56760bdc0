/**
 * Personal sticker packs (docs/stickers.md): create, list, view, delete; add and remove stickers
 * (images re-encoded by sharp, stored in the uploads blob store so backups carry them); add a
 * pack someone else made to one's own picker. The built-in pack is static files, listed here.
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Runtime } from '../runtime.js';
import { ApiError, fieldError, invalidInput } from '../http-errors.js';
import { randomId } from '../ids.js';
import { fileBytes, readForm } from '../accounts/upload.js';
import { blobStoreOf } from '../uploads/service.js';
import { useBlobs } from '../uploads/store.js';
import { BUILTIN_PACK_ID, BUILTIN_PACK_TITLE, BUILTIN_STICKERS } from '$lib/stickers/builtin';
import { stickerUrl, type StickerInfo, type StickerPackInfo } from '$lib/stickers/types';
import { toStickerWebp } from './image.js';
import { stickerFieldsSchema } from './schemas.js';
import * as store from './store.js';

/** What the sticker services need. */
export type StickerDeps = Pick<Runtime, 'db' | 'config' | 'now' | 'imageWork'>;

/** Multipart framing and the two text fields allowed on top of the image. */
const MULTIPART_OVERHEAD_BYTES = 16 * 1024;

const noSuchPack = () => new ApiError(404, 'not_found', 'No such sticker pack');
const notOwner = () => new ApiError(403, 'forbidden', 'Only the pack’s owner may change it');
const limitReached = (what: string, max: number) => new ApiError(409, 'limit_reached', `${what}: at most ${max}`);

/** The built-in pack, with its English names (the app shows them in the reader's language). */
export function builtinPack(): StickerPackInfo {
	return {
		id: BUILTIN_PACK_ID,
		title: BUILTIN_PACK_TITLE.en,
		builtin: true,
		owner: null,
		own: false,
		added: true,
		stickers: BUILTIN_STICKERS.map((s) => ({ id: s.id, name: s.name.en, emoji: s.emoji, url: stickerUrl(BUILTIN_PACK_ID, s.id) }))
	};
}

function stickerInfo(row: store.StickerRow): StickerInfo {
	return { id: row.id, name: row.name, ...(row.emoji ? { emoji: row.emoji } : {}), url: stickerUrl(row.pack_id, row.id) };
}

function packInfo(row: store.PackRow, stickers: store.StickerRow[], userId: string, added: boolean): StickerPackInfo {
	return {
		id: row.id,
		title: row.title,
		owner: { id: row.owner_id, displayName: row.owner_name },
		own: row.owner_id === userId,
		added: row.owner_id === userId || added,
		stickers: stickers.filter((s) => s.pack_id === row.id).map(stickerInfo)
	};
}

/** The caller's picker: the built-in pack, their own packs, then the packs they added. */
export async function listPacks(deps: Pick<StickerDeps, 'db'>, userId: string): Promise<StickerPackInfo[]> {
	const rows = await store.packsOf(deps.db, userId);
	const stickers = await store.stickersOf(
		deps.db,
		rows.map((r) => r.id)
	);
	return [builtinPack(), ...rows.map((row) => packInfo(row, stickers, userId, true))];
}

/** Any pack by id (a recipient previews a pack before adding it); 404 when there is none. */
export async function viewPack(deps: Pick<StickerDeps, 'db'>, userId: string, packId: string): Promise<StickerPackInfo> {
	if (packId === BUILTIN_PACK_ID) return builtinPack();
	const row = await store.packById(deps.db, packId);
	if (!row) throw noSuchPack();
	const [stickers, added] = await Promise.all([store.stickersOf(deps.db, [packId]), store.isAdded(deps.db, userId, packId)]);
	return packInfo(row, stickers, userId, added);
}

/** Creates an empty pack of the caller's; 409 past `stickerPacksPerUserMax`. */
export async function createPack(
	deps: Pick<StickerDeps, 'db' | 'config' | 'now'>,
	userId: string,
	title: string
): Promise<StickerPackInfo> {
	const max = deps.config.limits.stickerPacksPerUserMax;
	// Counted before the insert: a race between two creations may pass the cap by one, which costs nothing.
	if ((await store.countPacks(deps.db, userId)).owned >= max) throw limitReached('sticker packs', max);
	const id = randomId();
	await store.insertPack(deps.db, { id, ownerId: userId, title, now: deps.now() });
	return viewPack(deps, userId, id);
}

/** The pack if the caller owns it: 404 unknown, 403 someone else's. */
async function ownPack(deps: Pick<StickerDeps, 'db'>, userId: string, packId: string): Promise<store.PackRow> {
	const row = packId === BUILTIN_PACK_ID ? null : await store.packById(deps.db, packId);
	if (!row) throw noSuchPack();
	if (row.owner_id !== userId) throw notOwner();
	return row;
}

/** Deletes one of the caller's packs (gone from everyone who added it; sent stickers show as unavailable). */
export async function deletePack(deps: Pick<StickerDeps, 'db'>, userId: string, packId: string): Promise<void> {
	await ownPack(deps, userId, packId);
	await store.deletePack(deps.db, packId);
}

/** Reads the multipart form: the `file` and the text fields; 413 past `stickerMaxBytes`. */
async function readStickerForm(request: Request, maxBytes: number): Promise<{ bytes: Uint8Array; fields: Record<string, string> }> {
	const tooLarge = () => fieldError('file', `at most ${maxBytes} bytes`, 'too_large', 413);
	if (Number(request.headers.get('content-length') ?? '0') > maxBytes + MULTIPART_OVERHEAD_BYTES) throw tooLarge();
	if (!/^multipart\/form-data/i.test(request.headers.get('content-type') ?? ''))
		throw new ApiError(400, 'invalid_input', 'Send multipart/form-data with a `file` part');
	const form = await readForm(request, tooLarge);
	const bytes = await fileBytes(form.get('file'), maxBytes, tooLarge);
	if (!bytes) throw fieldError('file', 'attach an image');
	const fields: Record<string, string> = {};
	for (const key of ['name', 'emoji']) {
		const value = form.get(key);
		if (typeof value === 'string' && value !== '') fields[key] = value;
	}
	return { bytes, fields };
}

/**
 * Adds a sticker to one of the caller's packs: multipart `file` (an image), `name` (its alt
 * text) and optional `emoji`. Ownership is checked before the image is converted.
 */
export async function addSticker(deps: StickerDeps, userId: string, packId: string, request: Request): Promise<StickerInfo> {
	const limits = deps.config.limits;
	await ownPack(deps, userId, packId);
	const form = await readStickerForm(request, limits.stickerMaxBytes);
	const parsed = stickerFieldsSchema(limits).safeParse(form.fields);
	if (!parsed.success) throw invalidInput(parsed.error);
	const webp = await toStickerWebp(form.bytes, limits, deps.imageWork, userId);
	const sha256 = createHash('sha256').update(webp).digest('hex');
	const blobs = blobStoreOf(deps.config);
	const temp = await blobs.writeTemp(webp);
	const id = randomId();
	const now = deps.now();
	try {
		await deps.db.transaction(async (tx) => {
			if (!(await store.lockOwnPack(tx, packId, userId))) throw noSuchPack();
			const { n, last } = await store.countStickers(tx, packId);
			if (n >= limits.stickersPerPackMax) throw limitReached('stickers in a pack', limits.stickersPerPackMax);
			// The blob row first (held until commit): the sweeper then either finished (we put the
			// bytes back) or waits and finds them in use, as with uploads (docs/uploads.md).
			await useBlobs(tx, [{ sha256, size: webp.byteLength }], now);
			await store.insertSticker(tx, {
				pack_id: packId,
				id,
				name: parsed.data.name,
				emoji: parsed.data.emoji ?? null,
				sha256,
				size: webp.byteLength,
				position: last + 1,
				now
			});
			await blobs.place(temp, sha256);
		});
	} finally {
		await rm(temp, { force: true });
	}
	return { id, name: parsed.data.name, ...(parsed.data.emoji ? { emoji: parsed.data.emoji } : {}), url: stickerUrl(packId, id) };
}

/** Removes a sticker from one of the caller's packs (its bytes go with the next sweep when nothing else uses them). */
export async function removeSticker(deps: Pick<StickerDeps, 'db'>, userId: string, packId: string, stickerId: string): Promise<void> {
	await ownPack(deps, userId, packId);
	if (!(await store.deleteSticker(deps.db, packId, stickerId))) throw new ApiError(404, 'not_found', 'No such sticker');
}

/** Puts someone's pack into the caller's picker (one's own and the built-in are there already). */
export async function addPackToMine(
	deps: Pick<StickerDeps, 'db' | 'config' | 'now'>,
	userId: string,
	packId: string
): Promise<StickerPackInfo> {
	const pack = await viewPack(deps, userId, packId);
	if (pack.added) return pack;
	const max = deps.config.limits.stickerAddedPacksPerUserMax;
	if ((await store.countPacks(deps.db, userId)).added >= max) throw limitReached('added sticker packs', max);
	await store.addPack(deps.db, userId, packId, deps.now());
	return { ...pack, added: true };
}

/** Takes an added pack out of the caller's picker (no-op when it was not there; one's own packs are deleted instead). */
export async function removePackFromMine(deps: Pick<StickerDeps, 'db'>, userId: string, packId: string): Promise<void> {
	if (packId === BUILTIN_PACK_ID) throw new ApiError(400, 'invalid_input', 'The built-in pack stays');
	await store.removeAddedPack(deps.db, userId, packId);
}
