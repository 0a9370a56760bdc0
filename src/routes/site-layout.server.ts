// Every page gets the signed-in person (public fields only), the language and the theme.
import type { LayoutServerLoad } from './$types';
import { publicUser } from '$lib/server/auth/types';

export const load: LayoutServerLoad = ({ locals, url }) => ({
	user: locals.user ? publicUser(locals.user) : null,
	isAdmin: locals.user?.role === 'admin',
	locale: locals.locale,
	theme: locals.theme,
	// Path only: a query may hold a one-time token (reset, invite) that must not be echoed into the page.
	path: url.pathname
});
