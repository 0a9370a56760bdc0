/**
 * GET <upload.url>: the file, to members of the upload's conversation only, with Range (seeking
 * in video), an ETag (the SHA-256: bytes never change under an id) and immutable caching. Every
 * answer is inert: `nosniff`, a CSP that runs nothing, and `attachment` for anything that is not
 * an image, audio or video a browser shows without running it.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { UploadVariant } from '$lib/sync/uploads';
import { ApiError } from '../http-errors.js';
import { AUDIO, IMAGES, VIDEOS } from './detect.js';
import { uploadForMember, type UploadRow } from './store.js';
import { blobStoreOf, type UploadDeps } from './service.js';

/** Types shown inline: decoded by the browser's media stack, never as a document. SVG is not one. */
const INLINE_TYPES: ReadonlySet<string> = new Set([...IMAGES, ...VIDEOS, ...AUDIO]);

/** The headers every file answer carries. */
const INERT_HEADERS = {
	'x-content-type-options': 'nosniff',
	// Opened directly, the file may run nothing, load nothing, and is its own unique origin.
	'content-security-policy': "default-src 'none'; sandbox",
	'cross-origin-resource-policy': 'same-origin',
	'cache-control': 'private, max-age=31536000, immutable',
	'accept-ranges': 'bytes'
} as const;

const notFound = () => new ApiError(404, 'not_found', 'No such upload');

/** `Content-Disposition` with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987). */
export function contentDisposition(type: 'inline' | 'attachment', name: string): string {
	const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
	const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Whether the request's `If-None-Match` names `etag` (the client's copy is current: 304). */
export function matchesEtag(request: Request, etag: string): boolean {
	return (
		request.headers
			.get('if-none-match')
			?.split(',')
			.some((tag) => tag.trim() === etag) ?? false
	);
}

/** A single `bytes=` range of a file of `size` bytes; null: serve it whole; 'unsatisfiable': 416. */
export function parseRange(header: string | null, size: number): { start: number; end: number } | null | 'unsatisfiable' {
	if (!header) return null;
	const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
	// several ranges (multipart/byteranges) or another unit: answered whole, as RFC 9110 allows
	if (!match || (match[1] === '' && match[2] === '')) return null;
	let start: number;
	let end: number;
	if (match[1] === '') {
		const suffix = Number(match[2]);
		if (suffix === 0) return 'unsatisfiable';
		start = Math.max(0, size - suffix);
		end = size - 1;
	} else {
		start = Number(match[1]);
		end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
	}
	if (start >= size || start > end) return 'unsatisfiable';
	return { start, end };
}

/** The answer to a GET of an upload's file or thumbnail. */
export async function serveUpload(
	deps: UploadDeps,
	userId: string,
	id: string,
	variant: UploadVariant,
	request: Request
): Promise<Response> {
	const row: UploadRow | null = await uploadForMember(deps.db, id, userId);
	if (!row) throw notFound();
	const sha = variant === 'thumb' ? row.thumb_sha256 : row.sha256;
	if (!sha) throw notFound();
	const file = blobStoreOf(deps.config).pathOf(sha);
	let size: number;
	try {
		size = (await stat(file)).size;
	} catch {
		throw notFound();
	}
	const etag = `"${sha}"`;
	const mime = variant === 'thumb' ? 'image/webp' : row.mime;
	const inline = variant === 'thumb' || INLINE_TYPES.has(mime);
	const name = variant === 'thumb' ? `${row.id}-thumb.webp` : (row.name ?? row.id);
	const headers: Record<string, string> = {
		...INERT_HEADERS,
		etag,
		'content-type': mime,
		'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', name)
	};
	if (matchesEtag(request, etag)) return new Response(null, { status: 304, headers: { ...INERT_HEADERS, etag } });
	const ifRange = request.headers.get('if-range');
	const range = ifRange && ifRange !== etag ? null : parseRange(request.headers.get('range'), size);
	if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${size}` } });
	const { start, end } = range ?? { start: 0, end: size - 1 };
	const length = size === 0 ? 0 : end - start + 1;
	const body =
		length === 0 || request.method === 'HEAD' ? null : (Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream);
	if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
	headers['content-length'] = String(length);
	return new Response(body, { status: range ? 206 : 200, headers });
}
