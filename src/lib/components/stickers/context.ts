/**
 * How a sticker in a message finds its image and name, and opens its pack's preview: given by the
 * chat view through Svelte context, so the message list and rows need no sticker props.
 */
import { getContext, setContext } from 'svelte';
import type { ResolvedSticker } from '$lib/client/stickers/library';

/** What `StickerView` asks (the hub's `StickerState` is one). */
export interface StickerResolver {
	resolve(pack: string, id: string): ResolvedSticker;
	/** whether the pack is in my picker already */
	has(pack: string): boolean;
	/** opens the pack's preview ("Add pack") */
	preview(pack: string): void;
}

const KEY = Symbol('parley.stickers');

/** In the chat view: the resolver for every sticker below it. */
export function setStickerContext(resolver: StickerResolver): StickerResolver {
	return setContext(KEY, resolver);
}

/** In a sticker view: the resolver, or undefined outside a chat (the sticker then shows as unavailable). */
export function getStickerContext(): StickerResolver | undefined {
	return getContext<StickerResolver | undefined>(KEY);
}
