// The sticker maker's square crop: centred and largest at first, kept inside the image when moved
// or zoomed, zoom bounded.
import { describe, expect, it } from 'vitest';
import { CROP_LIMITS, cropRect, initialCrop, moveCrop, zoomCrop } from '$lib/client/stickers/crop';

describe('sticker crop', () => {
	it('starts centred on the largest square', () => {
		expect(cropRect(900, 500, initialCrop(900, 500))).toEqual({ x: 200, y: 0, side: 500 });
		expect(cropRect(300, 600, initialCrop(300, 600))).toEqual({ x: 0, y: 150, side: 300 });
	});

	it('moves within the image and stops at its edges', () => {
		const start = initialCrop(900, 500);
		expect(cropRect(900, 500, moveCrop(900, 500, start, 100, 50))).toEqual({ x: 300, y: 0, side: 500 });
		const far = moveCrop(900, 500, start, 10_000, -10_000);
		expect(cropRect(900, 500, far)).toEqual({ x: 400, y: 0, side: 500 });
		// a drag back from the edge moves at once (the centre was clamped, not left outside)
		expect(cropRect(900, 500, moveCrop(900, 500, far, -50, 0)).x).toBe(350);
	});

	it('zooms around the centre between 1 and the maximum', () => {
		const zoomed = zoomCrop(900, 500, initialCrop(900, 500), 2);
		expect(cropRect(900, 500, zoomed)).toEqual({ x: 325, y: 125, side: 250 });
		expect(zoomCrop(900, 500, zoomed, 100).zoom).toBe(CROP_LIMITS.maxZoom);
		expect(zoomCrop(900, 500, zoomed, 0.1).zoom).toBe(1);
		// zooming out near an edge pulls the square back inside
		const corner = moveCrop(900, 500, zoomed, 10_000, 10_000);
		expect(cropRect(900, 500, zoomCrop(900, 500, corner, 1))).toEqual({ x: 400, y: 0, side: 500 });
	});
});
