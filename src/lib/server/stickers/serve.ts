/**
 * GET /api/stickers/:pack/:id: a sticker's WebP to any signed-in person (a pack id is an
 * unguessable random token, seen only by those a sticker of it was sent to). Inert like uploads:
 * nosniff, a CSP that runs nothing, same-origin only; an id's bytes never change, so immutable.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ApiError } from '../http-errors.js';
import { blobStoreOf } from '../uploads/service.js';
import { matchesEtag } from '../uploads/serve.js';
import type { StickerDeps } from './service.js';
import { stickerById } from './store.js';

/** The headers every sticker answer carries. */
const STICKER_HEADERS = {
	'x-content-type-options': 'nosniff',
	'content-security-policy': "default-src 'none'; sandbox",
	'cross-origin-resource-policy': 'same-origin',
	'cache-control': 'private, max-age=31536000, immutable',
	'content-disposition': 'inline'
} as const;

const notFound = () => new ApiError(404, 'not_found', 'No such sticker');

/** The answer to a GET of a sticker image (304 for a matching `If-None-Match`). */
export async function serveSticker(
	deps: Pick<StickerDeps, 'db' | 'config'>,
	packId: string,
	id: string,
	request: Request
): Promise<Response> {
	const row = await stickerById(deps.db, packId, id);
	if (!row) throw notFound();
	const file = blobStoreOf(deps.config).pathOf(row.sha256);
	let size: number;
	try {
		size = (await stat(file)).size;
	} catch {
		throw notFound();
	}
	const etag = `"${row.sha256}"`;
	if (matchesEtag(request, etag)) return new Response(null, { status: 304, headers: { ...STICKER_HEADERS, etag } });
	const body = request.method === 'HEAD' ? null : (Readable.toWeb(createReadStream(file)) as ReadableStream);
	return new Response(body, {
		status: 200,
		headers: { ...STICKER_HEADERS, etag, 'content-type': 'image/webp', 'content-length': String(size) }
	});
}
