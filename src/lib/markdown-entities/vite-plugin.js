// Resolves markdown-it's `entities` import to ./decode.js (see there why), for markdown-it alone:
// any other importer of `entities` keeps the real package.
import { fileURLToPath } from 'node:url';

const DECODE = fileURLToPath(new URL('./decode.js', import.meta.url));

/** @returns {import('vite').Plugin} */
export function markdownEntities() {
	return {
		name: 'parley-markdown-entities',
		enforce: 'pre',
		resolveId(source, importer) {
			if (source === 'entities' && importer && /[\\/]markdown-it[\\/]/.test(importer)) return DECODE;
			return null;
		}
	};
}
