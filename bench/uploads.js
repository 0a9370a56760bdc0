// Uploads: throughput of POST /api/uploads (MB/s), the server's memory growth while ten 50 MiB
// uploads run at once (target: under 100 MB; the body is streamed to disk, never held), and the
// time a 12-megapixel photo takes (re-encoded without metadata, thumbnail, placeholder).
import crypto from 'node:crypto';
import sharp from 'sharp';
import { createBenchDatabase, rssMiB, startParleyProcess } from './lib.js';
import { openSeedDb, seedGroup, seedUsers } from './seed.js';

const MIB = 1024 * 1024;
const FILE_BYTES = 50 * MIB;
const CONCURRENT = 10;
const SEQUENTIAL = 3;
const PHOTOS = 3;
/** Where the body's bytes come from: one random MiB, re-sent with a per-upload prefix (no two uploads equal). */
const BLOCK = crypto.randomBytes(MIB);

/** A streamed multipart body of `size` file bytes (never built whole in memory). */
function multipart(conversationId, size, tag) {
	const boundary = `bench${crypto.randomBytes(8).toString('hex')}`;
	const head = Buffer.from(
		`--${boundary}\r\nContent-Disposition: form-data; name="conversationId"\r\n\r\n${conversationId}\r\n` +
			`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
	let sent = 0;
	const body = new ReadableStream({
		start: (c) => c.enqueue(new Uint8Array(Buffer.concat([head, Buffer.from(tag.padEnd(32, '.'))]))),
		pull(c) {
			const left = size - 32 - sent;
			if (left <= 0) {
				c.enqueue(new Uint8Array(tail));
				return c.close();
			}
			const part = BLOCK.subarray(0, Math.min(BLOCK.length, left));
			sent += part.length;
			c.enqueue(new Uint8Array(part));
		}
	});
	return { body, type: `multipart/form-data; boundary=${boundary}` };
}

async function post(server, user, conversationId, size, tag) {
	const { body, type } = multipart(conversationId, size, tag);
	const res = await fetch(`${server.url}/api/uploads`, {
		method: 'POST',
		body,
		duplex: 'half',
		headers: { cookie: user.cookie, origin: `http://localhost:${server.port}`, 'content-type': type }
	});
	const json = await res.json();
	if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${JSON.stringify(json)}`);
	return json.upload;
}

async function postPhoto(server, user, conversationId, bytes) {
	const form = new FormData();
	form.set('conversationId', conversationId);
	form.set('file', new Blob([bytes]), 'photo.jpg');
	const res = await fetch(`${server.url}/api/uploads`, {
		method: 'POST',
		body: form,
		headers: { cookie: user.cookie, origin: `http://localhost:${server.port}` }
	});
	if (res.status !== 201) throw new Error(`photo upload answered ${res.status}`);
	return (await res.json()).upload;
}

export async function benchUploads() {
	const database = await createBenchDatabase();
	// The first start applies the migrations.
	const first = await startParleyProcess({ env: { DATABASE_URL: database.url } });
	await first.stop();
	const seed = await openSeedDb({ databaseUrl: database.url });
	const [user] = await seedUsers(seed, 1, 'upl');
	const group = await seedGroup(seed, 'Uploads', [user]);
	await seed.close();
	const server = await startParleyProcess({ env: { DATABASE_URL: database.url } });
	try {
		// warm-up (first request loads routes, sharp, file-type)
		await post(server, user, group.id, MIB, 'warm');
		const base = rssMiB(server.pid);

		let started = performance.now();
		for (let i = 0; i < SEQUENTIAL; i++) await post(server, user, group.id, FILE_BYTES, `seq${i}`);
		const sequentialMBs = (SEQUENTIAL * FILE_BYTES) / 1e6 / ((performance.now() - started) / 1000);

		let peak = rssMiB(server.pid);
		const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(server.pid))), 25);
		const beforeConcurrent = rssMiB(server.pid);
		started = performance.now();
		await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => post(server, user, group.id, FILE_BYTES, `par${i}`)));
		const concurrentMs = performance.now() - started;
		clearInterval(sampler);
		const concurrentMBs = (CONCURRENT * FILE_BYTES) / 1e6 / (concurrentMs / 1000);
		const growth = +(peak - beforeConcurrent).toFixed(1);

		// A 12 MP photo with detail (noise compresses like a photo does, not like a flat colour).
		const photo = await sharp({ create: { width: 4000, height: 3000, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
			.jpeg({ quality: 90 })
			.withMetadata({ orientation: 6 })
			.toBuffer();
		const photoTimes = [];
		for (let i = 0; i < PHOTOS; i++) {
			const t = performance.now();
			const up = await postPhoto(server, user, group.id, photo);
			photoTimes.push(performance.now() - t);
			if (!up.thumbUrl) throw new Error('no thumbnail');
		}
		// The thumbnail step alone, in this process, with the server's settings.
		const thumbTimes = [];
		for (let i = 0; i < PHOTOS; i++) {
			const t = performance.now();
			await sharp(photo, { limitInputPixels: 64_000_000 }).rotate().resize(320, 320, { fit: 'inside' }).webp({ quality: 70 }).toBuffer();
			thumbTimes.push(performance.now() - t);
		}
		const median = (xs) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]);
		return {
			rows: [
				{ measure: `sequential 50 MiB uploads (${SEQUENTIAL}), MB/s`, value: +sequentialMBs.toFixed(1) },
				{ measure: `${CONCURRENT} × 50 MiB at once, MB/s overall`, value: +concurrentMBs.toFixed(1) },
				{ measure: `RSS before the ${CONCURRENT} concurrent uploads, MiB`, value: beforeConcurrent },
				{ measure: `RSS peak during them, MiB`, value: peak },
				{ measure: 'RSS growth during them, MiB (target < 100 MB)', value: growth },
				{ measure: 'RSS peak minus idle (after one 1 MiB warm-up), MiB', value: +(peak - base).toFixed(1) },
				{ measure: `12 MP JPEG (${(photo.length / MIB).toFixed(1)} MiB) POST → 201, median ms`, value: median(photoTimes) },
				{ measure: '12 MP JPEG thumbnail alone (sharp, same settings), median ms', value: median(thumbTimes) }
			],
			idleRssMiB: base,
			rssGrowthMiB: growth,
			note: 'machine shared by several engineers (2 cores): timings are noisy'
		};
	} finally {
		await server.stop();
		await database.drop();
	}
}
