// A flooding script in its own thread (as an attacker would be its own process): the benchmark's
// honest clients keep their event loop to themselves, so their latency is the server's doing.
// workerData: { url, docName, cookie, kind: 'messages' | 'awareness', userId, clientId }.
// Posts back { sent, connections, closes, refused } after the parent posts 'stop'.
import { parentPort, workerData } from 'node:worker_threads';
import { awarenessFrames, flood, messageFrames, openRaw } from './flood.js';

const { url, docName, cookie, kind, userId, clientId } = workerData;
let stopped = false;
parentPort.on('message', (message) => {
	if (message === 'stop') stopped = true;
});
const stop = () => stopped;
const result = { sent: 0, connections: 0, closes: {}, refused: 0 };
// Like a script: flood; when closed or refused, try again shortly, with a fresh source.
while (!stop()) {
	let ws;
	try {
		ws = await openRaw(url, docName, cookie);
	} catch {
		result.refused++;
		await new Promise((r) => setTimeout(r, 200));
		continue;
	}
	result.connections++;
	const closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
	const frames = kind === 'messages' ? messageFrames(userId) : awarenessFrames(clientId, userId);
	result.sent += await flood(ws, frames, stop);
	if (ws.readyState === ws.OPEN) ws.terminate();
	const code = await closed;
	if (!stop()) result.closes[code] = (result.closes[code] ?? 0) + 1;
}
parentPort.postMessage(result);
