/** Hands the session hub to pages through Svelte context (one hub per signed-in session). */
import { getContext, setContext } from 'svelte';
import type { SessionHub } from './session-hub.svelte.js';

const KEY = Symbol('parley.session-hub');

/** In the layout that owns the session: makes `hub` available to every page below it. */
export function setHub(hub: SessionHub): SessionHub {
	return setContext(KEY, hub);
}

/** In a page or component under that layout: the session's hub. */
export function getHub(): SessionHub {
	const hub = getContext<SessionHub | undefined>(KEY);
	if (!hub) throw new Error('no SessionHub in context: setHub() in the signed-in layout first');
	return hub;
}
