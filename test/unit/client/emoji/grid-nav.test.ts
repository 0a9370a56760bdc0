// Arrow keys in the emoji grid: rows of `columns`, short last rows, crossing sections, leaving at the top.
import { describe, expect, it } from 'vitest';
import { moveInGrid } from '$lib/components/emoji/grid-nav';

// section 0: 6 (one short row of 4 columns + 2), section 1: empty (skipped), section 2: 3
const LENGTHS = [6, 0, 3];
const C = 4;

describe('moveInGrid', () => {
	it('moves left and right, running on across sections', () => {
		expect(moveInGrid(LENGTHS, { section: 0, index: 0 }, 'ArrowRight', C)).toEqual({ section: 0, index: 1 });
		expect(moveInGrid(LENGTHS, { section: 0, index: 5 }, 'ArrowRight', C)).toEqual({ section: 2, index: 0 });
		expect(moveInGrid(LENGTHS, { section: 2, index: 0 }, 'ArrowLeft', C)).toEqual({ section: 0, index: 5 });
		expect(moveInGrid(LENGTHS, { section: 0, index: 0 }, 'ArrowLeft', C)).toEqual({ section: 0, index: 0 });
		expect(moveInGrid(LENGTHS, { section: 2, index: 2 }, 'ArrowRight', C)).toEqual({ section: 2, index: 2 });
	});

	it('moves down by a row, to a short row’s last button, then into the next section', () => {
		expect(moveInGrid(LENGTHS, { section: 0, index: 1 }, 'ArrowDown', C)).toEqual({ section: 0, index: 5 });
		expect(moveInGrid(LENGTHS, { section: 0, index: 3 }, 'ArrowDown', C)).toEqual({ section: 0, index: 5 });
		expect(moveInGrid(LENGTHS, { section: 0, index: 0 }, 'ArrowDown', C)).toEqual({ section: 0, index: 4 });
		expect(moveInGrid(LENGTHS, { section: 0, index: 5 }, 'ArrowDown', C)).toEqual({ section: 2, index: 1 });
		expect(moveInGrid(LENGTHS, { section: 2, index: 1 }, 'ArrowDown', C)).toEqual({ section: 2, index: 1 });
	});

	it('moves up by a row, into the previous section’s last row, and out at the top', () => {
		expect(moveInGrid(LENGTHS, { section: 0, index: 5 }, 'ArrowUp', C)).toEqual({ section: 0, index: 1 });
		expect(moveInGrid(LENGTHS, { section: 2, index: 1 }, 'ArrowUp', C)).toEqual({ section: 0, index: 5 });
		expect(moveInGrid(LENGTHS, { section: 2, index: 0 }, 'ArrowUp', C)).toEqual({ section: 0, index: 4 });
		expect(moveInGrid(LENGTHS, { section: 0, index: 2 }, 'ArrowUp', C)).toBeNull();
	});

	it('jumps with Home and End, and copes with stale positions and an empty grid', () => {
		expect(moveInGrid(LENGTHS, { section: 0, index: 3 }, 'End', C)).toEqual({ section: 2, index: 2 });
		expect(moveInGrid(LENGTHS, { section: 2, index: 2 }, 'Home', C)).toEqual({ section: 0, index: 0 });
		expect(moveInGrid(LENGTHS, { section: 1, index: 0 }, 'ArrowDown', C)).toEqual({ section: 0, index: 0 });
		expect(moveInGrid(LENGTHS, { section: 2, index: 9 }, 'ArrowLeft', C)).toEqual({ section: 2, index: 1 });
		expect(moveInGrid([0, 0], { section: 0, index: 0 }, 'ArrowDown', C)).toBeNull();
	});
});
