// The chat's pictures for the lightbox: every shown image of the loaded messages, oldest first.
import type { AttachmentItem } from '$lib/client/state/types';

/** One picture the lightbox can show. */
export interface GalleryImage {
	id: string;
	url: string;
	name?: string;
	width?: number;
	height?: number;
	placeholder?: string;
	thumbUrl?: string;
}

/** Uploaded images (pending ones have no URL yet) of `messages`, in message and attachment order. */
export function galleryImages(messages: readonly { attachments?: readonly AttachmentItem[] }[]): GalleryImage[] {
	const images: GalleryImage[] = [];
	for (const message of messages) {
		for (const a of message.attachments ?? []) {
			if (a.kind !== 'image' || !a.url) continue;
			images.push({
				id: a.id,
				url: a.url,
				name: a.name,
				width: a.width,
				height: a.height,
				placeholder: a.placeholder,
				thumbUrl: a.thumbUrl
			});
		}
	}
	return images;
}

/** The index of `id` moved by `step` (−1 previous, +1 next), or null at either end. */
export function stepIndex(images: readonly GalleryImage[], id: string, step: number): number | null {
	const at = images.findIndex((image) => image.id === id);
	if (at < 0) return null;
	const next = at + step;
	return next >= 0 && next < images.length ? next : null;
}

/** Lay out an album: the box of one picture at most this wide and tall (CSS pixels). */
export const MEDIA_MAX_WIDTH_PX = 320;
export const MEDIA_MAX_HEIGHT_PX = 360;
/** A picture without known dimensions is laid out as a square. */
const UNKNOWN_RATIO = 1;
/** Extreme panoramas and strips are cropped to this aspect range in the bubble (the lightbox shows them whole). */
const MIN_RATIO = 0.4;
const MAX_RATIO = 3;

/** The aspect ratio (width / height) to reserve for a picture in the bubble. */
export function boxRatio(width?: number, height?: number): number {
	if (!width || !height) return UNKNOWN_RATIO;
	return Math.min(MAX_RATIO, Math.max(MIN_RATIO, width / height));
}
