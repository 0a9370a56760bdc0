/**
 * Pending media messages as the chat shows them: the message row with local previews (object
 * URLs of the stored Blobs), each file's progress, and the failure reason. Object URLs are made
 * once per file and revoked when the file is no longer pending (sent, removed).
 */
import { attachmentKind } from '../../sync/uploads.js';
import type { AttachmentItem, MessageView } from '../state/types.js';
import type { PendingMedia } from './media-outbox.js';

/** Object URLs of pending files, by local id. */
export class PreviewUrls {
	#urls = new Map<string, string>();

	url(localId: string, blob: Blob): string | undefined {
		let url = this.#urls.get(localId);
		if (!url && typeof URL.createObjectURL === 'function') this.#urls.set(localId, (url = URL.createObjectURL(blob)));
		return url;
	}

	/** Revokes the URLs of files not in `live`. */
	keep(live: ReadonlySet<string>): void {
		for (const [localId, url] of this.#urls) {
			if (live.has(localId)) continue;
			URL.revokeObjectURL(url);
			this.#urls.delete(localId);
		}
	}

	revokeAll(): void {
		this.keep(new Set());
	}
}

/** The rows of pending media messages (own, `pending`), oldest first; previews made as needed. */
export function pendingMediaViews(items: readonly PendingMedia[], me: string, myName: string, previews: PreviewUrls): MessageView[] {
	return items.map(({ record, progress }) => ({
		id: record.id,
		authorId: me,
		authorName: myName,
		createdAt: record.createdAt,
		text: record.caption,
		kind: 'media' as const,
		own: true,
		edited: false,
		state: 'pending' as const,
		...(record.failed !== undefined ? { uploadError: record.failed } : {}),
		attachments: record.files.map((f): AttachmentItem => {
			const mime = f.upload?.mime ?? (f.blob.type || 'application/octet-stream');
			const localUrl = previews.url(f.localId, f.blob);
			return {
				id: f.localId,
				kind: f.upload?.kind ?? localKind(mime),
				mime,
				size: f.blob.size,
				name: f.name,
				...(f.duration !== undefined ? { duration: f.duration } : {}),
				...(localUrl ? { localUrl } : {}),
				progress: f.upload ? 1 : (progress.get(f.localId) ?? 0),
				...(record.failed !== undefined && !f.upload ? { failed: true } : {})
			};
		})
	}));
}

/** How a local file will probably show (the server decides from the bytes once uploaded). */
function localKind(mime: string): AttachmentItem['kind'] {
	const kind = attachmentKind(mime);
	// the browser's claim for a recorded voice message carries codec parameters
	if (kind === 'file' && mime.startsWith('audio/')) return 'audio';
	if (kind === 'file' && mime.startsWith('video/')) return 'video';
	return kind;
}
