/**
 * What the media outbox keeps on the device for a message waiting for its uploads: the files as
 * Blobs (already compressed when sent "as photo"), the caption and reply, and each upload's answer
 * as it arrives, so that a reload resumes with what is left instead of sending everything again.
 */
import type { UploadAnswer } from './request.js';

export interface MediaFileRecord {
	/** local id (the attachment's id while pending) */
	localId: string;
	blob: Blob;
	name: string;
	/** seconds (audio, video), measured by the browser */
	duration?: number;
	/** a video's poster frame, uploaded as an image first */
	poster?: Blob;
	/** the answers, once 201 */
	upload?: UploadAnswer;
	posterUpload?: UploadAnswer;
	/** when each answer came (ms since the epoch): an answer too old is uploaded again before publishing */
	uploadedAt?: number;
	posterUploadedAt?: number;
}

export interface MediaRecord {
	/** the envelope id the message will have (the pending view and the sent one are the same row) */
	id: string;
	conversationId: string;
	createdAt: number;
	caption: string;
	replyTo?: string;
	files: MediaFileRecord[];
	/** set on a final failure: the reason (the server's message); cleared by a retry */
	failed?: string;
	/**
	 * Written into the conversation (ms since the epoch), not yet confirmed by the relay: the record
	 * and its files stay (hidden) until then, so that a send the relay never takes comes back as a
	 * failed message instead of vanishing with its files (issue 21 item 14).
	 */
	published?: number;
}
