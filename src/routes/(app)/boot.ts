// Who is signed in, without depending on the network: the cached user first (offline boot), else
// the server's answer. The hub itself re-checks the session once connected (4401 → signed out).
import { SessionHub, type Me } from '$lib/client/state';

/** The outcome of booting the app. */
export type Boot = { kind: 'ready'; hub: SessionHub } | { kind: 'signed-out' } | { kind: 'offline-signed-out' };

/** Finds the user (cache, then `GET /api/me`) and opens their hub. */
export async function bootApp(origin: string, fetcher: typeof fetch = fetch): Promise<Boot> {
	let me: Me | null = await SessionHub.cachedMe();
	if (!me) {
		let res: Response;
		try {
			res = await fetcher('/api/me', { headers: { accept: 'application/json' } });
		} catch {
			return { kind: 'offline-signed-out' };
		}
		if (res.status === 401) return { kind: 'signed-out' };
		if (!res.ok) return { kind: 'offline-signed-out' };
		const body = (await res.json()) as { user: Me; inboxDocName?: string };
		me = { ...body.user, inboxDocName: body.inboxDocName };
	}
	return { kind: 'ready', hub: await SessionHub.open({ me, origin, fetch: fetcher }) };
}
