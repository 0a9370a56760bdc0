// The conversation screen's view model without Svelte (issue 17, finding 2), against a real
// Parley: one `snapshot` event per burst of changes; sends made before the document has loaded
// are in the snapshot at once as pending and delivered once; the other person's messages and
// typing arrive through the same snapshot.
import { beforeAll, describe, expect, it } from 'vitest';
import { ConversationViewModel, type ConversationSnapshot } from '$lib/client/view-models/conversation';
import { appendMessage } from '$lib/sync/doc-ops';
import { testDatabaseKind } from '../../helpers/database.js';
import { messagesOf, waitFor } from '../../helpers/sync.js';
import { createConversation, type TestUser } from '../../helpers/users.js';
import { MemoryDeviceStorage, clientTestBed } from './helpers.js';

describe(`ConversationViewModel (${testDatabaseKind()})`, () => {
	const bed = clientTestBed();
	const { stock } = bed;
	let alice: TestUser, bob: TestUser;
	beforeAll(() => void ({ alice, bob } = bed));

	async function viewModel(conversationId: string) {
		const session = await bed.open(alice, new MemoryDeviceStorage());
		const names = new Map([
			[alice.id, 'Alice'],
			[bob.id, 'Bob']
		]);
		const vm = new ConversationViewModel(conversationId, {
			session,
			name: (id) => names.get(id) ?? id,
			entry: () => undefined,
			presence: () => undefined,
			release: () => {}
		});
		bed.cleanup(() => vm.dispose());
		const snapshots: ConversationSnapshot[] = [];
		vm.on('snapshot', (s) => snapshots.push(s));
		return { vm, snapshots, session };
	}

	it('sends before the document loaded: one snapshot for the burst, pending at once, then delivered once and sent', async () => {
		const chat = await createConversation(alice, { kind: 'group', title: 'View model', memberIds: [bob.id] });
		const bobs = stock.open(bob, chat.docName);
		await bobs.synced();
		const { vm, snapshots } = await viewModel(chat.id);
		expect(vm.handle).toBeNull(); // the document is still loading
		expect(vm.send('one')).toBe(true);
		expect(vm.send('two')).toBe(true);
		expect(vm.sendSticker('parley', 'hello')).toBe(true);
		expect(vm.send('   ')).toBe(false);
		await Promise.resolve();
		expect(snapshots).toHaveLength(1);
		expect(snapshots[0]!.messages.map((m) => [m.text, m.kind, m.state])).toEqual([
			['one', 'text', 'pending'],
			['two', 'text', 'pending'],
			['', 'sticker', 'pending']
		]);
		expect(snapshots[0]!.pendingCount).toBe(3);

		const mine = () => vm.snapshot.messages.filter((m) => m.kind !== 'system');
		await waitFor(() => vm.snapshot.status === 'up-to-date' && mine().every((m) => m.state === 'sent'), {
			what: 'delivered and confirmed'
		});
		expect(mine().map((m) => m.text)).toEqual(['one', 'two', '']);
		expect(messagesOf(bobs.doc).map((m) => m.text)).toEqual(['one', 'two', '']);
		expect(vm.snapshot).toMatchObject({ title: 'View model', kind: 'group', pendingCount: 0, removed: null });
		// a snapshot is a new object per change, never mutated afterwards
		expect(snapshots[0]!.messages.map((m) => m.state)).toEqual(['pending', 'pending', 'pending']);
	});

	it("the other person's message and typing reach the snapshot", async () => {
		const chat = await createConversation(alice, { kind: 'group', title: 'Typing', memberIds: [bob.id] });
		const { vm } = await viewModel(chat.id);
		await waitFor(() => vm.snapshot.status === 'up-to-date', { what: 'synced' });
		const bobs = stock.open(bob, chat.docName);
		await bobs.synced();
		appendMessage(bobs.doc, { id: 'from-bob', author: bob.id, createdAt: Date.now(), text: 'hello Alice' });
		await waitFor(() => vm.snapshot.messages.some((m) => m.id === 'from-bob'), { what: "Bob's message" });
		expect(vm.snapshot.messages.find((m) => m.id === 'from-bob')).toMatchObject({ authorName: 'Bob', own: false, text: 'hello Alice' });
		expect(vm.snapshot.firstUnreadId).toBeNull(); // the divider stays where it was when the conversation opened
		bobs.provider.awareness.setLocalStateField('user', { id: bob.id });
		bobs.provider.awareness.setLocalStateField('typing', Date.now());
		await waitFor(() => vm.snapshot.typing.includes('Bob'), { what: 'Bob typing' });
		bobs.provider.awareness.setLocalStateField('typing', null);
		await waitFor(() => vm.snapshot.typing.length === 0, { what: 'Bob stopped' });
	});
});
