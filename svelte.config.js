import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { CSP_DIRECTIVES } from './src/lib/security-policy.js';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build', precompress: true }),
		csp: { mode: 'auto', directives: CSP_DIRECTIVES },
		// Our hook checks Origin on every mutating API call; Kit's own check covers form posts.
		csrf: { trustedOrigins: [] },
		// The service worker is registered by workbox-window (update prompt), not by Kit.
		serviceWorker: { register: false },
		// Absolute asset paths: the offline shell is served for any app URL (e.g. /c/<id>), where
		// relative paths would point at /c/_app/… and load nothing.
		paths: { relative: false }
	}
};

export default config;
