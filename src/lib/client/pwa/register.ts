/**
 * Registers the service worker with workbox-window and runs the update flow: a new version
 * installs in the background and waits; `onUpdateWaiting` lets the page offer a reload; on
 * `applyUpdate()` the waiting worker is told to activate (`messageSkipWaiting`) and the page
 * reloads once it has taken control (`controlling`), so no page runs old code under a new worker.
 */
import { Workbox } from 'workbox-window';

/** Limits of the update check. */
export const PWA_LIMITS = {
	/**
	 * How often an open tab asks for a new version. Browsers check on navigation, but the app
	 * navigates client-side, so a tab left open for days would otherwise never hear of one.
	 */
	updateCheckMs: 60 * 60 * 1000
} as const;

/** What the page can do with a registered worker. */
export interface PwaRegistration {
	/** Activates the waiting version and reloads this page once it controls it. */
	applyUpdate(): void;
	/** Asks the server for a new version now. */
	checkForUpdate(): Promise<void>;
	/** Stops the periodic check and the listeners. */
	destroy(): void;
}

/** Registers `/service-worker.js` (production only: `dev` registers nothing and returns null). */
export function registerServiceWorker(options: {
	dev: boolean;
	/** Called when a new version has installed and waits (also for one that was waiting at load). */
	onUpdateWaiting: () => void;
	/** Reloads the page (injected for tests). */
	reload?: () => void;
	scriptUrl?: string;
}): PwaRegistration | null {
	if (options.dev || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return null;
	const reload = options.reload ?? (() => location.reload());
	// Classic, not module: Kit builds one self-contained script, and Firefox only lately took module workers.
	const wb = new Workbox(options.scriptUrl ?? '/service-worker.js', { type: 'classic', scope: '/' });
	let waiting = false;
	let reloadRequested = false;
	let controlledByNewVersion = false;

	wb.addEventListener('waiting', () => {
		waiting = true;
		options.onUpdateWaiting();
	});
	wb.addEventListener('controlling', (event) => {
		// First install: the worker claims the page, which runs the current code already.
		if (!event.isUpdate && !waiting) return;
		controlledByNewVersion = true;
		if (reloadRequested) reload();
	});

	const check = () => void wb.update().catch(() => undefined);
	const onVisible = () => {
		if (document.visibilityState === 'visible') check();
	};
	const timer = setInterval(check, PWA_LIMITS.updateCheckMs);
	document.addEventListener('visibilitychange', onVisible);
	void wb.register().catch((error: unknown) => console.warn('Service worker not registered:', error));

	return {
		applyUpdate() {
			reloadRequested = true;
			// Another tab may have activated it already: then this page only needs the reload.
			if (controlledByNewVersion) reload();
			else wb.messageSkipWaiting();
		},
		async checkForUpdate() {
			await wb.update();
		},
		destroy() {
			clearInterval(timer);
			document.removeEventListener('visibilitychange', onVisible);
		}
	};
}
