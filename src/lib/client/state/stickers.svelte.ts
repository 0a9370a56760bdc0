/**
 * Stickers as runes state: the picker's packs, how a sticker in a message is shown, the pack
 * preview a received sticker opens, and the calls that change packs. A thin layer over
 * `StickerLibrary` (src/lib/client/stickers/library.ts), which holds the logic.
 */
import { getLocale } from '../../i18n/paraglide/runtime.js';
import type { StickerApi } from '../api/stickers.js';
import type { KeyValueStore } from '../storage/types.js';
import { StickerLibrary, type ResolvedSticker } from '../stickers/library.js';
import type { StickerPackInfo } from '$lib/stickers/types';

export class StickerState {
	readonly #library: StickerLibrary;
	/** bumped on every library change: getters read it so views follow */
	#version = $state(0);
	#previewing = $state<string | null>(null);

	constructor(options: { api: StickerApi; kv: KeyValueStore }) {
		this.#library = new StickerLibrary({ ...options, locale: getLocale });
		this.#library.on('change', () => this.#version++);
	}

	/** Loads the cached packs, then the server's (call when the picker or a chat opens). */
	load(): Promise<void> {
		return this.#library.load();
	}

	/** Built-in, own and added packs. */
	get packs(): StickerPackInfo[] {
		void this.#version;
		return this.#library.packs;
	}

	/** Own packs (where new stickers go). */
	get ownPacks(): StickerPackInfo[] {
		void this.#version;
		return this.#library.ownPacks;
	}

	/** How to show a sticker named in a message. */
	resolve(pack: string, id: string): ResolvedSticker {
		void this.#version;
		return this.#library.resolve(pack, id);
	}

	/** Whether `pack` is in my picker. */
	has(pack: string): boolean {
		void this.#version;
		return this.#library.has(pack);
	}

	/** The pack whose preview is open (a received sticker was clicked), or null. */
	get previewing(): string | null {
		return this.#previewing;
	}

	/** Opens the preview of `pack`. */
	preview(pack: string): void {
		this.#previewing = pack;
	}

	/** Closes the preview. */
	closePreview(): void {
		this.#previewing = null;
	}

	/** Any pack by id (rejects offline or when there is none). */
	pack(id: string): Promise<StickerPackInfo> {
		return this.#library.pack(id);
	}

	/** Adds someone's pack to my picker. */
	addPack(id: string): Promise<void> {
		return this.#library.addPack(id);
	}

	/** Removes a pack from my picker (deletes it when it is mine). */
	removePack(id: string): Promise<void> {
		return this.#library.removePack(id);
	}

	/** Uploads a sticker made on this device into one of my packs, or a new one. */
	addSticker(target: { packId: string } | { newPackTitle: string }, image: Blob, name: string): Promise<{ packId: string; id: string }> {
		return this.#library.addSticker(target, image, name);
	}
}
