// Pure parts of the media views and the service worker's media cache: sizes and durations as
// shown, waveform downsampling, the gallery's order, LRU eviction bounds and byte ranges.
import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, typeLabel } from '$lib/components/chat/media/format';
import { WAVEFORM_FLOOR, downsample } from '$lib/components/chat/media/waveform';
import { boxRatio, galleryImages, stepIndex } from '$lib/components/chat/media/gallery';
import { MEDIA_CACHE_TOUCH_INTERVAL_MS, evictionPlan, needsTouch, type LruEntry } from '$lib/client/pwa/media-lru';
import { parseRange, rangeResponse } from '$lib/client/pwa/byte-range';
import { MEDIA_CACHE, MEDIA_INDEX_CACHE, isUserNeutralCache } from '$lib/client/pwa/cache-names';
import { isMediaRequest, wholeFileSize } from '$lib/client/pwa/media-cache';
import { MEDIA_CACHE_MAX_ENTRY_BYTES, MEDIA_CACHE_MAX_FILL_BYTES } from '$lib/client/pwa/media-lru';
import type { AttachmentItem } from '$lib/client/state/types';

describe('formatBytes', () => {
	it('uses binary steps, one decimal below ten units, in the given language', () => {
		expect(formatBytes(0, 'en')).toBe('0 bytes');
		expect(formatBytes(812, 'en')).toBe('812 bytes');
		expect(formatBytes(1536, 'en')).toBe('1.5 kB');
		expect(formatBytes(12 * 1024 * 1024 + 300_000, 'en')).toBe('12 MB');
		expect(formatBytes(1.25 * 1024 ** 3, 'en')).toBe('1.3 GB');
		expect(formatBytes(1536, 'ru')).toBe('1,5 кБ');
		expect(formatBytes(5 * 1024 * 1024, 'ru')).toBe('5 МБ');
		expect(formatBytes(-5, 'en')).toBe('0 bytes');
	});
	it('never goes past gigabytes', () => {
		expect(formatBytes(3 * 1024 ** 4, 'en')).toBe('3,072 GB');
	});
});

describe('formatDuration', () => {
	it('shows m:ss, and h:mm:ss past an hour', () => {
		expect(formatDuration(7.9)).toBe('0:07');
		expect(formatDuration(205)).toBe('3:25');
		expect(formatDuration(3723)).toBe('1:02:03');
	});
	it('shows 0:00 for nothing, Infinity or NaN', () => {
		for (const value of [undefined, Infinity, NaN, -3]) expect(formatDuration(value)).toBe('0:00');
	});
});

describe('typeLabel', () => {
	it('prefers a short extension, then a short subtype', () => {
		expect(typeLabel('application/pdf', 'report.final.pdf')).toBe('PDF');
		expect(typeLabel('application/zip')).toBe('ZIP');
		expect(typeLabel('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('');
		expect(typeLabel('application/octet-stream', 'a.verylongextension')).toBe('');
	});
});

describe('waveform downsampling', () => {
	it('gives the peak of each slice, scaled so the loudest is 1', () => {
		const samples = new Float32Array(1000);
		samples[10] = -0.5; // first slice: a negative peak counts by its size
		samples[600] = 0.25;
		const bars = downsample(samples, 4);
		expect(bars).toEqual([1, WAVEFORM_FLOOR, 0.5, WAVEFORM_FLOOR]);
	});
	it('keeps the number of bars asked, or fewer for fewer samples', () => {
		expect(downsample(new Float32Array(100_000).fill(0.1), 48)).toHaveLength(48);
		expect(downsample([0.2, 0.4], 48)).toEqual([0.5, 1]);
		expect(downsample([], 48)).toEqual([]);
	});
	it('draws silence flat', () => {
		expect(downsample(new Float32Array(500), 5)).toEqual([0, 0, 0, 0, 0]);
	});
	it('reads long recordings at a stride and still sees a loud stretch', () => {
		// ten minutes at 8 kHz, loud in the second half only: read at most 4096 samples per bar
		const samples = new Float32Array(8000 * 60 * 10).fill(0.1);
		samples.fill(0.8, samples.length / 2);
		const bars = downsample(samples, 48);
		expect(bars.slice(0, 24).every((bar) => bar === 0.125)).toBe(true);
		expect(bars.slice(24).every((bar) => bar === 1)).toBe(true);
	});
});

const image = (id: string, extra: Partial<AttachmentItem> = {}): AttachmentItem => ({
	id,
	kind: 'image',
	mime: 'image/png',
	size: 10,
	url: `/api/uploads/${id}`,
	...extra
});

describe('gallery', () => {
	it('lists uploaded images of the messages in order, skipping other kinds and pending ones', () => {
		const messages = [
			{ attachments: [image('a'), image('b')] },
			{},
			{ attachments: [{ id: 'v', kind: 'video' as const, mime: 'video/webm', size: 1, url: '/api/uploads/v' }] },
			{ attachments: [image('p', { url: undefined, localUrl: 'blob:x' }), image('c')] }
		];
		const images = galleryImages(messages);
		expect(images.map((i) => i.id)).toEqual(['a', 'b', 'c']);
		expect(stepIndex(images, 'b', 1)).toBe(2);
		expect(stepIndex(images, 'b', -1)).toBe(0);
		expect(stepIndex(images, 'a', -1)).toBeNull();
		expect(stepIndex(images, 'c', 1)).toBeNull();
		expect(stepIndex(images, 'gone', 1)).toBeNull();
	});
	it('reserves the aspect ratio, square when unknown, extremes clamped', () => {
		expect(boxRatio(400, 300)).toBeCloseTo(4 / 3);
		expect(boxRatio(undefined, 300)).toBe(1);
		expect(boxRatio(10_000, 100)).toBe(3);
		expect(boxRatio(100, 10_000)).toBe(0.4);
	});
});

describe('media cache LRU', () => {
	const entry = (key: string, bytes: number, usedAt: number): LruEntry => ({ key, bytes, usedAt });
	it('evicts nothing within both bounds', () => {
		expect(evictionPlan([entry('a', 10, 1), entry('b', 10, 2)], { maxEntries: 2, maxBytes: 20 })).toEqual([]);
	});
	it('evicts the least recently used first until the entry count fits', () => {
		const entries = [entry('new', 1, 30), entry('old', 1, 10), entry('mid', 1, 20)];
		expect(evictionPlan(entries, { maxEntries: 2, maxBytes: 1000 })).toEqual(['old']);
		expect(evictionPlan(entries, { maxEntries: 1, maxBytes: 1000 })).toEqual(['old', 'mid']);
	});
	it('evicts by bytes too, keeping a big recent entry over small old ones', () => {
		const entries = [entry('a', 40, 1), entry('b', 40, 2), entry('big', 90, 3)];
		expect(evictionPlan(entries, { maxEntries: 10, maxBytes: 100 })).toEqual(['a', 'b']);
	});
	it('touches an entry at most once per interval', () => {
		expect(needsTouch(1000, 1000 + MEDIA_CACHE_TOUCH_INTERVAL_MS - 1)).toBe(false);
		expect(needsTouch(1000, 1000 + MEDIA_CACHE_TOUCH_INTERVAL_MS)).toBe(true);
		expect(needsTouch(5000, 1000)).toBe(true); // the clock went back: write a sane time
	});
	it('is wiped at sign-out (not a user-neutral cache)', () => {
		expect(isUserNeutralCache(MEDIA_CACHE)).toBe(false);
		expect(isUserNeutralCache(MEDIA_INDEX_CACHE)).toBe(false);
	});
});

describe('byte ranges from the cache', () => {
	it('parses the three single-range forms, clamped to the size', () => {
		expect(parseRange('bytes=0-', 100)).toEqual({ start: 0, end: 99 });
		expect(parseRange('bytes=10-19', 100)).toEqual({ start: 10, end: 19 });
		expect(parseRange('bytes=90-500', 100)).toEqual({ start: 90, end: 99 });
		expect(parseRange('bytes=-30', 100)).toEqual({ start: 70, end: 99 });
		expect(parseRange('bytes=-300', 100)).toEqual({ start: 0, end: 99 });
	});
	it('answers whole for no, foreign or several ranges, unsatisfiable past the end', () => {
		expect(parseRange(null, 100)).toBeNull();
		expect(parseRange('items=0-1', 100)).toBeNull();
		expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
		expect(parseRange('bytes=5-2', 100)).toBeNull();
		expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
		expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
	});
	it('slices a cached body into a 206 with Content-Range, or a 416', async () => {
		const whole = () =>
			new Response(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), { headers: { 'content-type': 'video/webm', etag: '"x"' } });
		const part = await rangeResponse(whole(), 'bytes=2-4');
		expect(part.status).toBe(206);
		expect(part.headers.get('content-range')).toBe('bytes 2-4/10');
		expect(part.headers.get('content-length')).toBe('3');
		expect(part.headers.get('content-type')).toBe('video/webm');
		expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([2, 3, 4]);
		const beyond = await rangeResponse(whole(), 'bytes=10-');
		expect(beyond.status).toBe(416);
		expect(beyond.headers.get('content-range')).toBe('bytes */10');
		const plain = await rangeResponse(whole(), null);
		expect(plain.status).toBe(200);
		expect((await plain.arrayBuffer()).byteLength).toBe(10);
	});
});

describe('what the media cache stores', () => {
	const facts = (status: number, headers: Record<string, string>, type = 'basic') => ({ status, type, headers: new Headers(headers) });
	it('takes uploads’ files and thumbnails of this origin only', () => {
		const origin = 'https://chat.example';
		const get = (url: string, method = 'GET') => new Request(url, { method });
		expect(isMediaRequest(get(`${origin}/api/uploads/abc_1`), origin)).toBe(true);
		expect(isMediaRequest(get(`${origin}/api/uploads/abc_1/thumb`), origin)).toBe(true);
		expect(isMediaRequest(get(`${origin}/api/uploads/abc_1/other`), origin)).toBe(false);
		expect(isMediaRequest(get(`${origin}/api/uploads/abc_1?x=1`), origin)).toBe(false);
		expect(isMediaRequest(get(`https://elsewhere.example/api/uploads/abc_1`), origin)).toBe(false);
		expect(isMediaRequest(get(`${origin}/api/me`), origin)).toBe(false);
		expect(isMediaRequest(get(`${origin}/api/uploads/abc_1`, 'POST'), origin)).toBe(false);
	});
	it('stores whole 200 answers with a length, never errors, opaque answers or over-large files', () => {
		expect(wholeFileSize(facts(200, { 'content-length': '218' }), false)).toBe(218);
		expect(wholeFileSize(facts(401, { 'content-length': '40' }), false)).toBeNull();
		expect(wholeFileSize(facts(404, { 'content-length': '40' }), false)).toBeNull();
		expect(wholeFileSize(facts(200, {}), false)).toBeNull();
		expect(wholeFileSize(facts(200, { 'content-length': '10' }, 'opaque'), false)).toBeNull();
		expect(wholeFileSize(facts(200, { 'content-length': String(MEDIA_CACHE_MAX_ENTRY_BYTES + 1) }), false)).toBeNull();
	});
	it('stores a "bytes=0-" answer only when it is the whole of a small file', () => {
		const part = (range: string, length: number) => facts(206, { 'content-range': range, 'content-length': String(length) });
		expect(wholeFileSize(part('bytes 0-999/1000', 1000), true)).toBe(1000);
		expect(wholeFileSize(part('bytes 0-499/1000', 500), true)).toBeNull();
		expect(wholeFileSize(part('bytes 10-999/1000', 990), true)).toBeNull();
		const big = MEDIA_CACHE_MAX_FILL_BYTES + 1;
		expect(wholeFileSize(part(`bytes 0-${big - 1}/${big}`, big), true)).toBeNull();
		expect(wholeFileSize(facts(200, { 'content-length': '1000' }), true)).toBeNull();
	});
});
