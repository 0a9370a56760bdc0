/**
 * The backup archive's framing. An archive is gzip over:
 *
 *   MAGIC, then records: [type: 1 byte][length: uint32 BE][payload: length bytes]
 *
 * Records, in order: H (header JSON), for each table T (JSON {name}) · R* (row batches) · E (JSON
 * {name, rows}), for each file F (JSON {path, size}) · D* (its bytes), M (manifest JSON), and Z
 * (hex SHA-256 of every byte before it), optionally S (its HMAC with the server's backup key,
 * signing.ts). A row batch R is [rows: uint32 BE][a JSON array of the
 * rows as PostgreSQL's row_to_json wrote them]: rows are never parsed in JavaScript (bigint
 * precision, bytea), the database reads them back with json_populate_recordset.
 */
import { createHash, type Hash } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';

/** First bytes of every archive (after gunzip): a foreign file is recognised at once. */
export const MAGIC = Buffer.from('PARLEY-BACKUP\n', 'ascii');
/** Version of this layout; a reader refuses archives of a version it does not know. */
export const FORMAT_VERSION = 1;

export const RecordType = {
	Header: 0x48, // H
	Table: 0x54, // T
	Rows: 0x52, // R
	TableEnd: 0x45, // E
	File: 0x46, // F
	Data: 0x44, // D
	Manifest: 0x4d, // M
	Trailer: 0x5a, // Z
	/** Optional, after the trailer: HMAC-SHA256 of the trailer's hash with the server's backup key (signing.ts). */
	Signature: 0x53 // S
} as const;

/** Largest record payload a reader accepts: a corrupt length must not make it allocate gigabytes. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/** What the manifest (record M) states; the reader checks every figure against what it read. */
export interface Manifest {
	format: number;
	createdAt: string;
	/** Migrations applied to the database the archive was made from (restore applies exactly these). */
	migrations: string[];
	/** The database kind it was made from (informational: both restore into either). */
	source: 'embedded' | 'postgres';
	/** In dependency order (a table after those it references). */
	tables: { name: string; rows: number; sha256: string }[];
	sequences: { name: string; value: string; isCalled: boolean }[];
	files: { path: string; size: number; sha256: string }[];
}

/** A refused archive or target: the message is the one line the CLI and the API show. */
export class BackupError extends Error {
	constructor(
		readonly code: 'corrupt' | 'foreign' | 'version' | 'not_empty' | 'busy' | 'not_found',
		message: string
	) {
		super(message);
		this.name = 'BackupError';
	}
}

/** Writes records to a stream (the gzip in front of the file), waiting when it asks to. */
export class RecordWriter {
	readonly #hash: Hash = createHash('sha256');
	bytes = 0;
	constructor(private readonly out: Writable) {}

	async #raw(chunk: Buffer): Promise<void> {
		this.#hash.update(chunk);
		this.bytes += chunk.length;
		if (!this.out.write(chunk))
			await new Promise<void>((resolve, reject) => {
				const onError = (error: Error) => reject(error);
				this.out.once('error', onError);
				this.out.once('drain', () => {
					this.out.off('error', onError);
					resolve();
				});
			});
	}

	magic(): Promise<void> {
		return this.#raw(MAGIC);
	}

	async record(type: number, payload: Buffer): Promise<void> {
		const head = Buffer.alloc(5);
		head[0] = type;
		head.writeUInt32BE(payload.length, 1);
		await this.#raw(head);
		await this.#raw(payload);
	}

	json(type: number, value: unknown): Promise<void> {
		return this.record(type, Buffer.from(JSON.stringify(value)));
	}

	/** The trailer: the hash of everything written so far; resolves to that hash (hex). */
	async trailer(): Promise<string> {
		const contentHash = this.#hash.copy().digest('hex');
		await this.record(RecordType.Trailer, Buffer.from(contentHash));
		return contentHash;
	}
}

/** One record as read. */
export interface ArchiveRecord {
	type: number;
	payload: Buffer;
	/** Hex SHA-256 of every byte before this record (only meaningful for the trailer). */
	hashBefore: string;
}

/** Work done by a reader, for tests and figures: bytes copied while framing records. */
export interface ReadStats {
	bytesCopied: number;
}

/**
 * Reads records from the gunzipped stream; a bad magic or a cut record throws BackupError.
 * Linear in the archive's size: chunks are kept in a list and each byte is copied at most once
 * into the record that holds it (joining the whole buffer again for every 16 KiB chunk made a few
 * hundred KiB of crafted gzip keep a restore busy for minutes). `stats` counts those copies.
 */
export async function* readRecords(input: Readable, stats: ReadStats = { bytesCopied: 0 }): AsyncGenerator<ArchiveRecord> {
	const hash = createHash('sha256');
	const chunks: Buffer[] = [];
	/** Bytes held in `chunks`, and how far into `chunks[0]` they were already taken. */
	let held = 0;
	let offset = 0;
	let magicSeen = false;
	/** The next `n` (≤ held) bytes, removed from the list: a view when one chunk holds them, else one copy. */
	const take = (n: number): Buffer => {
		held -= n;
		const first = chunks[0]!;
		if (first.length - offset >= n) {
			const part = first.subarray(offset, offset + n);
			offset += n;
			if (offset === first.length) {
				chunks.shift();
				offset = 0;
			}
			return part;
		}
		const out = Buffer.allocUnsafe(n);
		let filled = 0;
		while (filled < n) {
			const head = chunks[0]!;
			const count = Math.min(n - filled, head.length - offset);
			head.copy(out, filled, offset, offset + count);
			filled += count;
			offset += count;
			if (offset === head.length) {
				chunks.shift();
				offset = 0;
			}
		}
		stats.bytesCopied += n;
		return out;
	};
	/** The next `n` (≤ held) bytes without removing them (only ever a record head: 5 bytes, or the magic). */
	const peek = (n: number): Buffer => {
		const first = chunks[0]!;
		if (first.length - offset >= n) return first.subarray(offset, offset + n);
		const out = Buffer.allocUnsafe(n);
		let filled = 0;
		for (let i = 0, from = offset; filled < n; i++, from = 0) {
			const count = Math.min(n - filled, chunks[i]!.length - from);
			chunks[i]!.copy(out, filled, from, from + count);
			filled += count;
		}
		stats.bytesCopied += n;
		return out;
	};
	try {
		for await (const chunk of input) {
			if ((chunk as Buffer).length === 0) continue;
			chunks.push(chunk as Buffer);
			held += (chunk as Buffer).length;
			if (!magicSeen) {
				if (held < MAGIC.length) continue;
				if (!peek(MAGIC.length).equals(MAGIC)) throw new BackupError('foreign', 'This is not a Parley backup archive');
				hash.update(take(MAGIC.length));
				magicSeen = true;
			}
			while (held >= 5) {
				const head = peek(5);
				const length = head.readUInt32BE(1);
				if (length > MAX_RECORD_BYTES) throw new BackupError('corrupt', 'The archive is damaged (a record is impossibly large)');
				if (held < 5 + length) break;
				const hashBefore = hash.copy().digest('hex');
				const type = head[0]!;
				hash.update(take(5));
				const payload = take(length);
				hash.update(payload);
				// Its own copy (once more, linear): the consumer may keep it without pinning a whole chunk.
				stats.bytesCopied += length;
				yield { type, payload: Buffer.from(payload), hashBefore };
			}
		}
	} catch (error) {
		if (error instanceof BackupError) throw error;
		const code = (error as NodeJS.ErrnoException).code;
		// zlib: not gzip at all, or cut short / damaged.
		if (code === 'Z_DATA_ERROR' && !magicSeen) throw new BackupError('foreign', 'This is not a Parley backup archive (not gzip data)');
		if (code?.startsWith('Z_') || code === 'ERR_STREAM_PREMATURE_CLOSE')
			throw new BackupError('corrupt', `The archive is damaged or cut short (${code})`);
		throw error;
	}
	if (!magicSeen) throw new BackupError('foreign', 'This is not a Parley backup archive (empty or too short)');
	if (held) throw new BackupError('corrupt', 'The archive is cut short (its last record is incomplete)');
}
