// Settings are server-rendered (form actions) with the site's layout data.
import type { LayoutServerLoad } from './$types';
import { siteLayoutLoad } from '../site-layout.server';

export const load: LayoutServerLoad = (event) => siteLayoutLoad(event);
