// Which shortcut a key press on a focused message is (the list in ShortcutsDialog.svelte).

/** What a key does on a focused message. */
export type MessageKeyAction = 'menu' | 'reply' | 'edit' | 'delete' | 'pin';

/** The action of `event`, or null (keys with Ctrl, Alt or Meta are the browser's). */
export function messageKeyAction(
	event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'altKey' | 'metaKey'>
): MessageKeyAction | null {
	if (event.ctrlKey || event.altKey || event.metaKey) return null;
	if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey) || event.key === 'Enter') return 'menu';
	if (event.shiftKey) return null;
	switch (event.key.toLowerCase()) {
		case 'r':
		case 'к': // the same key on a Russian layout
			return 'reply';
		case 'e':
		case 'у':
			return 'edit';
		case 'p':
		case 'з':
			return 'pin';
		case 'delete':
			return 'delete';
		default:
			return null;
	}
}
