// The chat list's view model without Svelte (issue 17, finding 2), against a real Parley: the
// inbox document as one snapshot per change; a conversation I left is hidden at once; one the
// server took out of my inbox (removed while it was not open) is handed to `forget`.
import { beforeAll, describe, expect, it } from 'vitest';
import { InboxViewModel, type InboxSnapshot } from '$lib/client/view-models/inbox';
import { testDatabaseKind } from '../../helpers/database.js';
import { waitFor } from '../../helpers/sync.js';
import { createConversation, type TestUser } from '../../helpers/users.js';
import { MemoryDeviceStorage, clientTestBed } from './helpers.js';

describe(`InboxViewModel (${testDatabaseKind()})`, () => {
	const bed = clientTestBed();
	let alice: TestUser, bob: TestUser;
	beforeAll(() => void ({ alice, bob } = bed));

	it('lists the inbox, hides what I left at once, and forgets what the server removed', async () => {
		const session = await bed.open(bob, new MemoryDeviceStorage());
		await session.inbox.whenSynced();
		const forgotten: string[] = [];
		const vm = new InboxViewModel({ doc: session.inbox.doc, awareness: session.inbox.provider.awareness }, (id) => forgotten.push(id));
		bed.cleanup(() => vm.destroy());
		const snapshots: InboxSnapshot[] = [];
		vm.on('snapshot', (s) => snapshots.push(s));
		const ids = () => vm.snapshot.items.map((i) => i.conversationId);

		const kept = await createConversation(alice, { kind: 'group', title: 'Kept', memberIds: [bob.id] });
		const leaving = await createConversation(alice, { kind: 'group', title: 'Leaving', memberIds: [bob.id] });
		const removed = await createConversation(alice, { kind: 'group', title: 'Removed', memberIds: [bob.id] });
		await waitFor(() => [kept.id, leaving.id, removed.id].every((id) => ids().includes(id)), { what: 'three entries' });
		expect(vm.snapshot.items.find((i) => i.conversationId === kept.id)).toMatchObject({ title: 'Kept', kind: 'group', role: 'member' });
		expect(snapshots.length).toBeGreaterThan(0);

		// I leave: hidden at once, before the server's inbox drops it (and not "forgotten" twice)
		const before = snapshots.length;
		vm.drop(leaving.id);
		expect(snapshots.length).toBe(before + 1);
		expect(ids()).not.toContain(leaving.id);
		expect((await bob.client.delete(`/api/conversations/${leaving.id}/members/${bob.id}`)).status).toBe(204);

		// removed by the owner while the chat was not open: the entry goes, and so must its copy here
		expect((await alice.client.delete(`/api/conversations/${removed.id}/members/${bob.id}`)).status).toBe(204);
		await waitFor(() => forgotten.includes(removed.id), { what: 'the removed conversation forgotten' });
		expect(ids()).not.toContain(removed.id);
		expect(ids()).toContain(kept.id);
		expect(forgotten).not.toContain(leaving.id);
	});
});
