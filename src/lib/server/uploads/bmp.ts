/**
 * A BMP reader for the common, uncompressed kinds (24- and 32-bit BI_RGB, 8-bit palette): sharp's
 * libvips reads no BMP, and BMP uploads are converted to PNG. Other BMPs (RLE, bit fields, 1/4-bit)
 * return null and are kept as a plain file.
 */
import { Worker } from 'node:worker_threads';

/** Raw RGB(A) pixels sharp can take (`{ raw: { width, height, channels } }`). */
export interface RawImage {
	data: Buffer;
	width: number;
	height: number;
	channels: 3 | 4;
}

/** Decodes `bytes` if it is a BMP we read; null otherwise. Refuses images over `maxPixels`. */
export function decodeBmp(bytes: Buffer, maxPixels: number): RawImage | null {
	if (bytes.length < 54 || bytes.toString('latin1', 0, 2) !== 'BM') return null;
	const dataOffset = bytes.readUInt32LE(10);
	const headerSize = bytes.readUInt32LE(14);
	if (headerSize < 40) return null;
	const width = bytes.readInt32LE(18);
	const rawHeight = bytes.readInt32LE(22);
	const bits = bytes.readUInt16LE(28);
	const compression = bytes.readUInt32LE(30);
	// rows are stored bottom-up unless the height is negative
	const height = Math.abs(rawHeight);
	const bottomUp = rawHeight > 0;
	if (compression !== 0 || width <= 0 || height <= 0 || ![8, 24, 32].includes(bits)) return null;
	if (width * height > maxPixels) throw new RangeError('BMP exceeds the pixel limit');
	const stride = Math.ceil((width * bits) / 32) * 4;
	if (dataOffset + stride * height > bytes.length) return null;
	const channels = bits === 32 ? 4 : 3;
	let palette: Buffer | null = null;
	if (bits === 8) {
		const colours = bytes.readUInt32LE(46) || 256;
		const paletteStart = 14 + headerSize;
		if (paletteStart + colours * 4 > dataOffset) return null;
		palette = bytes.subarray(paletteStart, paletteStart + colours * 4);
	}
	const out = Buffer.alloc(width * height * channels);
	for (let y = 0; y < height; y++) {
		const row = dataOffset + (bottomUp ? height - 1 - y : y) * stride;
		for (let x = 0; x < width; x++) {
			const o = (y * width + x) * channels;
			let p: number;
			if (palette) {
				p = bytes[row + x]! * 4;
				if (p + 3 > palette.length) return null;
				out[o] = palette[p + 2]!;
				out[o + 1] = palette[p + 1]!;
				out[o + 2] = palette[p]!;
				continue;
			}
			p = row + x * (bits / 8);
			// stored as BGR(A)
			out[o] = bytes[p + 2]!;
			out[o + 1] = bytes[p + 1]!;
			out[o + 2] = bytes[p]!;
			if (channels === 4) out[o + 3] = bytes[p + 3]!;
		}
	}
	return { data: out, width, height, channels };
}

/**
 * The worker's code: reads the file and runs `decodeBmp` (its own source, so the two never
 * differ) off the main thread. A 51 MB 8-bit BMP took ~1.7 s of JavaScript on the event loop,
 * stalling every socket; here the loop only waits for a message. CommonJS, as `eval` workers are.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const decode = (${decodeBmp.toString()});
try {
	const image = decode(readFileSync(workerData.file), workerData.maxPixels);
	const whole = image && image.data.byteOffset === 0 && image.data.buffer.byteLength === image.data.length;
	parentPort.postMessage({ image }, whole ? [image.data.buffer] : []);
} catch (error) {
	parentPort.postMessage({ error: error instanceof RangeError ? 'pixels' : String(error) });
}`;

/**
 * `decodeBmp` of the file at `file`, in a worker thread (one per image: the image queue bounds
 * how many run at once). Rejects with a RangeError past `maxPixels`, as `decodeBmp` throws.
 */
export function decodeBmpFile(file: string, maxPixels: number): Promise<RawImage | null> {
	return new Promise((resolve, reject) => {
		const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, maxPixels } });
		let settled = false;
		worker.once('message', (message: { image?: RawImage | null; error?: string }) => {
			settled = true;
			if (message.error === 'pixels') reject(new RangeError('BMP exceeds the pixel limit'));
			else if (message.error) reject(new Error(message.error));
			else {
				const image = message.image ?? null;
				// Transferred as a Uint8Array: a Buffer again for sharp.
				resolve(image ? { ...image, data: Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length) } : null);
			}
			void worker.terminate();
		});
		worker.once('error', (error) => {
			if (!settled) reject(error);
		});
		worker.once('exit', (code) => {
			if (!settled) reject(new Error(`the BMP worker stopped (${code})`));
		});
	});
}
