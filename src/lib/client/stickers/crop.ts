/**
 * The sticker maker's square crop (pure math, tested in Node) and the browser's resize to a
 * 512 px WebP: `createImageBitmap` crops and scales in one step, `OffscreenCanvas.convertToBlob`
 * encodes (CLIENT-NOTES, "Media in the browser").
 */

/** The maker's limits, named. */
export const CROP_LIMITS = {
	/** side of the sticker made (px): what the server keeps at most */
	outputPx: 512,
	/** closest zoom: the crop's side is the image's short side divided by this */
	maxZoom: 4,
	/** WebP quality: drawings and photos both look clean at this size */
	quality: 0.9,
	/** one arrow key press moves the crop by this share of its side */
	keyStep: 0.05
} as const;

/** Where the square crop is: its centre in image pixels, and the zoom (1 = the short side). */
export interface Crop {
	cx: number;
	cy: number;
	zoom: number;
}

/** The crop's square in image pixels. */
export interface CropRect {
	x: number;
	y: number;
	side: number;
}

/** The starting crop: centred, the largest square. */
export function initialCrop(width: number, height: number): Crop {
	return { cx: width / 2, cy: height / 2, zoom: 1 };
}

/** The crop's square, kept inside the image (its centre is moved in when it would leave it). */
export function cropRect(width: number, height: number, crop: Crop): CropRect {
	const zoom = Math.min(Math.max(crop.zoom, 1), CROP_LIMITS.maxZoom);
	const side = Math.min(width, height) / zoom;
	const x = Math.min(Math.max(crop.cx - side / 2, 0), width - side);
	const y = Math.min(Math.max(crop.cy - side / 2, 0), height - side);
	return { x, y, side };
}

/** The crop moved by (dx, dy) image pixels and clamped, so a drag past the edge stops there. */
export function moveCrop(width: number, height: number, crop: Crop, dx: number, dy: number): Crop {
	const rect = cropRect(width, height, { ...crop, cx: crop.cx + dx, cy: crop.cy + dy });
	return { ...crop, cx: rect.x + rect.side / 2, cy: rect.y + rect.side / 2 };
}

/** The crop at another zoom, around the same centre. */
export function zoomCrop(width: number, height: number, crop: Crop, zoom: number): Crop {
	const next = { ...crop, zoom: Math.min(Math.max(zoom, 1), CROP_LIMITS.maxZoom) };
	return moveCrop(width, height, next, 0, 0);
}

/** Crops `image` and resizes it to a `CROP_LIMITS.outputPx` square WebP (up or down) (PNG where WebP encoding is missing: the server re-encodes either). */
export async function renderSticker(image: Blob, width: number, height: number, crop: Crop): Promise<Blob> {
	const rect = cropRect(width, height, crop);
	// Always the full size: a small crop is scaled up, as the picker and messages show 512 px anyway.
	const size = CROP_LIMITS.outputPx;
	const bitmap = await createImageBitmap(image, Math.round(rect.x), Math.round(rect.y), Math.round(rect.side), Math.round(rect.side), {
		resizeWidth: size,
		resizeHeight: size,
		resizeQuality: 'high'
	});
	try {
		const canvas = new OffscreenCanvas(size, size);
		canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
		const webp = await canvas.convertToBlob({ type: 'image/webp', quality: CROP_LIMITS.quality });
		return webp.type === 'image/webp' ? webp : await canvas.convertToBlob({ type: 'image/png' });
	} finally {
		bitmap.close();
	}
}
