// Each owner ends what it made: once Parley is closed, nothing made for the relay (presence, the
// R27/R28 sets, the inbox's wiring) still listens to the relay's events or the process's.
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../../helpers/server.js';
import { connectClient } from '../../helpers/sync.js';
import { signUp } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';
import type { RelayEventMap } from '../../../server/relay/relay-events.js';
import type { ParleyEventMap } from '$lib/server/events';

describe(`relay wiring (${testDatabaseKind()})`, () => {
	it('after close, no listener is left on the relay’s events or on the ParleyEvents the relay’s parts followed', async () => {
		const server = await startTestServer();
		const { relay, runtime } = server.parley;
		const relayEvents: Array<keyof RelayEventMap> = ['committed', 'userOnline', 'userOffline'];
		const parleyEvents: Array<keyof ParleyEventMap> = [
			'membershipChanged',
			'conversationEdited',
			'accessRevoked',
			'uploadCreated',
			'uploadsRemoved',
			'blocksChanged',
			'contactsChanged',
			'privacyChanged',
			'updateCommitted',
			'sessionsEnded'
		];
		const count = () => ({
			relay: relayEvents.reduce((sum, name) => sum + relay.events.listenerCount(name), 0),
			parley: parleyEvents.reduce((sum, name) => sum + runtime.events.listenerCount(name), 0)
		});
		const alice = await signUp(server.url, 'alice');
		const inbox = connectClient({ url: server.url, docName: (await alice.client.get('/api/me')).data.inboxDocName, cookie: alice.cookie });
		await inbox.synced();
		// Presence, the inbox and push listen while it runs.
		expect(count().relay).toBeGreaterThanOrEqual(3);
		expect(count().parley).toBeGreaterThan(0);
		inbox.destroy();
		await server.close();
		expect(count()).toEqual({ relay: 0, parley: 0 });
	});
});
