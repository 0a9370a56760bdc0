/**
 * Files made ready in the browser before they are queued: a photo sent "as photo" is scaled down
 * and re-encoded (the server keeps no original anyway, and a phone's 12 MP photo is mostly wasted
 * bytes on a slow link); a video gets a poster frame and its duration; audio its duration.
 * Everything here degrades to "send the file as it is" when the browser cannot do a step.
 */
import type { NewMediaFile } from './media-outbox.js';

/** Preparation limits, named. */
export const PREPARE_LIMITS = {
	/** a photo's long side after compression (px) */
	photoLongSide: 2560,
	/** JPEG/WebP quality of a compressed photo */
	photoQuality: 0.85,
	/** where a poster frame is taken (s; clamped to the video's length) */
	posterAtSeconds: 0.5,
	/** a poster frame's long side (px) */
	posterLongSide: 1280,
	/** giving up on a video's metadata after this long (an unplayable codec never loads) */
	mediaTimeoutMs: 8_000
} as const;

/** Still images the browser can decode and we may re-encode (GIF stays as is: it may be animated). */
const COMPRESSIBLE = new Set(['image/jpeg', 'image/png', 'image/webp']);

/** Prepares `files` for the outbox; `asPhoto` compresses images, otherwise their bytes are kept. */
export async function prepareFiles(files: readonly File[], asPhoto: boolean): Promise<NewMediaFile[]> {
	const out: NewMediaFile[] = [];
	for (const file of files) {
		if (asPhoto && COMPRESSIBLE.has(file.type)) out.push(await compressPhoto(file));
		else if (file.type.startsWith('video/')) out.push({ blob: file, name: file.name, ...(await videoInfo(file)) });
		else if (file.type.startsWith('audio/')) out.push({ blob: file, name: file.name, ...(await audioInfo(file)) });
		else out.push({ blob: file, name: file.name });
	}
	return out;
}

/** Scales a photo to `photoLongSide` and re-encodes it (JPEG, or WebP when it may have transparency). */
export async function compressPhoto(file: File): Promise<NewMediaFile> {
	if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') return { blob: file, name: file.name };
	let bitmap: ImageBitmap | null = null;
	try {
		bitmap = await createImageBitmap(file);
		const scale = Math.min(1, PREPARE_LIMITS.photoLongSide / Math.max(bitmap.width, bitmap.height));
		const width = Math.max(1, Math.round(bitmap.width * scale));
		const height = Math.max(1, Math.round(bitmap.height * scale));
		const canvas = new OffscreenCanvas(width, height);
		const context = canvas.getContext('2d');
		if (!context) return { blob: file, name: file.name };
		context.drawImage(bitmap, 0, 0, width, height);
		const type = file.type === 'image/jpeg' ? 'image/jpeg' : 'image/webp';
		const blob = await canvas.convertToBlob({ type, quality: PREPARE_LIMITS.photoQuality });
		// a small photo may come out larger re-encoded: then the original is the better photo
		if (scale === 1 && blob.size >= file.size) return { blob: file, name: file.name };
		return { blob, name: renamed(file.name, blob.type === 'image/jpeg' ? 'jpg' : blob.type === 'image/webp' ? 'webp' : 'png') };
	} catch {
		return { blob: file, name: file.name };
	} finally {
		bitmap?.close();
	}
}

function renamed(name: string, extension: string): string {
	const dot = name.lastIndexOf('.');
	return `${dot > 0 ? name.slice(0, dot) : name || 'photo'}.${extension}`;
}

/** A media element with `blob` loaded far enough for `event`, or null (timeout, unplayable). */
function loadMedia<T extends HTMLMediaElement>(element: T, blob: Blob, event: 'loadedmetadata' | 'loadeddata'): Promise<T | null> {
	const url = URL.createObjectURL(blob);
	return new Promise<T | null>((resolve) => {
		const timer = setTimeout(() => resolve(null), PREPARE_LIMITS.mediaTimeoutMs);
		element.addEventListener(event, () => (clearTimeout(timer), resolve(element)), { once: true });
		element.addEventListener('error', () => (clearTimeout(timer), resolve(null)), { once: true });
		element.muted = true;
		element.preload = 'auto';
		element.src = url;
	}).finally(() => setTimeout(() => URL.revokeObjectURL(url), 0));
}

const finiteDuration = (d: number): number | undefined => (Number.isFinite(d) && d >= 0 ? Math.round(d * 10) / 10 : undefined);

/**
 * The duration of loaded media. A WebM written by MediaRecorder has no duration in its header
 * (`Infinity`): seeking far past the end makes the browser find the real end and report it.
 */
async function measuredDuration(element: HTMLMediaElement): Promise<number | undefined> {
	if (element.duration !== Infinity) return finiteDuration(element.duration);
	await new Promise<void>((resolve) => {
		const timer = setTimeout(resolve, PREPARE_LIMITS.mediaTimeoutMs);
		const changed = () => {
			if (element.duration === Infinity) return;
			element.removeEventListener('durationchange', changed);
			clearTimeout(timer);
			resolve();
		};
		element.addEventListener('durationchange', changed);
		element.currentTime = Number.MAX_SAFE_INTEGER;
	});
	return finiteDuration(element.duration);
}

/** A video's duration and a poster frame (JPEG), as far as the browser can play it. */
export async function videoInfo(blob: Blob): Promise<{ duration?: number; poster?: Blob }> {
	if (typeof document === 'undefined') return {};
	const video = await loadMedia(document.createElement('video'), blob, 'loadeddata');
	if (!video) return {};
	const duration = await measuredDuration(video);
	try {
		const at = Math.min(PREPARE_LIMITS.posterAtSeconds, (duration ?? 0) / 2);
		if (at > 0 || video.currentTime > 0) {
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, PREPARE_LIMITS.mediaTimeoutMs);
				video.addEventListener('seeked', () => (clearTimeout(timer), resolve()), { once: true });
				video.currentTime = at;
			});
		}
		const scale = Math.min(1, PREPARE_LIMITS.posterLongSide / Math.max(video.videoWidth, video.videoHeight, 1));
		const canvas = document.createElement('canvas');
		canvas.width = Math.max(1, Math.round(video.videoWidth * scale));
		canvas.height = Math.max(1, Math.round(video.videoHeight * scale));
		canvas.getContext('2d')?.drawImage(video, 0, 0, canvas.width, canvas.height);
		const poster = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', PREPARE_LIMITS.photoQuality));
		return { ...(duration !== undefined ? { duration } : {}), ...(poster && video.videoWidth > 0 ? { poster } : {}) };
	} catch {
		return duration !== undefined ? { duration } : {};
	} finally {
		video.removeAttribute('src');
		video.load();
	}
}

/** An audio file's duration, when the browser can read it. */
export async function audioInfo(blob: Blob): Promise<{ duration?: number }> {
	if (typeof document === 'undefined') return {};
	const audio = await loadMedia(document.createElement('audio'), blob, 'loadedmetadata');
	const duration = audio ? await measuredDuration(audio) : undefined;
	return duration !== undefined ? { duration } : {};
}
