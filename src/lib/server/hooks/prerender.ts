/** At build time (prerendering the offline shell) every request is a signed-out visitor. */
import type { Handle } from '@sveltejs/kit';

export const prerenderVisitor: Handle = ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	return resolve(event);
};
