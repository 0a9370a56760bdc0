/**
 * Streams one multipart upload to a temporary file: never whole in memory, hashed (SHA-256) and
 * counted while it flows, stopped at the size limit (413 as soon as it is passed; the partial file
 * is removed). Busboy is fed through `pipeline`, never `.pipe()`: an error must not escape as an
 * unhandled one (CLIENT-NOTES: an over-limit upload through `.pipe()` crashed the process).
 */
import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { ApiError } from '../http-errors.js';
import { randomId } from '../ids.js';
import { UPLOAD_FILE_MODE } from './blob-store.js';

/** The file part as stored in the temporary directory. */
export interface ReceivedFile {
	tempPath: string;
	sha256: string;
	size: number;
	/** The sender's file name (metadata only; may be anything, never used as a path). */
	name: string | null;
	/** The browser's claimed type: only ever used to read an audio-or-video container as audio (detect.ts). */
	claimedType: string | null;
}

/** What the form carried: its text fields and its one file. */
export interface ReceivedUpload {
	fields: Record<string, string>;
	file: ReceivedFile | null;
}

/** Multipart framing accepted on top of the file (boundaries, part headers, the few text fields). */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
/** Text fields are ids: anything longer is not one. */
const FIELD_MAX_BYTES = 256;
/** Parts a form may have: the file and a few fields; more is not a client of ours. */
const MAX_PARTS = 8;

/**
 * An answer given while the body may still be arriving closes the connection: neither side may
 * take the rest of this body for the start of the next request on a kept-alive connection.
 */
const CLOSE = { headers: { connection: 'close' } };

export const tooLarge = (maxBytes: number) => new ApiError(413, 'too_large', `file: at most ${maxBytes} bytes`, CLOSE);

/** Counts and hashes what passes through. */
class Digest extends Transform {
	readonly hash = createHash('sha256');
	size = 0;
	override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
		this.hash.update(chunk);
		this.size += chunk.byteLength;
		done(null, chunk);
	}
}

/**
 * Reads `request` (multipart/form-data) into `tmpDir`. On success the caller owns the temporary
 * file; a rejection has removed it already (once its stream closed).
 */
export function receiveUpload(
	request: Request,
	options: {
		tmpDir: string;
		maxBytes: number;
		/**
		 * Called for each text field as it arrives; a rejection refuses the upload at once. A field
		 * sent before the file part (clients send `conversationId` first) is so checked before a
		 * byte of the file is stored: a stranger's upload to a conversation is refused unread.
		 */
		checkField?: (name: string, value: string) => Promise<void> | void;
		/** The answer once `maxBytes` is passed (default 413 `too_large`; a quota's or a full disk's own). */
		overLimit?: () => ApiError;
	}
): Promise<ReceivedUpload> {
	const { tmpDir, maxBytes } = options;
	const overLimit = options.overLimit ?? (() => tooLarge(maxBytes));
	const type = request.headers.get('content-type') ?? '';
	if (!/^multipart\/form-data\b/i.test(type) || !request.body)
		return Promise.reject(new ApiError(400, 'invalid_input', 'Send multipart/form-data with a `file` part', CLOSE));
	const declared = Number(request.headers.get('content-length') ?? 'NaN');
	if (declared > maxBytes + MULTIPART_OVERHEAD_BYTES) return Promise.reject(overLimit());

	return new Promise<ReceivedUpload>((resolve, reject) => {
		const fields: Record<string, string> = {};
		let file: ReceivedFile | null = null;
		let writing: Promise<void> | null = null;
		let tempPath: string | null = null;
		let output: WriteStream | null = null;
		let settled = false;
		const checks: Promise<void>[] = [];
		const fail = (error: unknown) => {
			if (settled) return;
			settled = true;
			reject(error);
			// Answer now; the temporary file goes once its write stream has closed (a pipeline cut short
			// settles before the file has finished opening, and that open would create it again).
			void (writing ?? Promise.resolve())
				.catch(() => {})
				.then(() => (output && !output.closed ? once(output, 'close').catch(() => {}) : undefined))
				.then(() => (tempPath ? rm(tempPath, { force: true }) : undefined));
		};
		let bb: busboy.Busboy;
		try {
			bb = busboy({
				headers: { 'content-type': type },
				// busboy calls reaching its limit "truncated": one byte more, so exactly maxBytes passes
				limits: { files: 1, fileSize: maxBytes + 1, fields: MAX_PARTS, fieldSize: FIELD_MAX_BYTES, parts: MAX_PARTS }
			});
		} catch {
			return reject(new ApiError(400, 'invalid_input', 'The multipart boundary is missing', CLOSE));
		}
		bb.on('field', (name, value, info) => {
			if (info.valueTruncated) return fail(new ApiError(400, 'invalid_input', `${name}: too long`, CLOSE));
			fields[name] = value;
			if (options.checkField) {
				const check = Promise.resolve().then(() => options.checkField!(name, value));
				check.catch(fail);
				checks.push(check);
			}
		});
		bb.on('file', (name, stream, info) => {
			// Busboy destroys the part's stream with the body's error when the client goes away. Until
			// the pipeline below takes it (after the field checks) nothing would listen, and that error
			// would be uncaught: a cancelled upload took the whole process down. The body's own error
			// reaches `fail` through the outer pipeline; here it only needs a listener.
			stream.on('error', () => {});
			if (name !== 'file' || writing || settled) return void stream.resume();
			tempPath = path.join(tmpDir, `${randomId()}.part`);
			const digest = new Digest();
			// The limit is passed: say so at once. Busboy goes on reading (and discarding) the rest of
			// the body, so the socket stays usable for the answer. It would end this part only at its
			// boundary, so a client that stalls past the limit (or whose socket goes without an error)
			// would hold the part and its file open: destroying it settles `writing`, which removes the
			// file. Busboy pushes nothing more to a part past its limit, so it cannot stall on it.
			stream.on('limit', () => {
				fail(overLimit());
				stream.destroy();
			});
			const target = tempPath;
			// The checks of the fields sent before the file settle first: until then the file is not
			// read (busboy, and so the socket, wait), and a refused one is never stored.
			writing = Promise.all(checks)
				.then(() => {
					if (settled) {
						stream.resume();
						throw new Error('refused');
					}
					output = createWriteStream(target, { flags: 'wx', mode: UPLOAD_FILE_MODE });
					return pipeline(stream, digest, output);
				})
				.then(() => {
					// `truncated` is set when the limit cut the stream short (also caught by 'limit' above)
					if ((stream as unknown as { truncated?: boolean }).truncated) throw overLimit();
					file = {
						tempPath: target,
						sha256: digest.hash.digest('hex'),
						size: digest.size,
						name: info.filename ?? null,
						claimedType: info.mimeType ?? null
					};
				});
			writing.catch(fail);
		});
		bb.on('partsLimit', () => fail(new ApiError(400, 'invalid_input', 'Too many form parts', CLOSE)));
		bb.on('filesLimit', () => fail(new ApiError(400, 'invalid_input', 'One file per upload', CLOSE)));
		pipeline(Readable.fromWeb(request.body as import('node:stream/web').ReadableStream), bb)
			.then(() => writing)
			.then(() => Promise.all(checks))
			.then(() => {
				if (settled) return;
				settled = true;
				resolve({ fields, file });
			})
			.catch((error) =>
				fail(error instanceof ApiError ? error : new ApiError(400, 'invalid_input', 'The upload was cut off or malformed'))
			);
	});
}
