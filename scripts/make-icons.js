// Draws Parley's icons (two speech bubbles, the front one "typing") and renders the PNGs the web
// app manifest and iOS need. Run once after changing the drawing: `node scripts/make-icons.js`;
// the PNGs are committed, so builds never need this script.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const OUT = path.resolve('static/icons');
const BLUE_TOP = '#2f6bea';
const BLUE_BOTTOM = '#1d4cc0';

/** The two bubbles on a 512-unit canvas, centred on (256, 266). */
const GLYPH = `
	<path fill="#a9c1ff" d="M224 112h136a48 48 0 0 1 48 48v72a48 48 0 0 1-24 41.6l14 50.4-62-44H224a48 48 0 0 1-48-48v-72a48 48 0 0 1 48-48z"/>
	<path fill="#ffffff" d="M156 184h152a52 52 0 0 1 52 52v80a52 52 0 0 1-52 52H214l-80 52 14-52a52 52 0 0 1-44-52v-80a52 52 0 0 1 52-52z"/>
	<g fill="${BLUE_BOTTOM}"><circle cx="172" cy="276" r="19"/><circle cx="232" cy="276" r="19"/><circle cx="292" cy="276" r="19"/></g>`;

/**
 * The icon as SVG. `maskable`: full-bleed background and the glyph shrunk into the safe zone
 * (a circle of 40% of the size around the centre, which any platform mask keeps).
 */
function svg({ maskable }) {
	const background = maskable
		? `<rect width="512" height="512" fill="url(#bg)"/>`
		: `<rect width="512" height="512" rx="112" fill="url(#bg)"/>`;
	const glyph = maskable
		? `<g transform="translate(256 256) scale(0.8) translate(-256 -266)">${GLYPH}</g>`
		: `<g transform="translate(0 -10)">${GLYPH}</g>`;
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
	<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${BLUE_TOP}"/><stop offset="1" stop-color="${BLUE_BOTTOM}"/></linearGradient></defs>
	${background}${glyph}
</svg>\n`;
}

const outputs = [
	{ file: 'icon-192.png', size: 192, maskable: false },
	{ file: 'icon-512.png', size: 512, maskable: false },
	{ file: 'maskable-192.png', size: 192, maskable: true },
	{ file: 'maskable-512.png', size: 512, maskable: true },
	// iOS rounds the corners itself and shows transparency as black: full-bleed, like maskable.
	{ file: 'apple-touch-icon.png', size: 180, maskable: true }
];

fs.mkdirSync(OUT, { recursive: true });
fs.writeFileSync(path.join(OUT, 'icon.svg'), svg({ maskable: false }));
fs.writeFileSync(path.resolve('static/favicon.svg'), svg({ maskable: false }));
for (const { file, size, maskable } of outputs) {
	await sharp(Buffer.from(svg({ maskable })), { density: (72 * size) / 512 })
		.resize(size, size)
		.png({ compressionLevel: 9 })
		.toFile(path.join(OUT, file));
	console.log(`static/icons/${file} (${size}×${size})`);
}
