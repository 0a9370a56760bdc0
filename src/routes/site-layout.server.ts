// The server-rendered pages (sign-in, settings) get the signed-in person (public fields only), the
// language and the theme. The app itself (group "(app)") has no server load: it boots offline.
import type { ServerLoadEvent } from '@sveltejs/kit';
import { publicUser } from '$lib/server/auth/types';

/** Layout data of the server-rendered pages. */
export function siteLayoutLoad({ locals, url }: Pick<ServerLoadEvent, 'locals' | 'url'>) {
	return {
		user: locals.user ? publicUser(locals.user) : null,
		isAdmin: locals.user?.role === 'admin',
		locale: locals.locale,
		theme: locals.theme,
		// Path only: a query may hold a one-time token (reset, invite) that must not be echoed into the page.
		path: url.pathname
	};
}
