// The admin panel is framed like settings: the site's header (a way back to the chats) and footer.
import type { LayoutServerLoad } from './$types';
import { siteLayoutLoad } from '../site-layout.server';

export const load: LayoutServerLoad = (event) => siteLayoutLoad(event);
