/**
 * The media outbox: messages with files wait here (persisted, Blobs and all) until every file has
 * been uploaded, and only then become one `send` of a `kind: "media"` envelope. The relay refuses
 * an attachment that is not an upload of the conversation (R27), and a refused update wedges the
 * document, so nothing is published before all uploads answered 201 and the envelope passed
 * `envelopeProblem`. A few files upload at a time; retryable failures come back with backoff (and
 * at once when the network returns), final ones leave the message `failed` with the reason until
 * the person retries or removes it. Progress lives in memory only; answers are stored as they
 * arrive, so a reload resumes with the files still missing.
 */
import { envelopeProblem } from '../../sync/index.js';
import { SYNC_LIMITS, type Attachment, type Envelope } from '../../sync/schema.js';
import { parseUploadUrl, uploadUrl } from '../../sync/uploads.js';
import type { MediaStore } from '../storage/types.js';
import type { MediaFileRecord, MediaRecord } from './records.js';
import { retryDelay, UploadFailure, type UploadAnswer, type Uploader } from './request.js';

/** Media outbox limits, named. */
export const MEDIA_OUTBOX_LIMITS = {
	/** files in one message (the envelope's limit) */
	maxFiles: SYNC_LIMITS.maxAttachments,
	/** bytes waiting on this device at most: a phone's storage is not a file server */
	maxQueuedBytes: 1024 * 1024 * 1024,
	/** uploads running at once: two keep the link busy without starving the chat's own traffic */
	concurrent: 2,
	/**
	 * An upload answered longer ago than this is made again before the message is published. The
	 * server removes an upload no message references after `uploadPendingGraceMs` (3 days), and then
	 * refuses an envelope naming it (R27): a message whose first file finished days before its last
	 * (a long trip offline, a huge video) would be refused, and its files already gone from the
	 * device (issue 21 item 14). A day of margin covers the sweeper's interval, clocks that differ
	 * and the time publishing takes.
	 */
	reuseUploadForMs: 2 * 24 * 3600_000
} as const;

/** Why `add` refused (the UI says which). */
export type MediaRefusal = 'empty' | 'too_many_files' | 'queue_full' | 'storage';

export class MediaRefusedError extends Error {
	constructor(readonly reason: MediaRefusal) {
		super(reason);
	}
}

/** A file of a message to add. */
export interface NewMediaFile {
	blob: Blob;
	name: string;
	duration?: number;
	poster?: Blob;
}

/** Live state of one pending message, for the views. */
export interface PendingMedia {
	record: MediaRecord;
	/** per local file id, 0..1 */
	progress: ReadonlyMap<string, number>;
}

export interface MediaOutboxOptions {
	store: MediaStore;
	upload: Uploader;
	/** writes the envelope into the conversation (the text outbox takes it from there) */
	publish: (conversationId: string, envelope: Envelope) => Promise<void>;
	me: string;
	/** whether to try now (the browser thinks it has a network) */
	online: () => boolean;
	random?: () => number;
	/** told when the device refused to store something */
	onStorageError?: (error: unknown) => void;
	/** told after every change to the store (other tabs then `refresh`) */
	announce?: () => void;
	/** called by `destroy` (release a lock, close a channel) */
	onDestroy?: () => void;
	/** the clock (tests move it) */
	now?: () => number;
}

/** One upload to make: a file, or a video's poster. */
interface Task {
	record: MediaRecord;
	file: MediaFileRecord;
	part: 'file' | 'poster';
}

export class MediaOutbox {
	#records = new Map<string, MediaRecord>();
	#progress = new Map<string, Map<string, number>>();
	#running = new Map<string, AbortController>();
	#attempts = new Map<string, number>();
	#notBefore = new Map<string, number>();
	#publishing = new Set<string>();
	#timer: ReturnType<typeof setTimeout> | null = null;
	#listeners = new Set<() => void>();
	#loaded: Promise<void>;
	#destroyed = false;

	#now: () => number;

	constructor(private readonly options: MediaOutboxOptions) {
		this.#now = options.now ?? Date.now;
		this.#loaded = options.store
			.all()
			.then((records) => {
				for (const r of records) {
					// published in an earlier session and never heard of since: the relay took it long ago
					if (r.published !== undefined && r.published < this.#now() - MEDIA_OUTBOX_LIMITS.reuseUploadForMs) {
						void this.#forget(r.id);
						continue;
					}
					if (!this.#records.has(r.id)) this.#records.set(r.id, r);
				}
				this.#changed();
				this.pump();
			})
			.catch((error: unknown) => options.onStorageError?.(error));
	}

	/**
	 * Reads the store again (another tab changed it): new records appear, records gone from it are
	 * forgotten (sent or removed elsewhere), and a record's failure follows the stored one.
	 */
	async refresh(): Promise<void> {
		let stored: MediaRecord[];
		try {
			stored = await this.options.store.all();
		} catch (error) {
			return this.options.onStorageError?.(error);
		}
		const ids = new Set(stored.map((r) => r.id));
		for (const [id, record] of this.#records) {
			if (ids.has(id) || this.#publishing.has(id)) continue;
			this.#records.delete(id);
			for (const file of record.files) for (const part of ['file', 'poster']) this.#running.get(`${file.localId}:${part}`)?.abort();
		}
		for (const r of stored) {
			const known = this.#records.get(r.id);
			if (!known) this.#records.set(r.id, r);
			else if (r.failed === undefined) delete known.failed;
			else known.failed = r.failed;
		}
		this.#changed();
		this.pump();
	}

	/** Resolves once the stored records have been read. */
	get loaded(): Promise<void> {
		return this.#loaded;
	}

	/** Pending messages of a conversation, oldest first. */
	pending(conversationId: string): PendingMedia[] {
		const out: PendingMedia[] = [];
		for (const record of this.#records.values()) {
			if (record.conversationId !== conversationId || record.published !== undefined) continue;
			out.push({ record, progress: this.#progress.get(record.id) ?? new Map() });
		}
		return out.sort((a, b) => a.record.createdAt - b.record.createdAt);
	}

	/** Bytes of every file waiting. */
	get queuedBytes(): number {
		let total = 0;
		for (const r of this.#records.values()) for (const f of r.files) total += f.blob.size + (f.poster?.size ?? 0);
		return total;
	}

	onChange(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/**
	 * Stores a message with `files` (shown at once as pending) and starts its uploads when online.
	 * Refuses (`MediaRefusedError`) no files, more than `maxFiles`, or more than the queue holds.
	 */
	async add(input: { conversationId: string; files: NewMediaFile[]; caption?: string; replyTo?: string }): Promise<MediaRecord> {
		if (input.files.length === 0) throw new MediaRefusedError('empty');
		if (input.files.length > MEDIA_OUTBOX_LIMITS.maxFiles) throw new MediaRefusedError('too_many_files');
		const bytes = input.files.reduce((n, f) => n + f.blob.size + (f.poster?.size ?? 0), 0);
		if (this.queuedBytes + bytes > MEDIA_OUTBOX_LIMITS.maxQueuedBytes) throw new MediaRefusedError('queue_full');
		const record: MediaRecord = {
			id: crypto.randomUUID(),
			conversationId: input.conversationId,
			createdAt: this.#now(),
			caption: input.caption ?? '',
			...(input.replyTo ? { replyTo: input.replyTo } : {}),
			files: input.files.map((f) => ({
				localId: crypto.randomUUID(),
				blob: f.blob,
				name: f.name,
				...(f.duration !== undefined && Number.isFinite(f.duration) ? { duration: f.duration } : {}),
				...(f.poster ? { poster: f.poster } : {})
			}))
		};
		try {
			await this.options.store.put(record);
		} catch (error) {
			this.options.onStorageError?.(error);
			throw new MediaRefusedError('storage');
		}
		this.options.announce?.();
		this.#records.set(record.id, record);
		this.#changed();
		this.pump();
		return record;
	}

	/** Cancels a pending message: its uploads stop and it is forgotten. */
	async remove(id: string): Promise<void> {
		const record = this.#records.get(id);
		if (!record || this.#publishing.has(id)) return;
		this.#records.delete(id);
		for (const file of record.files) for (const part of ['file', 'poster']) this.#running.get(`${file.localId}:${part}`)?.abort();
		this.#progress.delete(id);
		this.#attempts.delete(id);
		this.#notBefore.delete(id);
		this.#changed();
		await this.#forget(id);
		this.pump();
	}

	/** Tries a failed (or waiting) message again now. */
	async retry(id: string): Promise<void> {
		const record = this.#records.get(id);
		if (!record) return;
		this.#attempts.delete(id);
		this.#notBefore.delete(id);
		if (record.failed !== undefined) {
			delete record.failed;
			await this.#save(record);
		}
		this.#changed();
		this.pump();
	}

	/** The network came back (or went): try what waits now, without waiting for backoff. */
	setOnline(online: boolean): void {
		if (online) this.#notBefore.clear();
		this.pump();
	}

	/** Stops every upload (sign-out, page gone); the stored records stay unless wiped. */
	destroy(): void {
		this.#destroyed = true;
		for (const controller of this.#running.values()) controller.abort();
		this.#running.clear();
		if (this.#timer) clearTimeout(this.#timer);
		this.#listeners.clear();
		this.options.onDestroy?.();
	}

	/** Starts uploads up to the limit, and publishes messages whose uploads are all done. */
	pump(): void {
		if (this.#destroyed) return;
		const now = Date.now();
		// Only the tab that works the outbox publishes (`online` is false in the others): two tabs
		// publishing the same record would write the same envelope id twice, which the relay refuses
		// (R13) and the second tab would then recover from by reloading the whole conversation.
		if (!this.options.online()) return;
		for (const record of this.#records.values()) {
			if (record.published !== undefined) continue;
			if (record.failed === undefined && !this.#publishing.has(record.id)) this.#renewStale(record);
			if ((this.#notBefore.get(record.id) ?? 0) > now) continue;
			if (record.failed === undefined && record.files.every((f) => f.upload && (!f.poster || f.posterUpload))) void this.#publish(record);
		}
		let wake = Infinity;
		for (const task of this.#tasks()) {
			if (this.#running.size >= MEDIA_OUTBOX_LIMITS.concurrent) break;
			const notBefore = this.#notBefore.get(task.record.id) ?? 0;
			if (notBefore > now) {
				wake = Math.min(wake, notBefore);
				continue;
			}
			void this.#run(task);
		}
		if (wake !== Infinity) {
			if (this.#timer) clearTimeout(this.#timer);
			this.#timer = setTimeout(() => {
				this.#timer = null;
				this.pump();
			}, wake - now);
		}
	}

	/** Uploads not done, not running, of messages not failed; oldest message first, poster before its video. */
	*#tasks(): Generator<Task> {
		const ordered = [...this.#records.values()].sort((a, b) => a.createdAt - b.createdAt);
		for (const record of ordered) {
			if (record.failed !== undefined || record.published !== undefined || this.#publishing.has(record.id)) continue;
			for (const file of record.files) {
				if (file.poster && !file.posterUpload && !this.#running.has(`${file.localId}:poster`)) yield { record, file, part: 'poster' };
				if (!file.upload && !this.#running.has(`${file.localId}:file`)) yield { record, file, part: 'file' };
			}
		}
	}

	async #run({ record, file, part }: Task): Promise<void> {
		const key = `${file.localId}:${part}`;
		const controller = new AbortController();
		this.#running.set(key, controller);
		try {
			const answer = await this.options.upload({
				conversationId: record.conversationId,
				file: part === 'poster' ? file.poster! : file.blob,
				name: part === 'poster' ? `${file.name}.poster.jpg` : file.name,
				signal: controller.signal,
				onProgress: part === 'file' ? (fraction) => this.#setProgress(record.id, file.localId, fraction) : undefined
			});
			if (!this.#records.has(record.id)) return; // removed meanwhile
			if (part === 'poster') {
				file.posterUpload = answer;
				file.posterUploadedAt = this.#now();
			} else {
				file.upload = answer;
				file.uploadedAt = this.#now();
			}
			if (part === 'file') this.#setProgress(record.id, file.localId, 1);
			this.#attempts.delete(record.id);
			await this.#save(record);
		} catch (error) {
			if (!this.#records.has(record.id)) return;
			const failure =
				error instanceof UploadFailure
					? error
					: new UploadFailure(0, 'unreachable', error instanceof Error ? error.message : String(error), true);
			if (failure.cancelled) return;
			if (failure.retryable) {
				const attempt = (this.#attempts.get(record.id) ?? 0) + 1;
				this.#attempts.set(record.id, attempt);
				this.#notBefore.set(record.id, Date.now() + retryDelay(attempt, failure.retryAfterMs, this.options.random));
			} else {
				record.failed = failure.message;
				// the other files of this message stop too: it cannot be sent without this one
				for (const other of record.files) for (const p of ['file', 'poster']) this.#running.get(`${other.localId}:${p}`)?.abort();
				await this.#save(record);
			}
		} finally {
			if (this.#running.get(key) === controller) this.#running.delete(key);
			this.#changed();
			this.pump();
		}
	}

	/**
	 * Forgets answers older than `reuseUploadForMs` (an answer stored before their time was kept
	 * counts from the message's creation), so that those files are uploaded again before publishing.
	 */
	#renewStale(record: MediaRecord): void {
		const oldest = this.#now() - MEDIA_OUTBOX_LIMITS.reuseUploadForMs;
		let renewed = false;
		for (const file of record.files) {
			if (file.upload && (file.uploadedAt ?? record.createdAt) < oldest) {
				delete file.upload;
				delete file.uploadedAt;
				renewed = true;
			}
			if (file.posterUpload && (file.posterUploadedAt ?? record.createdAt) < oldest) {
				delete file.posterUpload;
				delete file.posterUploadedAt;
				renewed = true;
			}
		}
		if (renewed) void this.#save(record);
	}

	async #publish(record: MediaRecord): Promise<void> {
		if (this.#publishing.has(record.id)) return;
		const envelope = mediaEnvelope(record, this.options.me);
		const problem = publishProblem(envelope);
		if (problem !== null) {
			// the relay would refuse it and wedge the document: keep it here, failed, with the reason
			record.failed = problem;
			await this.#save(record);
			this.#changed();
			return;
		}
		this.#publishing.add(record.id);
		try {
			await this.options.publish(record.conversationId, envelope);
			// written to the document and its outbox: the chat shows it from there on; the record
			// (files and all) waits, hidden, for the relay's confirmation (`delivered`)
			record.published = this.#now();
			this.#progress.delete(record.id);
			await this.#save(record);
		} catch (error) {
			if (error instanceof UploadFailure && !error.retryable) {
				record.failed = error.message;
				await this.#save(record);
			} else {
				// the conversation could not be opened (session ending, storage): try again later
				this.#notBefore.set(record.id, Date.now() + retryDelay(1, undefined, this.options.random));
			}
		} finally {
			this.#publishing.delete(record.id);
			this.#changed();
		}
	}

	/** The relay stored these envelopes: their records (and files) are no longer needed. */
	async delivered(envelopeIds: readonly string[]): Promise<void> {
		for (const id of envelopeIds) {
			const record = this.#records.get(id);
			if (!record || record.published === undefined) continue;
			this.#records.delete(id);
			await this.#forget(id);
		}
		this.#changed();
	}

	/**
	 * Sends the relay will never take (a recovery gave up on them): each comes back as a failed
	 * pending message with its reason, its files and caption kept, for the person to retry or
	 * remove. A media message's files are uploaded again on retry (the refusal may be R27: an
	 * upload removed meanwhile). A text message comes back as a message without files.
	 */
	async undelivered(conversationId: string, lost: readonly { envelope: Envelope; reason: string }[]): Promise<void> {
		for (const { envelope, reason } of lost) {
			if (envelope.author !== this.options.me) continue;
			let record = this.#records.get(envelope.id);
			if (record) {
				delete record.published;
				for (const file of record.files) {
					delete file.upload;
					delete file.uploadedAt;
					delete file.posterUpload;
					delete file.posterUploadedAt;
				}
			} else {
				if (envelope.kind === 'media' || envelope.kind === 'sticker' || envelope.kind === 'system') continue; // nothing local to keep
				record = {
					id: envelope.id,
					conversationId,
					createdAt: envelope.createdAt,
					caption: envelope.text,
					...(envelope.replyTo ? { replyTo: envelope.replyTo } : {}),
					files: []
				};
				this.#records.set(record.id, record);
			}
			record.failed = reason;
			await this.#save(record);
		}
		this.#changed();
	}

	#setProgress(id: string, localId: string, fraction: number): void {
		let map = this.#progress.get(id);
		if (!map) this.#progress.set(id, (map = new Map()));
		map.set(localId, Math.max(0, Math.min(1, fraction)));
		this.#changed();
	}

	async #save(record: MediaRecord): Promise<void> {
		if (!this.#records.has(record.id)) return;
		await this.options.store.put(record).then(this.options.announce, (error: unknown) => this.options.onStorageError?.(error));
	}

	async #forget(id: string): Promise<void> {
		await this.options.store.delete(id).then(this.options.announce, (error: unknown) => this.options.onStorageError?.(error));
	}

	#changed(): void {
		for (const listener of this.#listeners) listener();
	}
}

/**
 * Why the relay would refuse `envelope`: its shape (`envelopeProblem`), or R27's part we can check
 * here (each attachment at its own upload's URL, a thumbnail naming an upload); null when fine.
 */
export function publishProblem(envelope: Envelope): string | null {
	const shape = envelopeProblem(envelope);
	if (shape !== null) return shape;
	for (const a of envelope.attachments ?? []) {
		if (a.url !== uploadUrl(a.id)) return 'attachment url is not its upload (R27)';
		if (a.thumbUrl !== undefined && parseUploadUrl(a.thumbUrl) === null) return 'attachment thumbnail is not an upload (R27)';
	}
	return null;
}

/** The envelope of a record whose uploads all answered: attachments copied from the answers. */
export function mediaEnvelope(record: MediaRecord, author: string): Envelope {
	// a text message kept after the relay dropped it: sent again as text
	if (record.files.length === 0)
		return {
			id: record.id,
			author,
			createdAt: record.createdAt,
			text: record.caption,
			...(record.replyTo ? { replyTo: record.replyTo } : {})
		};
	return {
		id: record.id,
		author,
		createdAt: record.createdAt,
		text: record.caption,
		kind: 'media',
		attachments: record.files.map((f) => attachmentOf(f.upload!, f)),
		...(record.replyTo ? { replyTo: record.replyTo } : {})
	};
}

function attachmentOf(answer: UploadAnswer, file: MediaFileRecord): Attachment {
	// a video's poster is another upload of this conversation (R27): its URL is the thumbnail
	const thumbUrl = file.posterUpload?.url ?? answer.thumbUrl;
	return {
		id: answer.id,
		url: answer.url,
		mime: answer.mime,
		size: answer.size,
		...(answer.name !== undefined ? { name: answer.name } : {}),
		...(answer.width !== undefined ? { width: answer.width } : {}),
		...(answer.height !== undefined ? { height: answer.height } : {}),
		...(thumbUrl !== undefined ? { thumbUrl } : {}),
		...(answer.placeholder !== undefined ? { placeholder: answer.placeholder } : {}),
		...(file.duration !== undefined ? { duration: file.duration } : {})
	};
}
