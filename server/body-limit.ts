/**
 * Request body limits by route: uploads (avatars, group pictures, `POST /api/uploads`) may be as
 * large as UPLOAD_MAX_BYTES; every other request, page form actions included, at most
 * `requestBodyMaxBytes`. A declared length over the limit is refused before a byte of the body is
 * read; only uploads may send a chunked body, which SvelteKit's own limit (BODY_SIZE_LIMIT, set to
 * the upload limit in kit-handler.ts) cuts off.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '$lib/server/config';

/**
 * Requests that carry an upload: method, path pattern, for a form action its `?/name`, and which
 * limit applies. Avatars take `avatarMaxBytes` (and must declare their length: a browser always
 * does for a form or fetch body); only `POST /api/uploads` takes UPLOAD_MAX_BYTES and may stream
 * a chunked body (receive.ts counts it against the limit as it arrives).
 */
export const UPLOAD_ROUTES: ReadonlyArray<{ method: string; path: RegExp; action?: string; kind: 'avatar' | 'upload' }> = [
	{ method: 'PUT', path: /^\/api\/me\/avatar\/?$/, kind: 'avatar' },
	{ method: 'PUT', path: /^\/api\/conversations\/[^/]+\/avatar\/?$/, kind: 'avatar' },
	{ method: 'POST', path: /^\/api\/uploads\/?$/, kind: 'upload' },
	// A sticker image (its own, smaller limit `stickerMaxBytes` is checked by the route).
	{ method: 'POST', path: /^\/api\/stickers\/packs\/[^/]+\/stickers\/?$/, kind: 'avatar' },
	{ method: 'POST', path: /^\/settings\/profile\/?$/, action: 'avatar', kind: 'avatar' }
];

/** Multipart framing and form fields allowed on top of the largest upload. */
const UPLOAD_OVERHEAD_BYTES = 1024 * 1024;
/** The same for an avatar: its form has the file and nothing else of size. */
const AVATAR_OVERHEAD_BYTES = 64 * 1024;

/** Which upload route the request is (null: not an upload). */
export function uploadRouteOf(method: string | undefined, url: string | undefined): 'avatar' | 'upload' | null {
	const [path = '/', query = ''] = (url ?? '/').split('?', 2);
	const route = UPLOAD_ROUTES.find(
		(route) =>
			route.method === method &&
			route.path.test(path) &&
			(route.action === undefined || query === `/${route.action}` || query.startsWith(`/${route.action}&`))
	);
	return route?.kind ?? null;
}

/** True when the request is one of the upload routes. */
export function isUploadRequest(method: string | undefined, url: string | undefined): boolean {
	return uploadRouteOf(method, url) !== null;
}

/** The limits: every request, avatar uploads, and `POST /api/uploads`. */
export function bodyLimits(config: Pick<Config, 'uploadMaxBytes' | 'limits'>): { general: number; avatar: number; upload: number } {
	return {
		general: config.limits.requestBodyMaxBytes,
		avatar: config.limits.avatarMaxBytes + AVATAR_OVERHEAD_BYTES,
		upload: config.uploadMaxBytes + UPLOAD_OVERHEAD_BYTES
	};
}

/** Writes a small error answer (the API's JSON shape under /api) and closes the connection after it. */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string): true {
	const api = (req.url ?? '').startsWith('/api/');
	const body = api ? JSON.stringify({ error: { code, message } }) : message;
	res.writeHead(status, {
		'content-type': api ? 'application/json' : 'text/plain; charset=utf-8',
		'content-length': Buffer.byteLength(body),
		// The body is never read: the connection cannot carry another request after it.
		connection: 'close'
	});
	res.end(body);
	return true;
}

/**
 * Refuses, before its body is read, a request that declares more than `limit` bytes (413), or that
 * may not stream yet sends a chunked body of unknown length (411: browsers always send a length
 * for forms and fetch bodies over HTTP/1.1; only `POST /api/uploads` may stream). Returns true when refused.
 */
export function refuseBody(req: IncomingMessage, res: ServerResponse, limit: number, streams: boolean): boolean {
	const declared = req.headers['content-length'];
	if (declared === undefined) {
		if (!streams && req.headers['transfer-encoding'] !== undefined)
			return refuse(req, res, 411, 'length_required', 'Send a Content-Length with the body');
		return false;
	}
	const length = Number(declared);
	if (Number.isFinite(length) && length <= limit) return false;
	return refuse(req, res, 413, 'too_large', `The body may be at most ${limit} bytes`);
}
