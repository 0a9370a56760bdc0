// Sizes and durations of attachments, in the page's language.
import { getLocale } from '$lib/i18n/paraglide/runtime.js';

/** Binary units from bytes up: 1 KB here is 1024 bytes, as file managers show it. */
const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
const STEP = 1024;

/** "0 bytes", "812 bytes", "1.5 kB", "12 MB" — localised ("1,5 КБ" in Russian). */
export function formatBytes(bytes: number, locale: string = getLocale()): string {
	let value = Math.max(0, bytes);
	let unit = 0;
	while (value >= STEP && unit < UNITS.length - 1) {
		value /= STEP;
		unit++;
	}
	// One decimal below 10 of a unit ("1.5 MB"), none above or for bytes ("250 MB", "812 bytes").
	const digits = unit === 0 || value >= 10 ? 0 : 1;
	return new Intl.NumberFormat(locale, {
		style: 'unit',
		unit: UNITS[unit],
		unitDisplay: unit === 0 ? 'long' : 'short',
		maximumFractionDigits: digits
	}).format(unit === 0 ? value : Math.round(value * 10 ** digits) / 10 ** digits);
}

/** "0:07", "3:25", "1:02:03": a media time in seconds; "0:00" for anything not a finite positive number. */
export function formatDuration(seconds: number | undefined): string {
	const total = seconds !== undefined && Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
	const h = Math.floor(total / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = total % 60;
	const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
	return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** A short type label for a file card: its extension ("PDF"), else a short MIME subtype ("ZIP"), else "". */
export function typeLabel(mime: string, name?: string): string {
	const extension = name?.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : '';
	// The file's own extension says more to a person than "vnd.openxmlformats-…"; bounded so a long one cannot stretch the card.
	if (extension && extension.length <= 8) return extension.toUpperCase();
	const subtype = mime.slice(mime.indexOf('/') + 1);
	return subtype.length <= 8 ? subtype.toUpperCase() : '';
}
