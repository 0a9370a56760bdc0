// Compiles the Paraglide messages without a Vite build, so `npm run check` can type-check pages.
import { compile } from '@inlang/paraglide-js';
import { PARAGLIDE_OPTIONS } from '../src/lib/i18n/vite-plugin.js';

await compile(PARAGLIDE_OPTIONS);
