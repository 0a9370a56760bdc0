/**
 * The API's error shape, `{"error": {"code", "message", "field"?}}` (`$lib/errors`), and the
 * helpers routes use to answer with it. A route throws ApiError; `apiHandler` turns it into the
 * JSON answer. JSON bodies are read with `readBody` (or `readJson`): byte-capped, validated with
 * zod, a 400 naming the field.
 */
import { json, type RequestEvent, type RequestHandler } from '@sveltejs/kit';
import type { z } from 'zod';
import { fieldMessage, fieldOfPath, type ErrorBody, type ErrorCode } from '$lib/errors';
import { runtimeOf } from './runtime.js';

/** A client-visible failure with an HTTP status, a stable machine-readable code and the field at fault. */
export class ApiError extends Error {
	readonly headers: Record<string, string>;
	readonly field: string | undefined;
	constructor(
		readonly status: number,
		readonly code: ErrorCode,
		message: string,
		options: { headers?: Record<string, string>; field?: string } = {}
	) {
		super(message);
		this.name = 'ApiError';
		this.headers = options.headers ?? {};
		this.field = options.field;
	}

	/** The `error` object of the answer. */
	toBody(): ErrorBody {
		return { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) };
	}
}

/** A 400 (or `status`/`code`) about one input field; the message reads `field: problem`. */
export function fieldError(field: string, problem: string, code: ErrorCode = 'invalid_input', status = 400): ApiError {
	return new ApiError(status, code, fieldMessage(field, problem), { field });
}

/** The JSON error answer. */
export function errorResponse(
	status: number,
	code: ErrorCode,
	message: string,
	options: { headers?: Record<string, string>; field?: string } = {}
) {
	const body: ErrorBody = { code, message, ...(options.field ? { field: options.field } : {}) };
	return json({ error: body }, { status, headers: options.headers });
}

/** The JSON answer of an ApiError. */
export function apiErrorResponse(error: ApiError): Response {
	return json({ error: error.toBody() }, { status: error.status, headers: error.headers });
}

/** Wraps a route so that a thrown ApiError becomes its JSON answer. */
export function apiHandler<E extends RequestEvent>(fn: (event: E) => Promise<Response> | Response) {
	return (async (event: E) => {
		try {
			return await fn(event);
		} catch (error) {
			if (error instanceof ApiError) return apiErrorResponse(error);
			// Anything else is our bug: log it with the request id, tell the client nothing of it.
			event.locals.log?.error({ err: error }, 'unhandled error in API route');
			return errorResponse(500, 'internal', 'Internal error; it has been logged');
		}
	}) as unknown as RequestHandler;
}

const tooLarge = (maxBytes: number) => new ApiError(413, 'too_large', `The body may be at most ${maxBytes} bytes`);

/**
 * Reads a body, stopping at `maxBytes` (413 past it): a chunked body has no length to check
 * first. A body the server's own limit cut off (SvelteKit errors the stream with 413) is a 413 too.
 */
export async function readCappedBytes(
	request: Request,
	maxBytes: number,
	tooLargeError: () => Error = () => tooLarge(maxBytes)
): Promise<Uint8Array> {
	if (!request.body) return new Uint8Array(0);
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		let step: ReadableStreamReadResult<Uint8Array>;
		try {
			step = await reader.read();
		} catch (error) {
			if ((error as { status?: number }).status === 413) throw tooLargeError();
			throw new ApiError(400, 'invalid_input', 'The body could not be read');
		}
		if (step.done) break;
		total += step.value.byteLength;
		if (total > maxBytes) {
			// The rest is read away unkept, not cancelled: cancelling the body destroys the socket
			// (adapter-node), and the client would see a reset instead of this answer.
			void drain(reader);
			throw tooLargeError();
		}
		chunks.push(step.value);
	}
	return Buffer.concat(chunks);
}

/** Reads a body's reader to its end without keeping anything (the server's body limit bounds it). */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
	try {
		while (!(await reader.read()).done);
	} catch {
		// cut off: nothing left to read
	}
}

/**
 * The path of the first string (or key) in a JSON value holding NUL, or null. PostgreSQL text
 * cannot store NUL, so no body reaches a query with one, whatever its schema says.
 */
export function findNul(value: unknown, path: string[] = []): string[] | null {
	if (typeof value === 'string') return value.includes('\u0000') ? path : null;
	if (typeof value !== 'object' || value === null) return null;
	for (const [key, item] of Object.entries(value)) {
		if (key.includes('\u0000')) return [...path, key.replaceAll('\u0000', '\\u0000')];
		const found = findNul(item, [...path, key]);
		if (found) return found;
	}
	return null;
}

/** The 400 for a failed zod parse: the first issue, its field named. */
export function invalidInput(error: z.ZodError, fallbackField = 'body'): ApiError {
	const issue = error.issues[0];
	return fieldError(fieldOfPath(issue?.path ?? [], fallbackField), issue?.message ?? 'invalid');
}

/** Reads and validates a JSON body; malformed, oversized or invalid input is a 400/413/415. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S, maxBytes: number): Promise<z.output<S>> {
	const type = request.headers.get('content-type') ?? '';
	if (!/^application\/json\b/i.test(type)) throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json');
	const length = Number(request.headers.get('content-length') ?? '0');
	if (length > maxBytes) throw tooLarge(maxBytes);
	const text = new TextDecoder().decode(await readCappedBytes(request, maxBytes));
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		throw new ApiError(400, 'invalid_json', 'The body is not valid JSON');
	}
	const nul = findNul(body);
	if (nul) throw fieldError(fieldOfPath(nul, 'body'), 'must not contain control characters');
	const result = schema.safeParse(body);
	if (!result.success) throw invalidInput(result.error);
	return result.data;
}

/** The JSON body of a route's request, validated with `schema`, capped at `jsonBodyMaxBytes`. */
export function readBody<S extends z.ZodType>(event: Pick<RequestEvent, 'request' | 'platform'>, schema: S): Promise<z.output<S>> {
	return readJson(event.request, schema, runtimeOf(event).config.limits.jsonBodyMaxBytes);
}

/** Validates one query or path value with `schema`; 400 naming `field`. */
export function readParam<S extends z.ZodType>(value: unknown, schema: S, field: string): z.output<S> {
	const result = schema.safeParse(value);
	if (!result.success) throw fieldError(field, result.error.issues[0]?.message ?? 'invalid');
	return result.data;
}
