/**
 * Typed fetch for the JSON API: one request helper that reads SPEC's error shape
 * `{error: {code, message, field?}}` into an `ApiError`, and tells "the server said no" apart
 * from "the server could not be reached" (status 0), which offline-first code treats differently.
 */

/** An API failure: `status` 0 means the request never got an answer (offline, DNS, reset). */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		/** the input field at fault, when the server names one */
		readonly field?: string
	) {
		super(message);
	}

	/** No answer at all: try again later, keep local state. */
	get unreachable(): boolean {
		return this.status === 0;
	}
}

/** How requests are made: the origin and a fetch (the browser's, or a test's with a cookie). */
export interface HttpOptions {
	origin: string;
	fetch?: typeof fetch;
}

export type Http = <T>(method: string, path: string, body?: unknown) => Promise<T>;

function headersFor(body: unknown): Record<string, string> {
	if (body === undefined) return { accept: 'application/json' };
	if (body instanceof Blob) return { accept: 'application/json', 'content-type': body.type || 'application/octet-stream' };
	return { accept: 'application/json', 'content-type': 'application/json' };
}

/** A request function bound to `origin`; resolves with the parsed JSON (undefined for 204). */
export function createHttp({ origin, fetch: f = globalThis.fetch.bind(globalThis) }: HttpOptions): Http {
	return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
		let res: Response;
		try {
			res = await f(new URL(path, origin), {
				method,
				credentials: 'same-origin',
				headers: headersFor(body),
				// a Blob (an image for an avatar route) goes as raw bytes with its own type, anything else as JSON
				body: body === undefined ? undefined : body instanceof Blob ? body : JSON.stringify(body)
			});
		} catch (error) {
			throw new ApiError(0, 'unreachable', error instanceof Error ? error.message : String(error));
		}
		return readAnswer<T>(res);
	};
}

/** The parsed JSON of an answer (undefined for 204), or its SPEC error as an `ApiError`. */
export async function readAnswer<T>(res: Response): Promise<T> {
	if (res.status === 204) return undefined as T;
	const data: unknown = await res.json().catch(() => null);
	if (!res.ok) {
		const e = (data as { error?: { code?: unknown; message?: unknown; field?: unknown } } | null)?.error;
		throw new ApiError(
			res.status,
			typeof e?.code === 'string' ? e.code : 'unknown',
			typeof e?.message === 'string' ? e.message : res.statusText,
			typeof e?.field === 'string' ? e.field : undefined
		);
	}
	return data as T;
}
