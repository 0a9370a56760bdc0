/**
 * One upload to `POST /api/uploads`: multipart with `conversationId` before the file (the server
 * checks membership before reading a byte of the file), progress from XMLHttpRequest's upload
 * events (fetch reports no upload progress), cancel through an AbortSignal, and every failure
 * classified as worth retrying or final.
 */

/** The server's answer (docs/uploads.md), as it goes into an attachment. */
export interface UploadAnswer {
	id: string;
	url: string;
	mime: string;
	size: number;
	kind: 'image' | 'video' | 'audio' | 'file';
	name?: string;
	width?: number;
	height?: number;
	thumbUrl?: string;
	placeholder?: string;
}

/** Retry timing, named. */
export const UPLOAD_RETRY = {
	/** first wait after a retryable failure */
	baseMs: 1_000,
	/** waits never grow beyond this (a server's Retry-After is honoured up to it too) */
	maxMs: 60_000
} as const;

/** Why an upload did not answer 201. */
export class UploadFailure extends Error {
	constructor(
		/** HTTP status; 0 = no answer (offline, reset), -1 = cancelled */
		readonly status: number,
		readonly code: string,
		message: string,
		/** worth trying again later (network, 429, 503, other 5xx) */
		readonly retryable: boolean,
		/** the server's Retry-After, in ms */
		readonly retryAfterMs?: number
	) {
		super(message);
	}

	get cancelled(): boolean {
		return this.status === -1;
	}
}

/** Reads a Retry-After header (seconds or an HTTP date) as milliseconds from `now`. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
	if (!header) return undefined;
	const seconds = Number(header);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const at = Date.parse(header);
	return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Classifies a non-201 answer: the server's `{error: {code, message}}` when it sent one. */
export function classifyAnswer(status: number, body: string, retryAfter: string | null, now = Date.now()): UploadFailure {
	let code = 'unknown';
	let message = `HTTP ${status}`;
	try {
		const e = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } } | null)?.error;
		if (typeof e?.code === 'string') code = e.code;
		if (typeof e?.message === 'string') message = e.message;
	} catch {
		// not JSON (a proxy's page): the status says enough
	}
	// no answer, a timeout, "slow down" and server faults (a proxy's 502 included) may pass later;
	// any other 4xx (400, 401, 403, 404, 413, 415) will not change by sending the same file again
	const retryable = status === 0 || status === 408 || status === 429 || status >= 500;
	return new UploadFailure(status, code, message, retryable, retryAfterMs(retryAfter, now));
}

/**
 * How long to wait before attempt `attempt` (1 = the first retry): exponential from
 * `UPLOAD_RETRY.baseMs`, capped, with jitter so that many clients do not come back together;
 * never sooner than the server asked.
 */
export function retryDelay(attempt: number, asked?: number, random: () => number = Math.random): number {
	const exp = Math.min(UPLOAD_RETRY.maxMs, UPLOAD_RETRY.baseMs * 2 ** Math.max(0, attempt - 1));
	const jittered = exp / 2 + random() * (exp / 2);
	return Math.min(UPLOAD_RETRY.maxMs, Math.max(jittered, asked ?? 0));
}

export interface UploadRequest {
	conversationId: string;
	file: Blob;
	/** the file name the server keeps as metadata */
	name: string;
	/** 0..1 as the bytes leave */
	onProgress?: (fraction: number) => void;
	signal?: AbortSignal;
}

/** Sends one file; resolves with the answer, rejects with an `UploadFailure`. */
export type Uploader = (request: UploadRequest) => Promise<UploadAnswer>;

/** The browser's uploader (XMLHttpRequest, same origin, the session cookie). */
export function xhrUploader(endpoint = '/api/uploads'): Uploader {
	return ({ conversationId, file, name, onProgress, signal }) =>
		new Promise<UploadAnswer>((resolve, reject) => {
			if (signal?.aborted) return reject(new UploadFailure(-1, 'cancelled', 'cancelled', false));
			const xhr = new XMLHttpRequest();
			xhr.open('POST', endpoint);
			xhr.withCredentials = true;
			xhr.setRequestHeader('accept', 'application/json');
			xhr.upload.onprogress = (event) => {
				if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
			};
			const abort = () => xhr.abort();
			signal?.addEventListener('abort', abort, { once: true });
			const done = () => signal?.removeEventListener('abort', abort);
			xhr.onload = () => {
				done();
				if (xhr.status === 201) {
					try {
						const upload = (JSON.parse(xhr.responseText) as { upload?: UploadAnswer }).upload;
						if (upload && typeof upload.id === 'string' && typeof upload.url === 'string') return resolve(upload);
					} catch {
						// fall through: a 201 we cannot read is a server fault worth retrying
					}
					return reject(new UploadFailure(502, 'bad_answer', 'unreadable answer', true));
				}
				reject(classifyAnswer(xhr.status, xhr.responseText, xhr.getResponseHeader('retry-after')));
			};
			xhr.onerror = () => {
				done();
				reject(new UploadFailure(0, 'unreachable', 'network error', true));
			};
			xhr.onabort = () => {
				done();
				reject(new UploadFailure(-1, 'cancelled', 'cancelled', false));
			};
			const form = new FormData();
			// conversationId first: the server refuses a non-member before reading the file (docs/uploads.md)
			form.append('conversationId', conversationId);
			form.append('file', file, name);
			xhr.send(form);
		});
}
