// An awareness flood (issue 8, item 3): one member sends valid 4 KB awareness states back to back
// to a conversation with 10 listeners. Broadcasts are coalesced per client id (latest state wins)
// and flushed at most once per relayAwarenessFlushMs, so each listener gets a few states a second;
// the sender's awareness bucket throttles it as well; an honest typing state still arrives.
// Limits: docs/sync-rules.md "Rate limits". Counts are asserted over a measured interval, never times.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connectClient, waitFor, type SyncClient } from '../../helpers/sync.js';
import { connectRaw, type RawClient } from '../../helpers/raw-sync.js';
import { measureAwarenessFlood } from './floods.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';

const LISTENERS = 10;

describe(`an awareness flood reaches listeners coalesced (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let mallory: TestUser, carol: TestUser, lena: TestUser;
	let group: { docName: string };
	const listeners: RawClient[] = [];
	let watcher: SyncClient, typer: SyncClient;

	beforeAll(async () => {
		server = await startTestServer();
		[mallory, carol, lena] = [await signUp(server.url, 'mallory'), await signUp(server.url, 'carol'), await signUp(server.url, 'lena')];
		group = await createConversation(mallory, { kind: 'group', title: 'Noisy', memberIds: [carol.id, lena.id] });
		for (let i = 0; i < LISTENERS; i++) listeners.push(await connectRaw({ url: server.url, docName: group.docName, cookie: lena.cookie }));
	});
	afterAll(async () => {
		for (const l of listeners) l.destroy();
		watcher?.destroy();
		typer?.destroy();
		await server?.close();
	});

	it('[G9] each of 10 listeners gets at most one state per flush interval, the sender is throttled, and honest typing still arrives', async () => {
		const flushMs = server.config.limits.relayAwarenessFlushMs;
		watcher = connectClient({ url: server.url, docName: group.docName, cookie: lena.cookie });
		typer = connectClient({ url: server.url, docName: group.docName, cookie: carol.cookie });
		await Promise.all([watcher.synced(), typer.synced()]);
		const waits = server.parley.relay.intakeStats.rateWaits;
		const measuring = measureAwarenessFlood(server, mallory, listeners, group.docName);
		// Carol starts typing in the middle of the flood; Lena's stock client sees it.
		await waitFor(() => listeners[0]!.awareness.length > 3, { what: 'the flood under way' });
		typer.provider.awareness.setLocalState({ user: { id: carol.id }, typing: true });
		await waitFor(() => watcher.provider.awareness.getStates().get(typer.provider.awareness.clientID)?.typing === true, {
			what: "carol's typing state at lena"
		});
		const { perListener, seconds, sent } = await measuring;
		console.info(
			`awareness flood (${testDatabaseKind()}, limits on): sent ${sent}; per listener over ${seconds.toFixed(1)} s: ${perListener.join(' ')}`
		);
		for (const count of perListener) {
			expect(count).toBeGreaterThan(0);
			expect(count).toBeLessThanOrEqual(Math.ceil((seconds * 1000) / flushMs) + 2);
		}
		expect(server.parley.relay.intakeStats.rateWaits).toBeGreaterThan(waits);
	});
});
