/** The sticker API's shapes (docs/stickers.md), shared by the server that answers and the client that reads. */
import { BUILTIN_PACK_ID, builtinStickerUrl } from './builtin.js';

/** One sticker of a pack. */
export interface StickerInfo {
	id: string;
	/** what the sticker says: the image's alt text */
	name: string;
	emoji?: string;
	/** where its image is served */
	url: string;
}

/** A pack as `GET /api/stickers/packs[/<id>]` answers it. */
export interface StickerPackInfo {
	id: string;
	title: string;
	/** the built-in pack (static files, names in every language in src/lib/stickers/builtin.ts) */
	builtin?: true;
	/** null for the built-in pack */
	owner: { id: string; displayName: string } | null;
	/** the caller made it */
	own: boolean;
	/** the caller has it in their picker (own, added, or the built-in) */
	added: boolean;
	stickers: StickerInfo[];
}

/** Where the image of sticker `id` of `pack` is served: a static file for the built-in pack, the API for the rest. */
export function stickerUrl(pack: string, id: string): string {
	return pack === BUILTIN_PACK_ID ? builtinStickerUrl(id) : `/api/stickers/${encodeURIComponent(pack)}/${encodeURIComponent(id)}`;
}
