/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Parley's service worker: precaches the build, the static files and the prerendered shell, and
 * answers app navigations with the shell so the app boots with no network. At run time it caches
 * only uploads' files and thumbnails seen (media-cache.ts) and personal sticker images
 * (sticker-cache.ts), both bounded and deleted at sign-out; API answers, avatars and everything
 * else user-specific always come from the network. A new version waits until the page asks it to
 * take over (the "update available" prompt, src/lib/components/UpdatePrompt.svelte).
 */
import { build, files, prerendered, version } from '$service-worker';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkOnly } from 'workbox-strategies';
import { SHELL_PATH, navigationPlan } from '$lib/client/pwa/navigation';
import { GET_VERSION, SKIP_WAITING, WIPE_MEDIA } from '$lib/client/pwa/messages';
import { cachedSticker, isStickerImagePath } from '$lib/client/pwa/sticker-cache';
import { SECURITY_HEADERS } from '$lib/security-policy.js';
import { MediaCache, isMediaRequest } from '$lib/client/pwa/media-cache';
import { installPushHandlers } from '$lib/client/push/worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

// Build files carry a content hash in their names (no revision needed); static files and the
// prerendered shell are revised by the build's version. Prerendered server data (the shell's
// __data.json: a signed-out visitor's) is left out: the app asks the server for its own.
precacheAndRoute([
	...build.map((url) => ({ url, revision: null })),
	...files.map((url) => ({ url, revision: version })),
	...prerendered.filter((url) => !url.endsWith('/__data.json')).map((url) => ({ url, revision: version }))
]);
cleanupOutdatedCaches();

const shellHandler = createHandlerBoundToURL(SHELL_PATH);
type RouteHandlerCallbackOptions = Parameters<typeof shellHandler>[0];
const network = new NetworkOnly();

/**
 * The shell, with the headers the server gives every page: a prerendered page's CSP is a <meta>
 * tag (hashes for Kit's inline start script), which cannot forbid framing.
 */
async function shell(options: RouteHandlerCallbackOptions): Promise<Response> {
	const cached = await shellHandler(options);
	const headers = new Headers(cached.headers);
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
	headers.set('content-security-policy', "frame-ancestors 'none'");
	return new Response(cached.body, { status: cached.status, statusText: cached.statusText, headers });
}

registerRoute(
	({ request, url }) => request.mode === 'navigate' && url.origin === sw.location.origin && navigationPlan(url.pathname) !== 'network',
	async (options) => {
		if (navigationPlan(options.url.pathname) === 'shell') return shell(options);
		// Server-rendered pages (sign-in, settings): the server's answer while it is reachable.
		try {
			return await network.handle(options);
		} catch {
			return shell(options);
		}
	}
);

// Web Worker scripts (the on-device search index's): Vite emits them beside the build but Kit's
// `build` list leaves them out, so they are not precached. Named by content hash: cache first, in a
// cache of this version only (older versions' go at activation), so a worker seen online starts offline.
const WORKERS_CACHE_PREFIX = 'parley-workers-';
const workersCache = `${WORKERS_CACHE_PREFIX}${version}`;
registerRoute(
	({ request, url }) =>
		request.method === 'GET' && url.origin === sw.location.origin && url.pathname.startsWith('/_app/immutable/workers/'),
	new CacheFirst({ cacheName: workersCache })
);

// Personal sticker images (immutable): cache first, bounded, wiped at sign-out (sticker-cache.ts).
registerRoute(
	({ request, url }) => request.method === 'GET' && url.origin === sw.location.origin && isStickerImagePath(url.pathname),
	({ request }) => cachedSticker(request)
);

const media = new MediaCache(sw.caches);
registerRoute(
	({ request }) => isMediaRequest(request, sw.location.origin),
	({ request, event }) => media.handle(request, (work) => (event as ExtendableEvent).waitUntil(work))
);

sw.addEventListener('message', (event) => {
	const type = (event.data as { type?: unknown } | null)?.type;
	if (type === SKIP_WAITING) void sw.skipWaiting();
	else if (type === GET_VERSION) event.ports[0]?.postMessage({ version });
	else if (type === WIPE_MEDIA) {
		const port = event.ports[0];
		event.waitUntil(media.wipe().then(() => port?.postMessage({ wiped: true })));
	}
});

// Notifications: web push, clicks, "Mark as read", and the hidden app's own (docs/notifications.md).
installPushHandlers(sw);

// Take control of open pages on first install (else only from their next load). An update
// activates only when a page asks (SKIP_WAITING), and that page reloads on `controlling`.
sw.addEventListener('activate', (event) =>
	event.waitUntil(
		sw.caches
			.keys()
			.then((names) =>
				Promise.all(names.filter((n) => n.startsWith(WORKERS_CACHE_PREFIX) && n !== workersCache).map((n) => sw.caches.delete(n)))
			)
			.then(() => sw.clients.claim())
	)
);
