/** The sticker API (docs/stickers.md), typed: packs, stickers, adding others' packs. */
import { ApiError, createHttp, readAnswer, type HttpOptions } from './http.js';
import type { StickerInfo, StickerPackInfo } from '$lib/stickers/types';

/** The sticker routes bound to an origin. */
export function createStickerApi(options: HttpOptions) {
	const http = createHttp(options);
	const f = options.fetch ?? globalThis.fetch.bind(globalThis);
	const pack = (id: string) => `/api/stickers/packs/${encodeURIComponent(id)}`;
	return {
		/** GET /api/stickers/packs: built-in, own, added */
		packs: async () => (await http<{ packs: StickerPackInfo[] }>('GET', '/api/stickers/packs')).packs,
		/** GET /api/stickers/packs/:id: any pack (the preview before adding it) */
		pack: async (id: string) => (await http<{ pack: StickerPackInfo }>('GET', pack(id))).pack,
		/** POST /api/stickers/packs {title} */
		createPack: async (title: string) => (await http<{ pack: StickerPackInfo }>('POST', '/api/stickers/packs', { title })).pack,
		/** DELETE /api/stickers/packs/:id (own packs) */
		deletePack: (id: string) => http<void>('DELETE', pack(id)),
		/** PUT /api/stickers/packs/:id/added: into my picker */
		addPack: async (id: string) => (await http<{ pack: StickerPackInfo }>('PUT', `${pack(id)}/added`)).pack,
		/** DELETE /api/stickers/packs/:id/added: out of my picker */
		removePack: (id: string) => http<void>('DELETE', `${pack(id)}/added`),
		/** POST /api/stickers/packs/:id/stickers (multipart: the image, its name, an emoji) */
		addSticker: async (packId: string, image: Blob, fields: { name: string; emoji?: string }): Promise<StickerInfo> => {
			const form = new FormData();
			form.set('name', fields.name);
			if (fields.emoji) form.set('emoji', fields.emoji);
			form.set('file', image, 'sticker.webp');
			let res: Response;
			try {
				res = await f(new URL(`${pack(packId)}/stickers`, options.origin), { method: 'POST', credentials: 'same-origin', body: form });
			} catch (error) {
				throw new ApiError(0, 'unreachable', error instanceof Error ? error.message : String(error));
			}
			return (await readAnswer<{ sticker: StickerInfo }>(res)).sticker;
		},
		/** DELETE /api/stickers/packs/:id/stickers/:sticker */
		removeSticker: (packId: string, id: string) => http<void>('DELETE', `${pack(packId)}/stickers/${encodeURIComponent(id)}`)
	};
}

export type StickerApi = ReturnType<typeof createStickerApi>;
