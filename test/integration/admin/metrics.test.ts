// /metrics: off (404) without METRICS_TOKEN; with it, the token is required (401) and the text
// carries HTTP, relay (sockets, rooms, commits) and process figures that follow what happened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { signUp, createConversation } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';
import type { SyncClient } from '../../helpers/sync.js';
import { sendMessage } from './helpers.js';

const TOKEN = 'metrics-token-for-tests-0123456789';
const metricValue = (text: string, name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

describe(`/metrics (${testDatabaseKind()})`, () => {
	let off: TestServer;
	let on: TestServer;
	const clients: SyncClient[] = [];
	beforeAll(async () => {
		off = await startTestServer();
		on = await startTestServer({ env: { METRICS_TOKEN: TOKEN } });
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await off?.close();
		await on?.close();
	});

	it('is off without METRICS_TOKEN and needs the token when on', async () => {
		expect((await fetch(`${off.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
		const anonymous = await fetch(`${on.url}/metrics`);
		expect(anonymous.status).toBe(401);
		expect((await anonymous.json()).error.code).toBe('unauthenticated');
		expect((await fetch(`${on.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token-00' } })).status).toBe(401);
	});

	it('reports HTTP, relay and process figures that follow what happened', async () => {
		const ann = await signUp(on.url, 'ann');
		const ben = await signUp(on.url, 'ben');
		const chat = await createConversation(ann, { kind: 'direct', userId: ben.id });
		await sendMessage(on, ann, chat.docName, 'counted', clients);
		const res = await fetch(`${on.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
		const text = await res.text();
		expect(metricValue(text, 'parley_relay_sockets')).toBe(1);
		expect(metricValue(text, 'parley_relay_rooms')).toBeGreaterThanOrEqual(1);
		expect(metricValue(text, 'parley_relay_updates_committed_total')).toBeGreaterThanOrEqual(1);
		expect(metricValue(text, 'parley_relay_commit_duration_seconds_count')).toBeGreaterThanOrEqual(1);
		expect(text).toMatch(/^parley_http_requests_total\{method="POST",status="201"\} [1-9]/m);
		expect(text).toContain('parley_process_resident_memory_bytes');
		if (testDatabaseKind() === 'postgres') expect(metricValue(text, 'parley_db_pool_connections')).toBeGreaterThanOrEqual(1);
	});
});
