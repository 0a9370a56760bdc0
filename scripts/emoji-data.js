#!/usr/bin/env node
/**
 * Writes the emoji picker's data (static/emoji/emoji-<version>.json) from the dev dependency
 * `emojibase-data`: one entry per emoji with its English and Russian names and keywords, so a
 * search in either language works whatever the UI language. Served with the app and precached by
 * the service worker (no CDN). Run after upgrading emojibase-data: `node scripts/emoji-data.js`.
 *
 * Entry: [emoji, group, en name, ru name, en keywords, ru keywords] (keywords space-separated).
 * Left out: skin-tone variants, the "component" group (bare skin tones and hair) and the loose
 * regional-indicator letters.
 */
import { createRequire } from 'node:module';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { version } = require('emojibase-data/package.json');
const en = require('emojibase-data/en/compact.json');
const ru = require('emojibase-data/ru/compact.json');

/** emojibase group numbers, in the picker's order; 2 (components) is not offered. */
const GROUPS = [0, 1, 3, 4, 5, 6, 7, 8, 9];

/**
 * emojibase writes a variation selector (U+FE0F) after every emoji; it is redundant after a code
 * point that is shown as emoji anyway (👍), and reactions compare strings: keep the shortest
 * fully-qualified form, as Unicode's emoji-test.txt lists it (👍, but ❤️ keeps its selector).
 */
function normalise(emoji) {
	return emoji.replace(/(\p{Emoji_Presentation})\uFE0F/gu, '$1');
}

const ruByHex = new Map(ru.map((entry) => [entry.hexcode, entry]));
const entries = en
	.filter((entry) => GROUPS.includes(entry.group))
	.sort((a, b) => a.order - b.order)
	.map((entry) => {
		const other = ruByHex.get(entry.hexcode);
		return [
			normalise(entry.unicode),
			GROUPS.indexOf(entry.group),
			entry.label,
			other?.label ?? entry.label,
			(entry.tags ?? []).join(' '),
			(other?.tags ?? []).join(' ')
		];
	});

const dir = fileURLToPath(new URL('../static/emoji/', import.meta.url));
// one data file at a time: an old version would only be precached for nothing
for (const name of readdirSync(dir)) if (name.startsWith('emoji-') && name.endsWith('.json')) rmSync(dir + name);
const file = `emoji-${version}.json`;
writeFileSync(dir + file, JSON.stringify({ version, emoji: entries }));
console.log(`static/emoji/${file}: ${entries.length} emoji`);
