/**
 * The API's error shape, `{"error": {"code", "message"}}`, and the helpers routes use to answer
 * with it. A route throws ApiError; `apiHandler` turns it into the JSON answer.
 */
import { json, type RequestEvent, type RequestHandler } from '@sveltejs/kit';
import type { z } from 'zod';

/** A client-visible failure with an HTTP status and a stable machine-readable code. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly headers: Record<string, string> = {}
	) {
		super(message);
		this.name = 'ApiError';
	}
}

/** The JSON error answer. */
export function errorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}) {
	return json({ error: { code, message } }, { status, headers });
}

/** Wraps a route so that a thrown ApiError becomes its JSON answer. */
export function apiHandler<E extends RequestEvent>(fn: (event: E) => Promise<Response> | Response) {
	return (async (event: E) => {
		try {
			return await fn(event);
		} catch (error) {
			if (error instanceof ApiError) return errorResponse(error.status, error.code, error.message, error.headers);
			// Anything else is our bug: log it with the request id, tell the client nothing of it.
			event.locals.log?.error({ err: error }, 'unhandled error in API route');
			return errorResponse(500, 'internal', 'Internal error; it has been logged');
		}
	}) as unknown as RequestHandler;
}

/**
 * Reads a body as text, stopping at `maxBytes`: a chunked body has no length to check first, and
 * adapter-node's own limit is set high for uploads.
 */
async function readCapped(request: Request, maxBytes: number): Promise<string> {
	if (!request.body) return '';
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > maxBytes) {
			await reader.cancel();
			throw new ApiError(413, 'too_large', `The body may be at most ${maxBytes} bytes`);
		}
		chunks.push(value);
	}
	return new TextDecoder().decode(Buffer.concat(chunks));
}

/** Reads and validates a JSON body; malformed, oversized or invalid input is a 400/413/415. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S, maxBytes: number): Promise<z.output<S>> {
	const type = request.headers.get('content-type') ?? '';
	if (!/^application\/json\b/i.test(type)) throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json');
	const length = Number(request.headers.get('content-length') ?? '0');
	if (length > maxBytes) throw new ApiError(413, 'too_large', `The body may be at most ${maxBytes} bytes`);
	const text = await readCapped(request, maxBytes);
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		throw new ApiError(400, 'invalid_json', 'The body is not valid JSON');
	}
	const result = schema.safeParse(body);
	if (!result.success) {
		const issue = result.error.issues[0];
		const field = issue?.path.length ? issue.path.join('.') : 'body';
		throw new ApiError(400, 'invalid_input', `${field}: ${issue?.message ?? 'invalid'}`);
	}
	return result.data;
}
