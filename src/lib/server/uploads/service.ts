/**
 * POST /api/uploads: receive (streamed, hashed, capped), check the sender may post in the
 * conversation, type by the bytes, re-encode images, store content-addressed, record, announce
 * (the relay adds the id to the conversation's R27 set). docs/uploads.md.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { rm } from 'node:fs/promises';
import type { Runtime } from '../runtime.js';
import { ApiError } from '../http-errors.js';
import { randomId } from '../ids.js';
import { noSuchConversation, pathId } from '../conversations/context.js';
import { getConversation, roleIn } from '../conversations/store.js';
import { SYNC_LIMITS } from '$lib/sync/schema';
import { uploadThumbUrl, uploadUrl } from '$lib/sync/uploads';
import { BlobStore } from './blob-store.js';
import { detectUpload, type UploadKind } from './detect.js';
import { processImage } from './images.js';
import { imageQueued } from './image-work.js';
import { fileHeaderPixelsOver } from './image-header.js';
import { receiveUpload, tooLarge } from './receive.js';
import { holdQuota, quotaExceeded, storageFull, uploadRoom } from './quota.js';
import { insertUpload, useBlobs } from './store.js';

/** What the upload services need. */
export type UploadDeps = Pick<Runtime, 'db' | 'config' | 'events' | 'now' | 'log'>;

/** The API's view of an upload (SPEC §3, extended: docs/uploads.md). */
export interface UploadView {
	id: string;
	url: string;
	mime: string;
	size: number;
	kind: UploadKind;
	name?: string;
	width?: number;
	height?: number;
	thumbUrl?: string;
	placeholder?: string;
}

/** The blob store under a data directory (no state of its own: cheap to make per request). */
export function blobStoreOf(config: Pick<Runtime['config'], 'dataDir'>): BlobStore {
	return new BlobStore(path.join(config.dataDir, 'uploads'));
}

/**
 * A file name as metadata: its last path segment, without control characters, at most
 * SYNC_LIMITS.maxFileNameLength characters; null when nothing is left. Never used as a path.
 */
export function cleanFileName(raw: string | null): string | null {
	if (!raw) return null;
	// Browsers send `"` as %22 in a multipart file name (WHATWG); that one escape is undone.
	const last = raw.replace(/%22/g, '"').split(/[/\\]/).pop() ?? '';
	// eslint-disable-next-line no-control-regex
	const clean = last.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').trim();
	if (clean === '' || clean === '.' || clean === '..') return null;
	return [...clean].slice(0, SYNC_LIMITS.maxFileNameLength).join('');
}

/** 404 for non-members (as elsewhere), 403 for members who may not post (channel subscribers). */
async function requirePoster(deps: Pick<UploadDeps, 'db'>, conversationId: string, userId: string): Promise<void> {
	const role = await roleIn(deps.db, conversationId, userId);
	if (!role) throw noSuchConversation();
	const conversation = await getConversation(deps.db, conversationId);
	if (!conversation) throw noSuchConversation();
	if (conversation.kind === 'channel' && role !== 'owner' && role !== 'admin')
		throw new ApiError(403, 'forbidden', 'Only the owner and admins post in a channel');
}

/**
 * Reads a request body to its end without keeping it. A body left unread when the answer goes
 * stalls the connection until the server closes it, and the client sees a reset, not the answer.
 */
export async function discardBody(request: Request): Promise<void> {
	try {
		if (request.body) for await (const _ of request.body as unknown as AsyncIterable<Uint8Array>) void _;
	} catch {
		// a cut-off body: nothing left to read
	}
}

/**
 * A refusal answered before the body was read (signed out, rate-limited, no quota left): at once,
 * with `Connection: close`, never after reading the body first (a signed-out client could hold
 * the route for as long as it took to send ~5 MiB). The body is read away meanwhile, unkept, so
 * the answer is not lost with the connection.
 */
export function refusedUnread(request: Request, error: unknown): unknown {
	if (request.bodyUsed || !(error instanceof ApiError)) return error;
	void discardBody(request);
	return new ApiError(error.status, error.code, error.message, {
		headers: { ...error.headers, connection: 'close' },
		field: error.field
	});
}

/** Least time between two "low on disk" warnings in the log (every refused upload would repeat it). */
const LOW_DISK_LOG_INTERVAL_MS = 60_000;
let lowDiskLoggedAt = -Infinity;

/** Tells the operator (the log; the admin panel shows the same from its figures) that uploads are refused for disk space. */
function warnLowDisk(deps: Pick<UploadDeps, 'log' | 'now' | 'config'>, freeBytes: number): void {
	const now = deps.now();
	if (now - lowDiskLoggedAt < LOW_DISK_LOG_INTERVAL_MS) return;
	lowDiskLoggedAt = now;
	deps.log.warn(
		{ freeBytes, floorBytes: deps.config.limits.diskFreeFloorBytes },
		'uploads refused: free disk under DATA_DIR is below DISK_FREE_FLOOR_BYTES (messages still work); free some space'
	);
}

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Receives, checks, processes and stores one upload. */
export async function createUpload(deps: UploadDeps & Pick<Runtime, 'imageWork'>, userId: string, request: Request): Promise<UploadView> {
	const blobs = blobStoreOf(deps.config);
	await blobs.ready();
	// Quota and free disk before a byte is read: the room left bounds this upload's stream.
	const room = await uploadRoom(
		{
			db: deps.db,
			dataDir: blobs.root,
			maxBytes: deps.config.uploadMaxBytes,
			limits: deps.config.limits,
			onLowDisk: (free) => warnLowDisk(deps, free)
		},
		userId
	);
	const received = await receiveUpload(request, {
		tmpDir: blobs.tmpDir,
		maxBytes: room.bytes,
		overLimit: () =>
			room.binding === 'quota'
				? quotaExceeded(deps.config.limits.uploadQuotaBytes)
				: room.binding === 'disk'
					? storageFull()
					: tooLarge(deps.config.uploadMaxBytes),
		// Membership as soon as the field arrives: sent before the file (as the app does), a
		// stranger's upload is refused before its bytes are stored. Checked again below regardless.
		checkField: async (name, value) => {
			if (name !== 'conversationId') return;
			try {
				await requirePoster(deps, pathId(value), userId);
			} catch (error) {
				// Answered while the body may still arrive: the connection closes after the answer.
				if (error instanceof ApiError)
					throw new ApiError(error.status, error.code, error.message, {
						headers: { ...error.headers, connection: 'close' },
						field: error.field
					});
				throw error;
			}
		}
	});
	const temps = received.file ? [received.file.tempPath] : [];
	try {
		const file = received.file;
		if (!file || file.size === 0) throw new ApiError(400, 'invalid_input', 'file: attach a file');
		const conversationId = pathId(received.fields.conversationId);
		await requirePoster(deps, conversationId, userId);
		const detected = await detectUpload(file.tempPath, file.claimedType);
		const id = randomId();
		const name = cleanFileName(file.name);
		const stored: Array<{ sha256: string; size: number; tempPath: string }> = [];
		let view: UploadView;
		let thumbSha: string | null = null;
		if (detected.processing === 'none') {
			stored.push({ sha256: file.sha256, size: file.size, tempPath: file.tempPath });
			view = { id, url: uploadUrl(id), mime: detected.mime, size: file.size, kind: detected.kind };
		} else {
			// The header's size first: a bomb is refused without a decode or a place in the queue.
			const maxPixels = deps.config.limits.uploadMaxImagePixels;
			if (await fileHeaderPixelsOver(file.tempPath, maxPixels))
				throw new ApiError(413, 'too_large', `image: more than ${maxPixels} pixels`);
			const image = await imageQueued(
				deps.imageWork,
				() => processImage(file.tempPath, detected.mime, detected.processing === 'bmp', deps.config.limits),
				userId
			);
			const sha = sha256Of(image.bytes);
			thumbSha = sha256Of(image.thumb);
			const [served, thumb] = await Promise.all([blobs.writeTemp(image.bytes), blobs.writeTemp(image.thumb)]);
			temps.push(served, thumb);
			stored.push(
				{ sha256: sha, size: image.bytes.byteLength, tempPath: served },
				{ sha256: thumbSha, size: image.thumb.byteLength, tempPath: thumb }
			);
			view = {
				id,
				url: uploadUrl(id),
				mime: image.mime,
				size: image.bytes.byteLength,
				kind: 'image',
				width: image.width,
				height: image.height,
				thumbUrl: uploadThumbUrl(id),
				placeholder: image.placeholder
			};
		}
		if (name) view.name = name;
		const now = deps.now();
		await deps.db.transaction(async (tx) => {
			// The quota once more, with this person's other uploads committed (two at once both fit the room above).
			await holdQuota(tx, userId, view.size, deps.config.limits.uploadQuotaBytes);
			await useBlobs(tx, stored, now);
			await insertUpload(tx, {
				id,
				conversation_id: conversationId,
				uploader_id: userId,
				kind: view.kind,
				mime: view.mime,
				name,
				size: view.size,
				sha256: stored[0]!.sha256,
				thumb_sha256: thumbSha,
				width: view.width ?? null,
				height: view.height ?? null,
				placeholder: view.placeholder ?? null,
				created_at: now
			});
			// Inside the transaction, after the blob rows are held: a sweep removing the same bytes
			// has either finished (we put them back) or waits for us (and then finds them in use).
			for (const blob of stored) await blobs.place(blob.tempPath, blob.sha256);
		});
		// Heard by the relay (here and on other instances): envelopes may now name this upload (R27).
		deps.events.emit('uploadCreated', { conversationId, uploadId: id });
		return view;
	} finally {
		// Whatever was not placed (a refusal, a failure, a duplicate) goes.
		await Promise.all(temps.map((t) => rm(t, { force: true })));
	}
}
