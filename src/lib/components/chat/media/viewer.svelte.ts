// Which picture the lightbox shows, shared by a chat's media views through Svelte context: the
// chat view provides it with its loaded messages, a message's picture asks it to open.
import { getContext, setContext } from 'svelte';
import type { AttachmentItem } from '$lib/client/state/types';
import { galleryImages, type GalleryImage } from './gallery';

const KEY = Symbol('parley-media-viewer');

export class MediaViewer {
	/** The upload id shown, or null when the lightbox is closed. */
	openId = $state<string | null>(null);
	#opener: HTMLElement | null = null;
	readonly #messages: () => readonly { attachments?: readonly AttachmentItem[] }[];

	constructor(messages: () => readonly { attachments?: readonly AttachmentItem[] }[]) {
		this.#messages = messages;
	}

	/** The chat's pictures, oldest first (the loaded window's). */
	get images(): GalleryImage[] {
		return galleryImages(this.#messages());
	}

	/** Opens on `id`; focus goes back to `opener` on close. */
	open(id: string, opener: HTMLElement | null): void {
		this.#opener = opener;
		this.openId = id;
	}

	close(): void {
		this.openId = null;
		this.#opener?.focus();
		this.#opener = null;
	}
}

/** Makes a viewer over `messages` for the components below (call during the chat view's set-up). */
export function provideMediaViewer(messages: () => readonly { attachments?: readonly AttachmentItem[] }[]): MediaViewer {
	return setContext(KEY, new MediaViewer(messages));
}

/** The chat's viewer, if a chat view provides one. */
export function mediaViewer(): MediaViewer | undefined {
	return getContext<MediaViewer | undefined>(KEY);
}
