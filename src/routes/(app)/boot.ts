// Boots the app: the client layer decides who is signed in (the cached user offline; online, the
// server's answer, wiping a cached user who is no longer the one signed in).
import { SessionHub, browserStorage } from '$lib/client/state';
import type { PwaNotices } from '$lib/client/pwa';
import { markOpen, OPEN_MARKS } from '$lib/client/perf-marks';

/** The outcome of booting the app. */
export type Boot = { kind: 'ready'; hub: SessionHub } | { kind: 'signed-out' } | { kind: 'offline-signed-out' };

/** Opens the signed-in user's hub, or says why not. */
export async function bootApp(origin: string, notices: PwaNotices): Promise<Boot> {
	markOpen(OPEN_MARKS.bootStart);
	const result = await SessionHub.boot({ origin, storage: browserStorage(), notices });
	if ('hub' in result) return { kind: 'ready', hub: result.hub };
	// Nobody cached and no server to ask: the sign-in page cannot work now either.
	return navigator.onLine ? { kind: 'signed-out' } : { kind: 'offline-signed-out' };
}
