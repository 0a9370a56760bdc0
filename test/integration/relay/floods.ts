// The awareness flood shared by awareness-flood.test.ts and rate-limits-off.test.ts.
import type { TestServer } from '../../helpers/server.js';
import { waitFor } from '../../helpers/sync.js';
import { connectRaw, type RawClient } from '../../helpers/raw-sync.js';
import type { TestUser } from '../../helpers/users.js';
import { awarenessEntriesFor, awarenessFrames, flood } from '../../../bench/flood.js';

/** How long the listeners' counts are measured. */
const MEASURE_MS = 4_000;

/** Floods awareness from `sender` while listeners count what they get; returns the figures. */
export async function measureAwarenessFlood(server: TestServer, sender: TestUser, listeners: RawClient[], docName: string) {
	const raw = await connectRaw({ url: server.url, docName, cookie: sender.cookie });
	await raw.roundTrip();
	const clientId = 4_242_424;
	const received = () => listeners.map((l) => l.awareness.reduce((sum, payload) => sum + awarenessEntriesFor(payload, clientId), 0));
	let stop = false;
	const flooding = flood(raw.ws, awarenessFrames(clientId, sender.id), () => stop, { perTurn: 20 });
	await waitFor(() => received().every((n) => n > 0), { what: 'the first flooded state at every listener' });
	const framesBefore = server.parley.relay.intakeStats.awarenessFrames;
	const before = received();
	const started = performance.now();
	// A measured interval, not a wait for a condition: what is counted is what arrives within it.
	await new Promise((resolve) => setTimeout(resolve, MEASURE_MS));
	const after = received();
	const seconds = (performance.now() - started) / 1000;
	const serverFrames = server.parley.relay.intakeStats.awarenessFrames - framesBefore;
	stop = true;
	const sent = await flooding;
	raw.destroy();
	return { perListener: after.map((n, i) => n - before[i]!), seconds, sent, serverFrames };
}
