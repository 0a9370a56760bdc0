// Uploads tests: tiny real files of each type (sharp makes the images; hand-made headers are
// enough for file-type to recognise the rest), a server with its own DATA_DIR, and an upload call.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import type { TestUser } from '../../helpers/users.js';
import { DEFAULT_LIMITS, type Config } from '$lib/server/config';

/** A server whose clock can be moved forward (`advance`), with a DATA_DIR of its own. */
export async function startUploadServer(
	options: {
		env?: Record<string, string>;
		limits?: Partial<Config['limits']>;
		/** limits read once at start (e.g. the relay's), over the defaults */
		startLimits?: Partial<Config['limits']>;
	} = {}
) {
	const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-uploads-'));
	let skew = 0;
	const server = await startTestServer({
		env: { DATA_DIR: dataDir, ...options.env },
		now: () => Date.now() + skew,
		...(options.startLimits ? { overrides: { limits: { ...DEFAULT_LIMITS, ...options.startLimits } } } : {})
	});
	Object.assign(server.parley.runtime.config.limits, options.limits ?? {});
	uploadOrigin = server.origin;
	const uploadsDir = path.join(server.parley.runtime.config.dataDir, 'uploads');
	return {
		server,
		uploadsDir,
		/** Moves the server's clock forward. */
		advance: (ms: number) => void (skew += ms),
		/** Stored blob files (tmp excluded). */
		async blobFiles(): Promise<string[]> {
			const out: string[] = [];
			for (const dir of await fs.readdir(uploadsDir).catch(() => [] as string[])) {
				if (dir === 'tmp') continue;
				for (const file of await fs.readdir(path.join(uploadsDir, dir))) out.push(file);
			}
			return out.sort();
		},
		tmpFiles: () => fs.readdir(path.join(uploadsDir, 'tmp')).catch(() => [] as string[]),
		async close() {
			await server.close();
			await fs.rm(dataDir, { recursive: true, force: true });
		}
	};
}

export type UploadServer = Awaited<ReturnType<typeof startUploadServer>>;

/** The origin uploads are sent from (a browser sends Origin on every POST; Kit's CSRF check wants ours). */
let uploadOrigin = '';

/** POSTs one file as multipart through the user's client (cookies, JSON answer). */
export function upload(user: TestUser, conversationId: string, bytes: Uint8Array, name = 'file.bin', type = 'application/octet-stream') {
	const form = new FormData();
	form.set('conversationId', conversationId);
	form.set('file', new Blob([bytes as BlobPart], { type }), name);
	return user.client.request('POST', '/api/uploads', { body: form, headers: { origin: uploadOrigin } });
}

/** GETs a URL as the user, returning the raw bytes too. */
export async function fetchAs(user: TestUser | null, server: TestServer, url: string, headers: Record<string, string> = {}) {
	const response = await fetch(new URL(url, server.url), {
		headers: { ...(user ? { cookie: user.client.cookieHeader() } : {}), ...headers }
	});
	return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
}

const solid = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 90 } } });

/** Real images made by sharp; the JPEG carries GPS EXIF and orientation 6 (rotated 90°). */
export const images = {
	jpeg: () =>
		solid(6, 4)
			.jpeg()
			.withMetadata({ orientation: 6 })
			.withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 0/1' } })
			.toBuffer(),
	png: () => solid(5, 3).png().toBuffer(),
	webp: () => solid(7, 2).webp().toBuffer(),
	avif: () => solid(4, 4).avif().toBuffer(),
	async gif() {
		const frames = await Promise.all(
			['red', 'blue', 'green'].map((c) =>
				sharp({ create: { width: 8, height: 6, channels: 3, background: c } })
					.png()
					.toBuffer()
			)
		);
		return sharp(frames, { join: { animated: true } })
			.gif()
			.toBuffer();
	},
	async animatedWebp() {
		const frames = await Promise.all(
			['red', 'blue'].map((c) =>
				sharp({ create: { width: 8, height: 6, channels: 3, background: c } })
					.png()
					.toBuffer()
			)
		);
		return sharp(frames, { join: { animated: true } })
			.webp()
			.toBuffer();
	}
};

/** A 24-bit uncompressed BMP, 2×2. */
export function bmp(): Uint8Array {
	const width = 2,
		height = 2,
		stride = 8,
		dataSize = stride * height;
	const b = Buffer.alloc(54 + dataSize);
	b.write('BM', 0, 'latin1');
	b.writeUInt32LE(54 + dataSize, 2);
	b.writeUInt32LE(54, 10);
	b.writeUInt32LE(40, 14);
	b.writeInt32LE(width, 18);
	b.writeInt32LE(height, 22);
	b.writeUInt16LE(1, 26);
	b.writeUInt16LE(24, 28);
	b.writeUInt32LE(dataSize, 34);
	for (let i = 54; i < b.length; i++) b[i] = 0x80;
	return b;
}

/** A PNG whose header claims `side`×`side` pixels with a tiny body: a decompression bomb. */
export function pngBomb(side: number): Uint8Array {
	const chunk = (type: string, data: Buffer) => {
		const head = Buffer.alloc(8);
		head.writeUInt32BE(data.length, 0);
		head.write(type, 4, 'latin1');
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0);
		return Buffer.concat([head, data, crc]);
	};
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(side, 0);
	ihdr.writeUInt32BE(side, 4);
	ihdr.set([8, 2, 0, 0, 0], 8);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
		chunk('IEND', Buffer.alloc(0))
	]);
}

const pad = (head: Buffer | number[], total = 512) => {
	const b = Buffer.alloc(Math.max(total, head.length));
	Buffer.from(head).copy(b);
	return b;
};
/** An ISO base media file (MP4/MOV/M4A) with the given major brand. */
const isoMedia = (brand: string) =>
	pad(
		Buffer.concat([
			Buffer.from([0, 0, 0, 0x18]),
			Buffer.from(`ftyp${brand}`, 'latin1'),
			Buffer.from([0, 0, 2, 0]),
			Buffer.from(`${brand}isom`, 'latin1')
		])
	);

/** Hand-made headers file-type recognises. */
export const media = {
	mp4: () => isoMedia('isom'),
	mov: () => isoMedia('qt  '),
	m4a: () => isoMedia('M4A '),
	webm: () =>
		pad([
			0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01, 0x42, 0xf2, 0x81, 0x04, 0x42, 0xf3, 0x81, 0x08, 0x42,
			0x82, 0x84, 0x77, 0x65, 0x62, 0x6d, 0x42, 0x87, 0x81, 0x04, 0x42, 0x85, 0x81, 0x02
		]),
	oggOpus: () =>
		pad(
			Buffer.concat([
				Buffer.from('OggS', 'latin1'),
				Buffer.from([0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 19]),
				Buffer.from('OpusHead', 'latin1'),
				Buffer.from([1, 1, 0x38, 1, 0x80, 0xbb, 0, 0, 0, 0, 0])
			])
		),
	mp3: () => pad(Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413), Buffer.from([0xff, 0xfb, 0x90, 0x64])]), 2048),
	avi: () => pad(Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.from([0, 2, 0, 0]), Buffer.from('AVI LIST', 'latin1')])),
	pdf: () => Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1'),
	zip() {
		const name = Buffer.from('a.txt');
		const data = Buffer.from('hello');
		const h = Buffer.alloc(30);
		h.writeUInt32LE(0x04034b50, 0);
		h.writeUInt16LE(20, 4);
		h.writeUInt32LE(crc32(data) >>> 0, 14);
		h.writeUInt32LE(data.length, 18);
		h.writeUInt32LE(data.length, 22);
		h.writeUInt16LE(name.length, 26);
		return Buffer.concat([h, name, data, Buffer.alloc(64)]);
	}
};
