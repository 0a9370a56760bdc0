/**
 * The person's stickers on this device, without Svelte (tested in Node): their packs (own and
 * added) cached in the user's key-value store so the picker works offline, packs seen in chats
 * looked up once each (name = alt text; a pack not in the picker can be previewed and added),
 * and the calls that change packs. The built-in pack comes from the shared manifest, never the
 * network. `src/lib/client/state/stickers.svelte.ts` mirrors it into runes.
 */
import { ObservableV2 } from 'lib0/observable';
import type { KeyValueStore } from '../storage/types.js';
import type { StickerApi } from '../api/stickers.js';
import { BUILTIN_PACK_ID, BUILTIN_PACK_TITLE, BUILTIN_STICKERS, builtinSticker, localized } from '$lib/stickers/builtin';
import { stickerUrl, type StickerPackInfo } from '$lib/stickers/types';

/** Library limits, named. */
export const STICKER_LIBRARY_LIMITS = {
	/** packs seen in chats kept in memory and on the device (the oldest looked up goes first) */
	seenPacksMax: 200
} as const;

/** The key of the cached picker in the user's key-value store (wiped at sign-out with the rest). */
export const PACKS_KEY = 'stickers.packs';
/** The prefix of cached packs seen in chats. */
export const SEEN_PREFIX = 'stickers.seen.';

/** How a sticker named in an envelope is shown. */
export type ResolvedSticker =
	| { status: 'ready'; url: string; name: string }
	/** its pack is being looked up: the image can show, its name not yet */
	| { status: 'loading'; url: string }
	/** unknown pack or sticker (deleted, or never existed) */
	| { status: 'unavailable' };

type Seen = StickerPackInfo | 'missing';

/** What the library needs: the API and the user's key-value store. */
export interface StickerLibraryOptions {
	api: Pick<StickerApi, 'packs' | 'pack' | 'createPack' | 'addPack' | 'removePack' | 'addSticker' | 'deletePack'>;
	kv: KeyValueStore;
	/** the reader's language (names of the built-in pack) */
	locale: () => string;
}

export class StickerLibrary extends ObservableV2<{ change: () => void }> {
	readonly #options: StickerLibraryOptions;
	#packs: StickerPackInfo[] = [];
	#seen = new Map<string, Seen>();
	#lookups = new Map<string, Promise<void>>();
	#loaded: Promise<void> | null = null;

	constructor(options: StickerLibraryOptions) {
		super();
		this.#options = options;
	}

	/** The built-in pack, in the reader's language. */
	get builtin(): StickerPackInfo {
		const locale = this.#options.locale();
		return {
			id: BUILTIN_PACK_ID,
			title: localized(BUILTIN_PACK_TITLE, locale),
			builtin: true,
			owner: null,
			own: false,
			added: true,
			stickers: BUILTIN_STICKERS.map((s) => ({
				id: s.id,
				name: localized(s.name, locale),
				emoji: s.emoji,
				url: stickerUrl(BUILTIN_PACK_ID, s.id)
			}))
		};
	}

	/** The picker's packs: built-in, own, added. */
	get packs(): StickerPackInfo[] {
		return [this.builtin, ...this.#packs];
	}

	/** The person's own packs (where new stickers go). */
	get ownPacks(): StickerPackInfo[] {
		return this.#packs.filter((p) => p.own);
	}

	/** Loads the cached picker, then asks the server (once; call `refresh` for more). Never rejects. */
	load(): Promise<void> {
		return (this.#loaded ??= this.#load());
	}

	async #load(): Promise<void> {
		const kv = this.#options.kv;
		const cached = await kv.get<StickerPackInfo[]>(PACKS_KEY).catch(() => undefined);
		if (Array.isArray(cached) && this.#packs.length === 0) this.#set(cached, false);
		for (const [key, pack] of await kv.entries<StickerPackInfo>(SEEN_PREFIX).catch(() => []))
			if (!this.#seen.has(key.slice(SEEN_PREFIX.length))) this.#seen.set(key.slice(SEEN_PREFIX.length), pack);
		this.emit('change', []);
		await this.refresh().catch(() => {});
	}

	/** Asks the server for the picker's packs (rejects when it cannot be reached). */
	async refresh(): Promise<void> {
		const packs = await this.#options.api.packs();
		this.#set(
			packs.filter((p) => !p.builtin),
			true
		);
	}

	/** Whether `packId` is in the picker. */
	has(packId: string): boolean {
		return packId === BUILTIN_PACK_ID || this.#packs.some((p) => p.id === packId);
	}

	/** How to show sticker `id` of `packId`; an unknown pack is looked up (once) and `change` fires when it is known. */
	resolve(packId: string, id: string): ResolvedSticker {
		if (packId === BUILTIN_PACK_ID) {
			const sticker = builtinSticker(id);
			return sticker
				? { status: 'ready', url: stickerUrl(packId, id), name: localized(sticker.name, this.#options.locale()) }
				: { status: 'unavailable' };
		}
		const pack = this.#packs.find((p) => p.id === packId) ?? this.#seen.get(packId);
		if (pack === 'missing') return { status: 'unavailable' };
		const sticker = pack?.stickers.find((s) => s.id === id);
		if (sticker) return { status: 'ready', url: sticker.url, name: sticker.name };
		// Not known (yet): a pack not looked up, or a sticker added after it was; the image may still show.
		if (!this.#lookups.has(packId)) void this.lookUp(packId).catch(() => {});
		if (pack && this.#lookups.get(packId) === DONE) return { status: 'unavailable' };
		return { status: 'loading', url: stickerUrl(packId, id) };
	}

	/** Any pack by id, for the preview (from the picker or the server); rejects offline or when it does not exist. */
	async pack(packId: string): Promise<StickerPackInfo> {
		if (packId === BUILTIN_PACK_ID) return this.builtin;
		const mine = this.#packs.find((p) => p.id === packId);
		if (mine) return mine;
		await this.lookUp(packId, true);
		const seen = this.#seen.get(packId);
		if (!seen || seen === 'missing') throw new Error('no such sticker pack');
		return seen;
	}

	/** Looks a pack up on the server (deduplicated; `again`: even if it was looked up before). */
	lookUp(packId: string, again = false): Promise<void> {
		const running = this.#lookups.get(packId);
		if (running && !(again && running === DONE)) return running;
		const lookup = this.#options.api
			.pack(packId)
			.then(
				(pack) => this.#remember(packId, pack),
				(error: { status?: number }) => {
					if (error.status === 404) this.#remember(packId, 'missing');
					// unreachable: try again on the next resolve
					else this.#lookups.delete(packId);
					if (error.status !== 404) throw error;
				}
			)
			.then(() => void this.#lookups.set(packId, DONE));
		this.#lookups.set(packId, lookup);
		return lookup;
	}

	/** Adds someone's pack to the picker. */
	async addPack(packId: string): Promise<void> {
		const pack = await this.#options.api.addPack(packId);
		if (!this.has(packId)) this.#set([...this.#packs, pack], true);
	}

	/** Takes an added pack out of the picker (own packs are deleted instead). */
	async removePack(packId: string): Promise<void> {
		const pack = this.#packs.find((p) => p.id === packId);
		if (pack?.own) await this.#options.api.deletePack(packId);
		else await this.#options.api.removePack(packId);
		this.#set(
			this.#packs.filter((p) => p.id !== packId),
			true
		);
	}

	/** Makes a sticker from `image` (a 512 px WebP made on this device) in pack `packId`, or in a new pack titled `newPackTitle`. */
	async addSticker(
		target: { packId: string } | { newPackTitle: string },
		image: Blob,
		name: string
	): Promise<{ packId: string; id: string }> {
		let packId: string;
		if ('packId' in target) packId = target.packId;
		else {
			const pack = await this.#options.api.createPack(target.newPackTitle);
			this.#set([...this.#packs, pack], true);
			packId = pack.id;
		}
		const sticker = await this.#options.api.addSticker(packId, image, { name });
		this.#set(
			this.#packs.map((p) => (p.id === packId ? { ...p, stickers: [...p.stickers, sticker] } : p)),
			true
		);
		return { packId, id: sticker.id };
	}

	#set(packs: StickerPackInfo[], save: boolean): void {
		this.#packs = packs;
		if (save) void this.#options.kv.set(PACKS_KEY, packs).catch(() => {});
		this.emit('change', []);
	}

	#remember(packId: string, pack: Seen): void {
		// one of mine that changed elsewhere (a sticker added on another device): the picker follows
		if (pack !== 'missing' && this.has(packId) && packId !== BUILTIN_PACK_ID)
			this.#set(
				this.#packs.map((p) => (p.id === packId ? pack : p)),
				true
			);
		this.#seen.delete(packId);
		this.#seen.set(packId, pack);
		const kv = this.#options.kv;
		if (pack !== 'missing') void kv.set(SEEN_PREFIX + packId, pack).catch(() => {});
		else void kv.delete(SEEN_PREFIX + packId).catch(() => {});
		// Bounded: the oldest looked-up pack goes first (a Map keeps insertion order).
		for (const oldest of this.#seen.keys()) {
			if (this.#seen.size <= STICKER_LIBRARY_LIMITS.seenPacksMax) break;
			this.#seen.delete(oldest);
			void kv.delete(SEEN_PREFIX + oldest).catch(() => {});
		}
		this.emit('change', []);
	}
}

/** A finished lookup (so a sticker still missing from a known pack shows as unavailable). */
const DONE: Promise<void> = Promise.resolve();
