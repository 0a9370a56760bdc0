// Focus helpers shared by every dialog and popup: give focus back to whoever had it, keep Tab inside.

/**
 * Remembers the element that has focus now; the returned function gives focus back to it, if it
 * is still on the page (a virtualised row or a closed menu may have gone meanwhile). Every dialog,
 * menu and bar that takes focus uses it to return to its opener.
 */
export function captureFocus(): () => void {
	const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
	return () => {
		if (before?.isConnected) before.focus();
	};
}

const FOCUSABLE =
	'a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/**
 * Keeps Tab inside a modal dialog. A modal <dialog> makes the page behind inert, but Tab from its
 * last control still leaves it for the browser's own UI; this wraps it to the first instead.
 * Handles Tab / Shift+Tab at either end of `container`'s controls; true when it moved focus.
 */
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
