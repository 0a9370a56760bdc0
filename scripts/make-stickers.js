// Draws Parley's built-in sticker pack: "Parley", a speech-bubble mascot, in fourteen moods.
// Original art made here (no third-party images). Run after changing a drawing:
// `node scripts/make-stickers.js`; the SVGs under static/stickers/parley/ are committed, so
// builds never need this script. The ids and names live in src/lib/stickers/builtin.ts.
import fs from 'node:fs';
import path from 'node:path';

const OUT = path.resolve('static/stickers/parley');
const INK = '#1b2f6b';
const BODY = '#7fa8ff';
const BODY_LIGHT = '#b9cfff';
const CHEEK = '#ff9db5';
const MOUTH = '#7a1f3d';
const TONGUE = '#ff6f8e';
const WHITE = '#ffffff';
const SKIN = '#ffd36b';
const RED = '#ef4b5f';
const GREEN = '#2fb36d';
const TEAR = '#59c3ff';

const line = (d, width = 12, color = INK) =>
	`<path d="${d}" fill="none" stroke="${color}" stroke-width="${width}" stroke-linecap="round" stroke-linejoin="round"/>`;

/** The bubble body with its tail: outlines first, fills on top, so the two shapes share one outline. */
function body(fill = BODY) {
	const rect = 'M206 96h100a110 110 0 0 1 110 110v68a110 110 0 0 1-110 110H206a110 110 0 0 1-110-110v-68a110 110 0 0 1 110-110z';
	const tail = 'M150 350 L112 448 L236 376 Z';
	return `<g stroke="${INK}" stroke-width="24" stroke-linejoin="round"><path d="${rect}"/><path d="${tail}"/></g>
	<g fill="${fill}"><path d="${rect}"/><path d="${tail}"/></g>
	<path d="M150 150 q30 -34 80 -36" fill="none" stroke="${BODY_LIGHT}" stroke-width="16" stroke-linecap="round"/>`;
}

const cheeks = () =>
	`<g fill="${CHEEK}" opacity="0.8"><ellipse cx="168" cy="282" rx="24" ry="14"/><ellipse cx="344" cy="282" rx="24" ry="14"/></g>`;

const EYES = {
	open: (dx = 0, dy = 0) =>
		[200, 312]
			.map(
				(x) =>
					`<ellipse cx="${x}" cy="228" rx="26" ry="32" fill="${WHITE}" stroke="${INK}" stroke-width="8"/><circle cx="${x + dx}" cy="${232 + dy}" r="14" fill="${INK}"/><circle cx="${x + dx + 5}" cy="${226 + dy}" r="4" fill="${WHITE}"/>`
			)
			.join(''),
	wide: () =>
		[196, 316]
			.map(
				(x) =>
					`<ellipse cx="${x}" cy="222" rx="32" ry="40" fill="${WHITE}" stroke="${INK}" stroke-width="8"/><circle cx="${x}" cy="222" r="10" fill="${INK}"/>`
			)
			.join(''),
	happy: () => line('M176 236 Q200 204 224 236') + line('M288 236 Q312 204 336 236'),
	closed: () => line('M176 222 Q200 246 224 222') + line('M288 222 Q312 246 336 222'),
	squeeze: () => line('M178 210 L222 230 L178 250') + line('M334 210 L290 230 L334 250'),
	heart: () => [200, 312].map((x) => heart(x, 230, 1.15, RED)).join('')
};

function eye(x) {
	return `<ellipse cx="${x}" cy="228" rx="26" ry="32" fill="${WHITE}" stroke="${INK}" stroke-width="8"/><circle cx="${x}" cy="232" r="14" fill="${INK}"/><circle cx="${x + 5}" cy="226" r="4" fill="${WHITE}"/>`;
}

const MOUTHS = {
	smile: () => line('M222 290 Q256 322 290 290'),
	grin: () =>
		`<path d="M206 282 Q256 352 306 282 Z" fill="${MOUTH}" stroke="${INK}" stroke-width="10" stroke-linejoin="round"/><path d="M232 316 Q256 300 280 316 Q256 334 232 316 Z" fill="${TONGUE}"/>`,
	frown: () => line('M222 312 Q256 282 290 312'),
	o: () => `<ellipse cx="256" cy="304" rx="20" ry="26" fill="${MOUTH}" stroke="${INK}" stroke-width="10"/>`,
	small: () => `<ellipse cx="256" cy="300" rx="11" ry="13" fill="${MOUTH}" stroke="${INK}" stroke-width="8"/>`,
	flat: () => line('M232 300 Q246 292 256 300 T280 300'),
	tight: () => line('M226 302 L286 302')
};

function heart(cx, cy, scale = 1, fill = RED) {
	return `<path transform="translate(${cx} ${cy}) scale(${scale})" d="M0 14 C-30 -6 -26 -30 -12 -32 C-4 -33 0 -26 0 -20 C0 -26 4 -33 12 -32 C26 -30 30 -6 0 14 Z" fill="${fill}" stroke="${INK}" stroke-width="5" stroke-linejoin="round"/>`;
}

function badge(color, inner) {
	return `<circle cx="404" cy="112" r="56" fill="${color}" stroke="${INK}" stroke-width="12"/>${inner}`;
}

const hand = (x, y, rotate = 0, scale = 1) =>
	`<g transform="translate(${x} ${y}) rotate(${rotate}) scale(${scale})"><rect x="-30" y="-26" width="60" height="58" rx="24" fill="${SKIN}" stroke="${INK}" stroke-width="10"/>${line('M-14 -26 v-22 M2 -28 v-26 M18 -26 v-20', 14, INK)}${line('M-14 -26 v-22 M2 -28 v-26 M18 -26 v-20', 6, SKIN)}</g>`;

const EXTRAS = {
	hello: () => hand(432, 262, 18, 1.5) + line('M452 170 q22 10 28 34', 10) + line('M474 148 q30 16 36 48', 10),
	thanks: () =>
		`<g transform="translate(256 400) scale(1.5)"><path d="M-6 40 L-30 -30 Q-18 -52 -4 -34 L0 30 Z" fill="${SKIN}" stroke="${INK}" stroke-width="10" stroke-linejoin="round"/><path d="M6 40 L30 -30 Q18 -52 4 -34 L0 30 Z" fill="${SKIN}" stroke="${INK}" stroke-width="10" stroke-linejoin="round"/></g>` +
		sparkle(404, 120, 1) +
		sparkle(110, 120, 0.7),
	yes: () =>
		`<g transform="translate(418 330)"><rect x="-40" y="-20" width="80" height="76" rx="22" fill="${SKIN}" stroke="${INK}" stroke-width="10"/><path d="M-30 -18 L-18 -78 Q-4 -92 6 -76 L2 -20 Z" fill="${SKIN}" stroke="${INK}" stroke-width="10" stroke-linejoin="round"/>${line('M-20 10 h44 M-20 32 h44', 8)}</g>`,
	no: () => badge(RED, line('M382 90 L426 134 M426 90 L382 134', 16, WHITE)),
	love: () => heart(410, 110, 1.6) + heart(92, 160, 1) + heart(440, 210, 0.7),
	laugh: () =>
		`<path d="M146 250 q-16 26 0 40 q16 -14 0 -40 Z" fill="${TEAR}" stroke="${INK}" stroke-width="6"/><path d="M366 250 q-16 26 0 40 q16 -14 0 -40 Z" fill="${TEAR}" stroke="${INK}" stroke-width="6"/>` +
		line('M60 200 l-26 -10 M64 236 l-30 4', 10) +
		line('M452 200 l26 -10 M448 236 l30 4', 10),
	sad: () =>
		line('M170 196 L222 180', 10) +
		line('M342 196 L290 180', 10) +
		`<path d="M330 262 q-18 30 0 46 q18 -16 0 -46 Z" fill="${TEAR}" stroke="${INK}" stroke-width="6"/>`,
	wow: () => line('M256 40 v34 M186 54 l14 28 M326 54 l-14 28', 12) + line('M176 172 q24 -18 48 -4 M288 168 q24 -14 48 4', 10),
	ok: () => badge(GREEN, line('M380 112 L398 132 L430 94', 16, WHITE)),
	party: () =>
		`<path d="M318 110 L372 6 L412 140 Z" fill="#ffb547" stroke="${INK}" stroke-width="12" stroke-linejoin="round"/>` +
		line('M340 68 L394 84 M328 96 L404 116', 10, '#ef4b5f') +
		`<circle cx="372" cy="6" r="16" fill="#ef4b5f" stroke="${INK}" stroke-width="8"/>` +
		confetti(),
	sleep: () =>
		`<g fill="${INK}" font-family="Arial, Helvetica, sans-serif" font-weight="900"><text x="380" y="100" font-size="72">Z</text><text x="440" y="56" font-size="48">z</text><text x="330" y="140" font-size="40">z</text></g>`,
	thinking: () =>
		hand(250, 372, -8) +
		line('M176 176 q24 -12 48 2 M290 186 q24 -22 48 -14', 10) +
		`<g fill="${WHITE}" stroke="${INK}" stroke-width="8"><circle cx="414" cy="128" r="12"/><circle cx="446" cy="92" r="18"/><circle cx="470" cy="46" r="24"/></g>`,
	angry: () =>
		line('M170 180 L226 206', 12) +
		line('M342 180 L286 206', 12) +
		`<g fill="#e6ecf7" stroke="${INK}" stroke-width="8"><circle cx="86" cy="104" r="26"/><circle cx="60" cy="70" r="18"/><circle cx="430" cy="104" r="26"/><circle cx="456" cy="70" r="18"/></g>`,
	coffee: () =>
		`<g transform="translate(398 360)"><path d="M-54 -40 h96 l-10 96 a16 16 0 0 1 -16 14 h-44 a16 16 0 0 1 -16 -14 Z" fill="${WHITE}" stroke="${INK}" stroke-width="10" stroke-linejoin="round"/><path d="M40 -18 q40 0 30 36 q-8 24 -34 22" fill="none" stroke="${INK}" stroke-width="10"/><rect x="-46" y="-30" width="80" height="14" fill="#8a5a3c"/></g>` +
		line('M372 286 q-14 -18 0 -36 q14 -18 0 -36', 8) +
		line('M404 286 q-14 -18 0 -36 q14 -18 0 -36', 8)
};

function sparkle(x, y, s) {
	return `<path transform="translate(${x} ${y}) scale(${s})" d="M0 -40 Q6 -6 40 0 Q6 6 0 40 Q-6 6 -40 0 Q-6 -6 0 -40 Z" fill="#ffd84a" stroke="${INK}" stroke-width="6" stroke-linejoin="round"/>`;
}

function confetti() {
	const bits = [
		[70, 110, '#ffb547', 20],
		[120, 56, '#2fb36d', -30],
		[450, 230, '#59c3ff', 40],
		[60, 330, '#ef4b5f', 10],
		[462, 380, '#ffd84a', -20],
		[200, 40, '#59c3ff', 60]
	];
	return bits
		.map(([x, y, c, r]) => `<rect x="${x}" y="${y}" width="26" height="12" rx="4" fill="${c}" transform="rotate(${r} ${x} ${y})"/>`)
		.join('');
}

/** Each sticker: eyes, mouth, and what goes around. */
const STICKERS = {
	hello: { eyes: EYES.happy, mouth: MOUTHS.grin },
	thanks: { eyes: EYES.closed, mouth: MOUTHS.smile },
	yes: { eyes: () => EYES.open(), mouth: MOUTHS.grin },
	no: { eyes: () => EYES.open(0, 4), mouth: MOUTHS.frown },
	love: { eyes: EYES.heart, mouth: MOUTHS.grin },
	laugh: { eyes: EYES.squeeze, mouth: MOUTHS.grin },
	sad: { eyes: () => EYES.open(0, 6), mouth: MOUTHS.frown },
	wow: { eyes: EYES.wide, mouth: MOUTHS.o },
	ok: { eyes: () => eye(200) + line('M288 230 Q312 210 336 230'), mouth: MOUTHS.smile },
	party: { eyes: EYES.happy, mouth: MOUTHS.grin },
	sleep: { eyes: EYES.closed, mouth: MOUTHS.small },
	thinking: { eyes: () => EYES.open(8, -12), mouth: MOUTHS.flat },
	angry: { eyes: () => EYES.open(0, 2), mouth: MOUTHS.tight, fill: '#ff8f8f' },
	coffee: { eyes: EYES.happy, mouth: MOUTHS.smile }
};

function svg(id) {
	const s = STICKERS[id];
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">
${body(s.fill)}
${cheeks()}
${s.eyes()}
${s.mouth()}
${EXTRAS[id]()}
</svg>\n`;
}

fs.mkdirSync(OUT, { recursive: true });
for (const id of Object.keys(STICKERS)) fs.writeFileSync(path.join(OUT, `${id}.svg`), svg(id));
console.log(`wrote ${Object.keys(STICKERS).length} stickers to ${path.relative(process.cwd(), OUT)}`);
