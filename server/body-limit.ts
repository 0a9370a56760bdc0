/**
 * Request body limits by route: uploads (avatars, group pictures, `POST /api/uploads`) may be as
 * large as UPLOAD_MAX_BYTES; every other request, page form actions included, at most
 * `requestBodyMaxBytes`. A declared length over the limit is refused before a byte of the body is
 * read; only uploads may send a chunked body, which SvelteKit's own limit (BODY_SIZE_LIMIT, set to
 * the upload limit in kit-handler.ts) cuts off.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '$lib/server/config';

/** Requests that carry an upload: method, path pattern, and for a form action its `?/name`. */
export const UPLOAD_ROUTES: ReadonlyArray<{ method: string; path: RegExp; action?: string }> = [
	{ method: 'PUT', path: /^\/api\/me\/avatar\/?$/ },
	{ method: 'PUT', path: /^\/api\/conversations\/[^/]+\/avatar\/?$/ },
	{ method: 'POST', path: /^\/api\/uploads\/?$/ },
	{ method: 'POST', path: /^\/settings\/profile\/?$/, action: 'avatar' }
];

/** Multipart framing and form fields allowed on top of the largest upload. */
const UPLOAD_OVERHEAD_BYTES = 1024 * 1024;

/** True when the request is one of the upload routes. */
export function isUploadRequest(method: string | undefined, url: string | undefined): boolean {
	const [path = '/', query = ''] = (url ?? '/').split('?', 2);
	return UPLOAD_ROUTES.some(
		(route) => route.method === method && route.path.test(path) && (route.action === undefined || query === `/${route.action}` || query.startsWith(`/${route.action}&`))
	);
}

/** The two limits: every request, and upload requests. */
export function bodyLimits(config: Pick<Config, 'uploadMaxBytes' | 'limits'>): { general: number; upload: number } {
	return { general: config.limits.requestBodyMaxBytes, upload: config.uploadMaxBytes + UPLOAD_OVERHEAD_BYTES };
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
 * is not an upload yet sends a chunked body of unknown length (411: browsers always send a length
 * for forms and fetch bodies over HTTP/1.1; only an upload may stream). Returns true when refused.
 */
export function refuseBody(req: IncomingMessage, res: ServerResponse, limit: number, upload: boolean): boolean {
	const declared = req.headers['content-length'];
	if (declared === undefined) {
		if (!upload && req.headers['transfer-encoding'] !== undefined)
			return refuse(req, res, 411, 'length_required', 'Send a Content-Length with the body');
		return false;
	}
	const length = Number(declared);
	if (Number.isFinite(length) && length <= limit) return false;
	return refuse(req, res, 413, 'too_large', `The body may be at most ${limit} bytes`);
}
