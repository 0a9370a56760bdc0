/**
 * Reading an archive: every structural rule and checksum is checked while it streams, and the
 * caller's hooks see rows and file bytes as they come. `verifyArchive` runs it with no hooks
 * (the first pass of a restore: nothing is changed until the whole archive is known good).
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { createGunzip } from 'node:zlib';
import { BackupError, FORMAT_VERSION, RecordType, readRecords, type Manifest, type ReadStats } from './format.js';

/** What a pass over the archive may do with its content. */
export interface ArchiveHooks {
	/** A batch of rows of `table`: `json` is a JSON array of row objects (row_to_json text). */
	rows?(table: string, json: string, count: number): Promise<void>;
	fileStart?(path: string, size: number): Promise<void>;
	fileData?(chunk: Buffer): Promise<void>;
	fileEnd?(path: string): Promise<void>;
}

const corrupt = (why: string) => new BackupError('corrupt', `The archive is damaged: ${why}`);

function parseJson<T>(payload: Buffer, what: string): T {
	try {
		return JSON.parse(payload.toString('utf8')) as T;
	} catch {
		throw corrupt(`${what} is not valid JSON`);
	}
}

/** A relative path inside uploads: no `..`, no absolute path, no empty part. */
export function safeRelativePath(rel: string): boolean {
	if (typeof rel !== 'string' || rel.length === 0 || rel.length > 1024 || rel.includes('\0') || rel.includes('\\')) return false;
	return rel.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** Streams the archive at `file` once, checking it; returns its manifest. Throws BackupError. */
/** What seals an archive: the trailer's hash of all content and the optional signature record. */
export interface ArchiveSeal {
	contentHash: string;
	signature: string | null;
}

export async function readArchive(file: string, hooks: ArchiveHooks = {}, stats?: ReadStats, seal?: ArchiveSeal): Promise<Manifest> {
	let input: fs.ReadStream;
	try {
		await fs.promises.access(file, fs.constants.R_OK);
		input = fs.createReadStream(file);
	} catch {
		throw new BackupError('not_found', `Cannot read ${file}`);
	}
	const gunzip = input.pipe(createGunzip());
	input.once('error', (error) => gunzip.destroy(error));
	const tables: { name: string; rows: number; sha256: string }[] = [];
	const files: { path: string; size: number; sha256: string }[] = [];
	let table: { name: string; rows: number; hash: Hash } | null = null;
	let current: { path: string; size: number; seen: number; hash: Hash } | null = null;
	let headerSeen = false;
	let manifest: Manifest | null = null;
	let trailerSeen = false;
	let signatureSeen = false;
	const endFile = async () => {
		if (!current) return;
		if (current.seen !== current.size) throw corrupt(`file ${current.path} is cut short`);
		files.push({ path: current.path, size: current.size, sha256: current.hash.digest('hex') });
		await hooks.fileEnd?.(current.path);
		current = null;
	};
	try {
		for await (const record of readRecords(gunzip, stats)) {
			if (trailerSeen) {
				if (record.type !== RecordType.Signature || signatureSeen) throw corrupt('data after the end');
				signatureSeen = true;
				if (seal) seal.signature = record.payload.toString('ascii');
				continue;
			}
			if (!headerSeen) {
				if (record.type !== RecordType.Header) throw corrupt('no header');
				const header = parseJson<{ format?: number; app?: string }>(record.payload, 'the header');
				if (header.app !== 'parley') throw new BackupError('foreign', 'This is not a Parley backup archive');
				if (header.format !== FORMAT_VERSION)
					throw new BackupError('version', `This archive has format ${header.format}; this Parley reads format ${FORMAT_VERSION}`);
				headerSeen = true;
				continue;
			}
			if (record.type !== RecordType.Data) await endFile();
			switch (record.type) {
				case RecordType.Table: {
					if (table || manifest) throw corrupt('a table starts out of place');
					table = { name: parseJson<{ name: string }>(record.payload, 'a table record').name, rows: 0, hash: createHash('sha256') };
					break;
				}
				case RecordType.Rows: {
					if (!table || record.payload.length < 4) throw corrupt('rows outside a table');
					const count = record.payload.readUInt32BE(0);
					table.hash.update(record.payload);
					table.rows += count;
					await hooks.rows?.(table.name, record.payload.subarray(4).toString('utf8'), count);
					break;
				}
				case RecordType.TableEnd: {
					const end = parseJson<{ name: string; rows: number }>(record.payload, 'a table end');
					if (!table || end.name !== table.name || end.rows !== table.rows) throw corrupt(`table ${table?.name ?? '?'} does not add up`);
					tables.push({ name: table.name, rows: table.rows, sha256: table.hash.digest('hex') });
					table = null;
					break;
				}
				case RecordType.File: {
					if (table || manifest) throw corrupt('a file starts out of place');
					const start = parseJson<{ path: string; size: number }>(record.payload, 'a file record');
					if (!safeRelativePath(start.path) || !Number.isSafeInteger(start.size) || start.size < 0)
						throw corrupt('a file record names an unsafe path');
					current = { path: start.path, size: start.size, seen: 0, hash: createHash('sha256') };
					await hooks.fileStart?.(start.path, start.size);
					break;
				}
				case RecordType.Data: {
					if (!current) throw corrupt('file bytes outside a file');
					current.seen += record.payload.length;
					if (current.seen > current.size) throw corrupt(`file ${current.path} is longer than stated`);
					current.hash.update(record.payload);
					await hooks.fileData?.(record.payload);
					break;
				}
				case RecordType.Manifest: {
					if (table || manifest) throw corrupt('the manifest is out of place');
					manifest = parseJson<Manifest>(record.payload, 'the manifest');
					break;
				}
				case RecordType.Trailer: {
					if (!manifest) throw corrupt('no manifest');
					if (record.payload.toString('ascii') !== record.hashBefore) throw corrupt('its checksum does not match its content');
					trailerSeen = true;
					if (seal) seal.contentHash = record.hashBefore;
					break;
				}
				default:
					throw corrupt(`unknown record type ${record.type}`);
			}
		}
	} finally {
		input.destroy();
	}
	if (!headerSeen) throw new BackupError('foreign', 'This is not a Parley backup archive');
	if (!trailerSeen || !manifest) throw new BackupError('corrupt', 'The archive is cut short (no manifest or end record)');
	if (JSON.stringify(manifest.tables) !== JSON.stringify(tables)) throw corrupt('the tables do not match the manifest');
	if (JSON.stringify(manifest.files) !== JSON.stringify(files)) throw corrupt('the files do not match the manifest');
	if (manifest.format !== FORMAT_VERSION || !Array.isArray(manifest.migrations) || !Array.isArray(manifest.sequences))
		throw corrupt('the manifest is incomplete');
	return manifest;
}

/** The first pass of a restore: the whole archive read and checked, nothing changed. */
export const verifyArchive = (file: string, stats?: ReadStats, seal?: ArchiveSeal) => readArchive(file, {}, stats, seal);
