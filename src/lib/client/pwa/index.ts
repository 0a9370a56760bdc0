/**
 * The PWA layer for the rest of the app: sign-out calls `clearPwaCaches()`; code that writes a lot
 * to IndexedDB calls `checkQuota()` first and wraps the write in `guardQuota(write,
 * notices.reportStorageFull)` (the page's `PwaNotices`, from `getPwaNotices()`). Registration, the update prompt and the persistence request live
 * in `src/lib/components/UpdatePrompt.svelte` (mounted in the root layout).
 */
export { clearPwaCaches, wipeWorkerMedia } from './caches.js';
export { checkQuota, guardQuota, isQuotaExceeded, requestPersistentStorage, watchQuotaErrors, STORAGE_LIMITS } from './storage.js';
export { PwaNotices, getPwaNotices, setPwaNotices } from './notices.svelte.js';
export { navigationPlan, SHELL_PATH } from './navigation.js';
