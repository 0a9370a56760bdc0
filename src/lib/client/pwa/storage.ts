/**
 * Persistent storage and a full quota. The app keeps every conversation in IndexedDB, which the
 * browser may evict under pressure unless the origin's storage is persistent; and a write past
 * the quota fails with QuotaExceededError, which aborts only that transaction (what was stored
 * before stays). Browser objects are passed in, so every function runs against the real APIs.
 */

/** Limits of the storage checks. */
export const STORAGE_LIMITS = {
	/**
	 * Space kept free besides the write being checked: IndexedDB needs room for its own journal
	 * and y-indexeddb compacts by writing before it deletes, so running to the last byte fails.
	 */
	headroomBytes: 5 * 1024 * 1024
} as const;

/** localStorage key remembering that persistence was asked for (Firefox asks the person). */
export const PERSIST_ASKED_KEY = 'parley-persist-asked';

/** What `requestPersistentStorage` found. */
export type PersistResult = 'persisted' | 'not-persisted' | 'unsupported';

/**
 * Asks once per browser for persistent storage (call after sign-in); later calls only report.
 * Chromium decides silently from site engagement (and grants it to installed apps); Firefox shows
 * a prompt, which is why it is asked once and not on every start.
 */
export async function requestPersistentStorage(
	storage: StorageManager | undefined = globalThis.navigator?.storage,
	memo: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage
): Promise<PersistResult> {
	if (!storage?.persist || !storage.persisted) return 'unsupported';
	if (await storage.persisted()) return 'persisted';
	if (memo?.getItem(PERSIST_ASKED_KEY)) return 'not-persisted';
	memo?.setItem(PERSIST_ASKED_KEY, new Date().toISOString());
	return (await storage.persist()) ? 'persisted' : 'not-persisted';
}

/** The origin's usage and quota, and whether a write of `bytes` more fits. */
export interface QuotaCheck {
	fits: boolean;
	usage: number;
	quota: number;
}

/**
 * Call before a big write (a media file, a large history fetch): does `bytes` more fit, with
 * headroom? Unknown figures (no estimate API) count as fitting; the write is still guarded.
 */
export async function checkQuota(bytes: number, storage: StorageManager | undefined = globalThis.navigator?.storage): Promise<QuotaCheck> {
	if (!storage?.estimate) return { fits: true, usage: 0, quota: 0 };
	const { usage = 0, quota = 0 } = await storage.estimate();
	if (quota === 0) return { fits: true, usage, quota };
	return { fits: usage + bytes + STORAGE_LIMITS.headroomBytes <= quota, usage, quota };
}

/** True for the error a write past the quota throws (or an IndexedDB request/transaction carries). */
export function isQuotaExceeded(error: unknown): boolean {
	if (!error || typeof error !== 'object') return false;
	const { name, code } = error as { name?: unknown; code?: unknown };
	// Old Firefox names it NS_ERROR_DOM_QUOTA_REACHED; legacy DOMException code 22.
	return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22;
}

/** The outcome of a guarded write. */
export type GuardedWrite<T> = { ok: true; value: T } | { ok: false; reason: 'quota'; usage: number; quota: number };

/**
 * Runs a storage write; a full quota becomes `{ ok: false }` after `onFull` was told (to show the
 * message), any other error is thrown as before. The failed write's data stays with the caller
 * (e.g. the outbox keeps it in memory and retries), and nothing stored earlier is touched.
 */
export async function guardQuota<T>(
	write: () => Promise<T>,
	onFull: (figures: { usage: number; quota: number }) => void,
	storage: StorageManager | undefined = globalThis.navigator?.storage
): Promise<GuardedWrite<T>> {
	try {
		return { ok: true, value: await write() };
	} catch (error) {
		if (!isQuotaExceeded(error)) throw error;
		const { usage, quota } = await checkQuota(0, storage);
		onFull({ usage, quota });
		return { ok: false, reason: 'quota', usage, quota };
	}
}

/**
 * Reports quota failures nobody handled (a library's IndexedDB write, e.g. y-indexeddb's, whose
 * rejected promise reaches `unhandledrejection`) through `onFull`. Returns the unsubscribe.
 */
export function watchQuotaErrors(
	target: Pick<Window, 'addEventListener' | 'removeEventListener'>,
	onFull: (figures: { usage: number; quota: number }) => void,
	storage: StorageManager | undefined = globalThis.navigator?.storage
): () => void {
	const onRejection = (event: PromiseRejectionEvent) => {
		if (isQuotaExceeded(event.reason)) void checkQuota(0, storage).then(({ usage, quota }) => onFull({ usage, quota }));
	};
	target.addEventListener('unhandledrejection', onRejection);
	return () => target.removeEventListener('unhandledrejection', onRejection);
}
