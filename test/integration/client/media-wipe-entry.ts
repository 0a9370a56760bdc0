// Bundled for the Chromium media-cache wipe test: the service worker's media cache and the page's cache clean-up, on `window`.
import { MediaCache } from '../../../src/lib/client/pwa/media-cache.js';
import { clearPwaCaches } from '../../../src/lib/client/pwa/caches.js';
import { MEDIA_CACHE } from '../../../src/lib/client/pwa/cache-names.js';

(globalThis as unknown as { parley: unknown }).parley = { MediaCache, clearPwaCaches, MEDIA_CACHE };
