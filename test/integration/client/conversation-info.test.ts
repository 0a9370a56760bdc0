// ConversationInfoState (the info panel's state) against a real Parley: load, edit, invite links
// in the shared link format, roles, leaving, and what it says when the conversation is not mine
// or the server cannot be reached. Compiled by Svelte as on the server (fields are plain there:
// this tests the class's logic; reactivity is the unit-svelte project's).
import { beforeAll, describe, expect, it } from 'vitest';
import { createApi, createHttp } from '$lib/client/api';
import { ConversationInfoState } from '$lib/client/state/conversation-info.svelte';
import { INVITE_PATH_PREFIX, INVITE_TOKEN_PATTERN, inviteToken } from '$lib/shared/links';
import type { PublicUser } from '$lib/shared/people';
import { testDatabaseKind } from '../../helpers/database.js';
import { createConversation, signUp, type TestUser } from '../../helpers/users.js';
import { clientTestBed, fetchAs } from './helpers.js';

describe(`ConversationInfoState (${testDatabaseKind()})`, () => {
	const bed = clientTestBed();
	let alice: TestUser, bob: TestUser;
	beforeAll(() => void ({ alice, bob } = bed));

	function stateFor(user: TestUser, id: string, origin = bed.server.url) {
		const remembered: PublicUser[] = [];
		const left: string[] = [];
		const api = createApi(createHttp({ origin, fetch: fetchAs(user, bed.server) }));
		const state = new ConversationInfoState(id, {
			api,
			me: user.id,
			remember: (people) => remembered.push(...people),
			left: (c) => left.push(c)
		});
		return { state, remembered, left };
	}

	it('loads a group, edits it, makes and revokes an invite link in the shared format, changes a role', async () => {
		const group = await createConversation(alice, { kind: 'group', title: 'Book club', memberIds: [bob.id] });
		const { state, remembered } = stateFor(alice, group.id);
		expect(state.status).toBe('loading');
		await state.load();
		expect(state.status).toBe('ready');
		expect(state.conversation).toMatchObject({ id: group.id, kind: 'group', title: 'Book club', role: 'owner' });
		expect(state.members.map((m) => [m.user.id, m.role]).sort()).toEqual(
			[
				[alice.id, 'owner'],
				[bob.id, 'member']
			].sort()
		);
		expect(remembered.map((p) => p.id).sort()).toEqual([alice.id, bob.id].sort());
		expect(state.invites).toEqual([]);

		await state.edit({ title: 'Reading club', description: 'Monthly' });
		expect(state.conversation).toMatchObject({ title: 'Reading club', description: 'Monthly' });

		const link = await state.createInvite();
		expect(state.newLink).toEqual(link);
		expect(new URL(link.url!).pathname.startsWith(INVITE_PATH_PREFIX)).toBe(true);
		const token = inviteToken(link.url!);
		expect(token).not.toBeNull();
		expect(INVITE_TOKEN_PATTERN.test(token!)).toBe(true);
		expect(state.invites.map((i) => i.id)).toEqual([link.id]);
		await state.revokeInvite(link.id);
		expect(state.invites).toEqual([]);
		expect(state.newLink).toBeNull();

		await state.setRole(bob.id, 'admin');
		expect(state.members.find((m) => m.user.id === bob.id)?.role).toBe('admin');
		await state.settings({ muted: true });
		expect(state.conversation?.muted).toBe(true);
	});

	it('a member leaves: status "left" and the hub is told; afterwards the conversation is "gone" for them', async () => {
		const group = await createConversation(alice, { kind: 'group', title: 'Short stay', memberIds: [bob.id] });
		const { state, left } = stateFor(bob, group.id);
		await state.load();
		expect(state.conversation?.role).toBe('member');
		expect(state.invites).toEqual([]); // a member does not manage links
		await state.leave();
		expect(state.status).toBe('left');
		expect(left).toEqual([group.id]);
		const again = stateFor(bob, group.id).state;
		await again.load();
		expect(again.status).toBe('gone');
	});

	it('not a member: "gone"; the server unreachable: "offline"', async () => {
		const carol = await signUp(bed.server.url, 'carol');
		const group = await createConversation(alice, { kind: 'group', title: 'Private', memberIds: [bob.id] });
		const outsider = stateFor(carol, group.id).state;
		await outsider.load();
		expect(outsider.status).toBe('gone');
		// a port nothing listens on: the fetch fails as it does offline
		const unreachable = stateFor(alice, group.id, 'http://127.0.0.1:9').state;
		await unreachable.load();
		expect(unreachable.status).toBe('offline');
	});
});
