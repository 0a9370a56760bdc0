/**
 * What markdown-it takes from the `entities` package, made small: the browser bundle loaded
 * `entities`' table of all 2 231 HTML named references (about 13 KiB gzipped of the chat route)
 * for one use, turning `&copy;` in a message into ©. A messenger shows what was typed, so only the
 * references that mean Markdown's own characters are decoded (numeric ones are markdown-it's own);
 * `&hearts;` stays as typed, as in other messengers. Wired in by ./vite-plugin.js for markdown-it only.
 */
/** @type {Record<string, string>} */
const NAMED = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&nbsp;': '\u00a0' };

/** `&name;` → its character when it is one of NAMED, else the input unchanged (as `entities` does for unknown names). */
/**
 * @param {string} str
 * @returns {string}
 */
export function decodeHTMLStrict(str) {
	return Object.hasOwn(NAMED, str)
		? /** @type {string} */ (NAMED[str])
		: str.replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (m) => /** @type {string} */ (NAMED[m]));
}
