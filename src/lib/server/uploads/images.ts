/**
 * What is served of an image: re-encoded by sharp, so no EXIF, GPS or other metadata survives,
 * with the EXIF orientation applied first; animated GIF and WebP stay animated. Also its
 * thumbnail and a tiny placeholder. Decoding is capped in pixels (decompression bombs).
 */
import sharp, { type Sharp } from 'sharp';
import { ApiError } from '../http-errors.js';
import { decodeBmpFile } from './bmp.js';

/** Limits the conversion obeys (named in config.ts). */
export interface ImageLimits {
	uploadMaxImagePixels: number;
	uploadThumbSizePx: number;
	uploadPlaceholderSizePx: number;
}

/** The served image and what the chat shows before it. */
export interface ProcessedImage {
	bytes: Buffer;
	mime: string;
	width: number;
	height: number;
	thumb: Buffer;
	/** `data:image/webp;base64,…` */
	placeholder: string;
}

/** Re-encoding quality: visually lossless for photos, and it drops metadata. */
const JPEG_QUALITY = 88;
const WEBP_QUALITY = 88;
/** AVIF encodes slowly: a low effort keeps a 12 MP photo within seconds. */
const AVIF = { quality: 60, effort: 2 } as const;
const THUMB_QUALITY = 70;
const PLACEHOLDER_QUALITY = 40;

const pixelBomb = (max: number) => new ApiError(413, 'too_large', `image: more than ${max} pixels`);
const undecodable = () => new ApiError(415, 'unsupported_type', 'file: the image could not be decoded');

/** Encodes into the served format (the input's, BMP as PNG). */
function encode(image: Sharp, mime: string): Sharp {
	switch (mime) {
		case 'image/jpeg':
			return image.jpeg({ quality: JPEG_QUALITY });
		case 'image/webp':
			return image.webp({ quality: WEBP_QUALITY });
		case 'image/gif':
			return image.gif();
		case 'image/avif':
			return image.avif(AVIF);
		default:
			return image.png();
	}
}

/** Processes the image at `filePath` (`mime` as detected; `bmp`: decode it ourselves first). */
export async function processImage(filePath: string, mime: string, bmp: boolean, limits: ImageLimits): Promise<ProcessedImage> {
	const limitInputPixels = limits.uploadMaxImagePixels;
	let input: () => Sharp;
	if (bmp) {
		let raw;
		try {
			// Off the event loop: a worker thread reads and decodes it (bmp.ts).
			raw = await decodeBmpFile(filePath, limitInputPixels);
		} catch (error) {
			if (error instanceof RangeError) throw pixelBomb(limitInputPixels);
			throw undecodable();
		}
		if (!raw) throw undecodable();
		const { data, width, height, channels } = raw;
		input = () => sharp(data, { raw: { width, height, channels } });
	} else {
		const animated = mime === 'image/gif' || mime === 'image/webp';
		input = () => sharp(filePath, { limitInputPixels, animated, failOn: 'error' });
	}
	try {
		const meta = await input().metadata();
		const frames = meta.pages ?? 1;
		const frameHeight = meta.pageHeight ?? meta.height;
		// sharp checks the limit per decode; checked here too so all frames of an animation count
		if (meta.width * meta.height > limitInputPixels) throw pixelBomb(limitInputPixels);
		const bytes = await encode(input().rotate(), mime).toBuffer();
		// width/height after orientation (a portrait photo stored sideways reports swapped sizes)
		const turned = frames === 1 && (meta.orientation ?? 1) >= 5;
		const width = turned ? frameHeight : meta.width;
		const height = turned ? meta.width : frameHeight;
		const still = () => (bmp ? input() : sharp(filePath, { limitInputPixels, animated: false, failOn: 'error' })).rotate();
		const thumb = await still()
			.resize(limits.uploadThumbSizePx, limits.uploadThumbSizePx, { fit: 'inside', withoutEnlargement: true })
			.webp({ quality: THUMB_QUALITY })
			.toBuffer();
		const tiny = await sharp(thumb)
			.resize(limits.uploadPlaceholderSizePx, limits.uploadPlaceholderSizePx, { fit: 'inside' })
			.webp({ quality: PLACEHOLDER_QUALITY })
			.toBuffer();
		return {
			bytes,
			mime: bmp ? 'image/png' : mime,
			width,
			height,
			thumb,
			placeholder: `data:image/webp;base64,${tiny.toString('base64')}`
		};
	} catch (error) {
		if (error instanceof ApiError) throw error;
		if (error instanceof Error && /pixel limit/i.test(error.message)) throw pixelBomb(limitInputPixels);
		throw undecodable();
	}
}
