/**
 * How the service worker answers a page navigation, by path. Pure, shared by the worker and its
 * tests. The app's own pages boot from the precached shell at once (no network wait, works with
 * no network); pages whose first answer comes from the server (sign-in, settings: form actions,
 * server loads, redirects) try the network first and fall back to the shell offline; endpoints
 * are never answered by the worker.
 */

/** The prerendered, client-rendered page served for app navigations (src/routes/shell). */
export const SHELL_PATH = '/shell';

/** What the worker does with a navigation. */
export type NavigationPlan = 'shell' | 'network-then-shell' | 'network';

/** Never answered by the worker: the API, the relay, health checks, sign-out. */
const NETWORK_ONLY = [/^\/api(\/|$)/, /^\/sync(\/|$)/, /^\/healthz\/?$/, /^\/readyz\/?$/, /^\/logout(\/|$)/];

/** Server-rendered pages: their first answer is the server's while it is reachable. */
const SERVER_FIRST = [/^\/(login|register|forgot-password|reset-password)(\/|$)/, /^\/settings(\/|$)/];

/** The plan for a navigation to `pathname` (same origin). */
export function navigationPlan(pathname: string): NavigationPlan {
	if (NETWORK_ONLY.some((re) => re.test(pathname))) return 'network';
	if (SERVER_FIRST.some((re) => re.test(pathname))) return 'network-then-shell';
	return 'shell';
}
