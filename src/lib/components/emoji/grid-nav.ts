// Arrow-key movement in the emoji picker: sections of buttons laid out `columns` wide, one after
// another (a section's last row may be short). Pure, so it is unit-tested without a browser.

/** A button's place: section index and index within the section. */
export interface GridPosition {
	section: number;
	index: number;
}

/** Keys the grid handles. */
export const GRID_KEYS = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'] as const;
export type GridKey = (typeof GRID_KEYS)[number];

interface Span {
	section: number;
	length: number;
}

/**
 * Where `key` moves from `from`, given each section's length; null when it leaves the grid at the
 * top (the caller moves focus to the search box). Left/Right run on across section ends;
 * Up/Down keep the column, landing on a short row's last button. Empty sections are skipped.
 */
export function moveInGrid(lengths: readonly number[], from: GridPosition, key: GridKey, columns: number): GridPosition | null {
	const spans: Span[] = lengths.map((length, section) => ({ length, section })).filter((s) => s.length > 0);
	const first = spans[0];
	const last = spans.at(-1);
	if (!first || !last) return null;
	const at = spans.findIndex((s) => s.section === from.section);
	const here = spans[at];
	if (!here) return { section: first.section, index: 0 };
	const previous: Span | undefined = spans[at - 1];
	const next: Span | undefined = spans[at + 1];
	const index = Math.min(Math.max(0, from.index), here.length - 1);
	const column = index % columns;
	const stay = { section: here.section, index };
	switch (key) {
		case 'Home':
			return { section: first.section, index: 0 };
		case 'End':
			return { section: last.section, index: last.length - 1 };
		case 'ArrowRight':
			if (index + 1 < here.length) return { section: here.section, index: index + 1 };
			return next ? { section: next.section, index: 0 } : stay;
		case 'ArrowLeft':
			if (index > 0) return { section: here.section, index: index - 1 };
			return previous ? { section: previous.section, index: previous.length - 1 } : stay;
		case 'ArrowDown':
			if (index + columns < here.length) return { section: here.section, index: index + columns };
			// a short last row below: its last button
			if (Math.floor(index / columns) < Math.floor((here.length - 1) / columns)) return { section: here.section, index: here.length - 1 };
			return next ? { section: next.section, index: Math.min(column, next.length - 1) } : stay;
		case 'ArrowUp': {
			if (index - columns >= 0) return { section: here.section, index: index - columns };
			if (!previous) return null;
			const lastRowStart = Math.floor((previous.length - 1) / columns) * columns;
			return { section: previous.section, index: Math.min(lastRowStart + column, previous.length - 1) };
		}
	}
}
