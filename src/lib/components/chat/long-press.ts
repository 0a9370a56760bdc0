// A Svelte action: a touch held still for a moment calls `handler` with where it was (a phone's
// "right-click"). Mouse and pen use the context menu event instead.
import type { ActionReturn } from 'svelte/action';

/** How long a touch must be held. */
export const LONG_PRESS_MS = 500;
/** A touch that moves further than this is a scroll, not a press. */
const MOVE_TOLERANCE_PX = 10;

type Handler = ((at: { x: number; y: number }, node: HTMLElement) => void) | undefined;

export function longPress(node: HTMLElement, handler: Handler): ActionReturn<Handler> {
	let current = handler;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let start: { x: number; y: number } | null = null;
	const cancel = () => {
		clearTimeout(timer);
		start = null;
	};
	const down = (event: PointerEvent) => {
		if (event.pointerType !== 'touch' || !current) return;
		start = { x: event.clientX, y: event.clientY };
		const at = start;
		timer = setTimeout(() => {
			start = null;
			current?.(at, node);
		}, LONG_PRESS_MS);
	};
	const move = (event: PointerEvent) => {
		if (start && Math.hypot(event.clientX - start.x, event.clientY - start.y) > MOVE_TOLERANCE_PX) cancel();
	};
	node.addEventListener('pointerdown', down);
	node.addEventListener('pointermove', move);
	node.addEventListener('pointerup', cancel);
	node.addEventListener('pointercancel', cancel);
	return {
		update(next) {
			current = next;
		},
		destroy() {
			cancel();
			node.removeEventListener('pointerdown', down);
			node.removeEventListener('pointermove', move);
			node.removeEventListener('pointerup', cancel);
			node.removeEventListener('pointercancel', cancel);
		}
	};
}
