/**
 * Files chosen for the next message, before it is sent (the preview tray): from the chooser, a
 * drop or a paste, with local previews, a caption and "as photo" / "as file". Sending hands them
 * to the conversation's media outbox and empties the tray.
 */
import { MEDIA_OUTBOX_LIMITS, type MediaRefusal } from '../uploads/media-outbox.js';

export interface ChosenFile {
	id: string;
	file: File;
	name: string;
	size: number;
	/** an object URL for image previews (revoked when the file leaves the tray) */
	previewUrl?: string;
	image: boolean;
}

export class AttachDraft {
	#files = $state.raw<ChosenFile[]>([]);
	caption = $state('');
	asPhoto = $state(true);
	error = $state<MediaRefusal | null>(null);
	busy = $state(false);

	get files(): ChosenFile[] {
		return this.#files;
	}

	get hasImages(): boolean {
		return this.#files.some((f) => f.image);
	}

	/** Adds files, up to `maxFiles` in one message (the rest are refused with `too_many_files`). */
	add(files: Iterable<File>): void {
		const room = MEDIA_OUTBOX_LIMITS.maxFiles - this.#files.length;
		const list = [...files];
		this.error = list.length > room ? 'too_many_files' : null;
		const added = list.slice(0, Math.max(0, room)).map((file): ChosenFile => {
			const image = file.type.startsWith('image/');
			return {
				id: crypto.randomUUID(),
				file,
				name: file.name || file.type,
				size: file.size,
				image,
				...(image ? { previewUrl: URL.createObjectURL(file) } : {})
			};
		});
		this.#files = [...this.#files, ...added];
	}

	remove(id: string): void {
		const gone = this.#files.find((f) => f.id === id);
		if (gone?.previewUrl) URL.revokeObjectURL(gone.previewUrl);
		this.#files = this.#files.filter((f) => f.id !== id);
		if (this.#files.length <= MEDIA_OUTBOX_LIMITS.maxFiles) this.error = null;
	}

	clear(): void {
		for (const f of this.#files) if (f.previewUrl) URL.revokeObjectURL(f.previewUrl);
		this.#files = [];
		this.caption = '';
		this.asPhoto = true;
		this.error = null;
	}

	/** Sends through `sendFiles`; the tray empties unless refused (then `error` says why). */
	async send(sendFiles: (files: File[], options: { caption: string; asPhoto: boolean }) => Promise<MediaRefusal | null>): Promise<boolean> {
		if (this.#files.length === 0 || this.busy) return false;
		this.busy = true;
		try {
			const refused = await sendFiles(
				this.#files.map((f) => f.file),
				{ caption: this.caption, asPhoto: this.asPhoto }
			);
			if (refused) {
				this.error = refused;
				return false;
			}
			this.clear();
			return true;
		} finally {
			this.busy = false;
		}
	}
}
