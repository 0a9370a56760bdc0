/**
 * A Svelte action for the chat: files dragged onto it (the drop zone shows while they hover) or
 * pasted into it (Ctrl+V of an image or files copied in a file manager) go to `onfiles`. Text
 * drags and pastes are left to the browser.
 */
import type { Action } from 'svelte/action';

export interface FileDropOptions {
	onfiles: (files: File[]) => void;
	/** true while files hover over the element */
	ondragging: (dragging: boolean) => void;
	/** false: ignore everything (the person cannot write here) */
	enabled: boolean;
}

const hasFiles = (data: DataTransfer | null): boolean => !!data && [...data.types].includes('Files');

export const fileDrop: Action<HTMLElement, FileDropOptions> = (node, initial) => {
	let options = initial;
	// dragenter/dragleave fire for every child crossed: count them to know when the drag left
	let depth = 0;
	const set = (dragging: boolean) => options.ondragging(dragging);
	const enter = (event: DragEvent) => {
		if (!options.enabled || !hasFiles(event.dataTransfer)) return;
		event.preventDefault();
		if (depth++ === 0) set(true);
	};
	const over = (event: DragEvent) => {
		if (!options.enabled || !hasFiles(event.dataTransfer)) return;
		event.preventDefault(); // without it the browser opens the dropped file instead
		if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
	};
	const leave = () => {
		if (depth > 0 && --depth === 0) set(false);
	};
	const drop = (event: DragEvent) => {
		depth = 0;
		set(false);
		const files = [...(event.dataTransfer?.files ?? [])];
		if (!options.enabled || files.length === 0) return;
		event.preventDefault();
		options.onfiles(files);
	};
	const paste = (event: ClipboardEvent) => {
		const files = [...(event.clipboardData?.files ?? [])];
		if (!options.enabled || files.length === 0) return;
		event.preventDefault();
		options.onfiles(files);
	};
	node.addEventListener('dragenter', enter);
	node.addEventListener('dragover', over);
	node.addEventListener('dragleave', leave);
	node.addEventListener('drop', drop);
	node.addEventListener('paste', paste);
	return {
		update: (next) => (options = next),
		destroy: () => {
			node.removeEventListener('dragenter', enter);
			node.removeEventListener('dragover', over);
			node.removeEventListener('dragleave', leave);
			node.removeEventListener('drop', drop);
			node.removeEventListener('paste', paste);
		}
	};
};
