// Keeps Tab inside a modal dialog. A modal <dialog> makes the page behind inert, but Tab from its
// last control still leaves it for the browser's own UI; this wraps it to the first instead.

const FOCUSABLE =
	'a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/** Handles Tab / Shift+Tab at either end of `container`'s controls; true when it moved focus. */
export function wrapTab(container: HTMLElement, event: KeyboardEvent): boolean {
	if (event.key !== 'Tab') return false;
	const controls = [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
	const first = controls[0];
	const last = controls.at(-1);
	if (!first || !last) return false;
	const active = document.activeElement;
	const target = event.shiftKey ? (active === first || !container.contains(active) ? last : null) : active === last ? first : null;
	if (!target) return false;
	event.preventDefault();
	target.focus();
	return true;
}
