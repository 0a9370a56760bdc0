// Accounts under abuse (issue 8 items 4 and 8): an honest sign-in's latency alone, amid bursts of
// 128 bogus reset confirmations, amid bursts of 128 sign-ins for unknown names from 128 addresses
// (the argon2 queue), and the server's memory while 32 signed-out form posts of 48 MB arrive.
import http from 'node:http';
import { rssMiB, startParleyProcess } from './lib.js';

const PASSWORD = 'correct horse battery staple';
const ROUNDS = 7;
const BURST = 128;

/** A JSON POST from a chosen loopback address; resolves with the status. */
function post(url, path, body, localAddress = '127.0.0.1') {
	const { hostname, port } = new URL(url);
	const text = JSON.stringify(body);
	return new Promise((resolve) => {
		const request = http.request(
			{
				hostname,
				port,
				path,
				method: 'POST',
				localAddress,
				headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }
			},
			(res) => res.resume().on('end', () => resolve(res.statusCode))
		);
		request.on('error', () => resolve(0));
		request.end(text);
	});
}

/** Milliseconds of one honest sign-in. */
async function signInMs(url) {
	const started = performance.now();
	const status = await post(url, '/api/auth/login', { username: 'honest', password: PASSWORD });
	if (status !== 200) throw new Error(`honest sign-in answered ${status}`);
	return performance.now() - started;
}

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))];

/** ROUNDS bursts of `attack(i)` × BURST with one honest sign-in among each; latencies and attack answers. */
async function amid(url, attack) {
	const times = [];
	const statuses = {};
	for (let round = 0; round < ROUNDS; round++) {
		const burst = Array.from({ length: BURST }, (_, i) => attack(round, i).then((s) => (statuses[s] = (statuses[s] ?? 0) + 1)));
		times.push(await signInMs(url));
		await Promise.all(burst);
	}
	return { times, statuses };
}

/** Sends a signed-out form post declaring 48 MB, streaming it until the server answers or closes. */
function bigFormPost(url) {
	const { hostname, port } = new URL(url);
	const total = 48 * 1024 * 1024;
	const chunk = Buffer.alloc(1024 * 1024, 120);
	return new Promise((resolve) => {
		const request = http.request(
			{
				hostname,
				port,
				path: '/login',
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': total, origin: `http://localhost:${port}` }
			},
			(res) => res.resume().on('end', () => resolve(res.statusCode))
		);
		request.on('error', () => resolve(0));
		let sent = 0;
		const pump = () => {
			while (sent < total) {
				sent += chunk.length;
				if (!request.write(chunk)) return request.once('drain', pump);
			}
			request.end();
		};
		pump();
	});
}

/** Runs the benchmark on the embedded database; returns rows for the table. */
export async function benchAccounts() {
	const server = await startParleyProcess();
	const rows = [];
	try {
		if ((await post(server.url, '/api/auth/register', { username: 'honest', password: PASSWORD })) !== 201)
			throw new Error('register failed');
		const alone = [];
		for (let i = 0; i < 15; i++) alone.push(await signInMs(server.url));
		const row = (scenario, { times, statuses = {} }) =>
			rows.push({
				scenario,
				signInP50Ms: Math.round(percentile(times, 0.5)),
				signInMaxMs: Math.round(Math.max(...times)),
				attackAnswers: JSON.stringify(statuses)
			});
		row('alone', { times: alone });
		row(
			`amid ${BURST} bogus reset confirmations`,
			await amid(server.url, () =>
				post(server.url, '/api/auth/reset/confirm', { token: 'a'.repeat(32), password: 'another long password' })
			)
		);
		row(
			`amid ${BURST} sign-ins (unknown names) from ${BURST} addresses`,
			// Unknown names cost a full (dummy) verification too, and leave the honest account's ceiling alone.
			await amid(server.url, (round, i) =>
				post(server.url, '/api/auth/login', { username: `nobody_${round}_${i}`, password: 'wrong password' }, `127.0.${round + 1}.${i + 1}`)
			)
		);
		let peak = rssMiB(server.pid);
		const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(server.pid))), 50);
		const before = rssMiB(server.pid);
		const answers = {};
		await Promise.all(Array.from({ length: 32 }, () => bigFormPost(server.url).then((s) => (answers[s] = (answers[s] ?? 0) + 1))));
		clearInterval(sampler);
		rows.push({
			scenario: '32 signed-out 48 MB form posts',
			rssBeforeMiB: before,
			rssPeakMiB: peak,
			attackAnswers: JSON.stringify(answers)
		});
	} finally {
		await server.stop();
	}
	return { rows };
}
