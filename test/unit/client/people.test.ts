/** The pure rules behind the screens around the chats: what a role is offered, contacts, invite links. */
import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { mayDelete, mayManage, memberActions, ordinaryRole, successor } from '../../../src/lib/client/people/roles.js';
import { filterContacts, normalUsername, shownName, sortContacts } from '../../../src/lib/client/people/contacts.js';
import { inviteToken, loginPath, safeNextPath } from '../../../src/lib/shared/links.js';
import { mayRemove, maySetRole } from '../../../src/lib/server/conversations/permissions.js';
import { MemoryDeviceStorage } from '../../../src/lib/client/storage/memory.js';
import { Session } from '../../../src/lib/client/sync/session.js';
import type { Api } from '../../../src/lib/client/api/index.js';
import { debouncedSearch, SEARCH_DEBOUNCE_MS } from '../../../src/lib/components/people/search.js';

const ROLES = ['owner', 'admin', 'member', 'subscriber'] as const;

describe('roles: what the info panel offers', () => {
	it('offers exactly what the server allows (removing, promoting, demoting, handing over)', () => {
		for (const kind of ['group', 'channel'] as const) {
			for (const me of ROLES) {
				for (const target of ROLES) {
					const can = memberActions(kind, me, target, false);
					expect(can.remove, `${me} removes ${target}`).toBe(mayRemove(me, target));
					expect(can.promote, `${me} promotes ${target}`).toBe(target !== 'admin' && maySetRole(me, target, 'admin'));
					expect(can.demote, `${me} demotes ${target}`).toBe(target === 'admin' && maySetRole(me, target, ordinaryRole(kind)));
					expect(can.makeOwner, `${me} hands over to ${target}`).toBe(maySetRole(me, target, 'owner'));
				}
			}
		}
	});

	it('offers nothing on oneself, on the owner, or in a direct chat', () => {
		const none = { remove: false, promote: false, demote: false, makeOwner: false };
		expect(memberActions('group', 'owner', 'owner', true)).toEqual(none);
		expect(memberActions('group', 'admin', 'owner', false)).toEqual(none);
		expect(memberActions('direct', 'owner', 'owner', false)).toEqual(none);
		expect(memberActions('group', 'admin', 'admin', false)).toEqual(none);
		expect(memberActions('group', 'member', 'member', false)).toEqual(none);
		expect(memberActions('channel', 'owner', 'admin', false)).toEqual({ remove: true, promote: false, demote: true, makeOwner: true });
	});

	it('manage and delete follow C1 and C5', () => {
		expect(mayManage('group', 'admin')).toBe(true);
		expect(mayManage('group', 'member')).toBe(false);
		expect(mayManage('channel', 'subscriber')).toBe(false);
		expect(mayManage('direct', 'owner')).toBe(false);
		expect(mayDelete('direct', 'owner')).toBe(true);
		expect(mayDelete('group', 'admin')).toBe(false);
		expect(mayDelete('channel', 'owner')).toBe(true);
	});

	it('names the successor as the server picks it: oldest admin, else oldest other member, else nobody', () => {
		const member = (id: string, role: (typeof ROLES)[number], joinedAt: string) => ({ user: { id }, role, joinedAt });
		const owner = member('me', 'owner', '2026-01-01T00:00:00Z');
		const a = member('a', 'member', '2026-01-02T00:00:00Z');
		const b = member('b', 'admin', '2026-01-04T00:00:00Z');
		const c = member('c', 'admin', '2026-01-03T00:00:00Z');
		expect(successor([owner, b, c, a], 'me')?.user.id).toBe('c');
		expect(successor([owner, a], 'me')?.user.id).toBe('a');
		expect(successor([owner], 'me')).toBeNull();
	});
});

describe('contacts', () => {
	const c = (id: string, displayName: string, alias: string | null = null) => ({ id, username: id, displayName, alias });

	it('shows the alias before the display name, sorts by what is shown and filters on every name', () => {
		const list = [c('zed', 'Zed'), c('bob', 'Bob', 'alpha'), c('ann', 'ann')];
		expect(shownName(list[1]!)).toBe('alpha');
		expect(sortContacts(list).map((x) => x.id)).toEqual(['bob', 'ann', 'zed']);
		expect(filterContacts(list, 'BO').map((x) => x.id)).toEqual(['bob']);
		expect(filterContacts(list, 'alp').map((x) => x.id)).toEqual(['bob']);
		expect(filterContacts(list, '  ').length).toBe(3);
	});

	it('normalises a typed username', () => {
		expect(normalUsername('  @Bob_1 ')).toBe('bob_1');
	});
});

describe('invite links and the way back after signing in', () => {
	const token = 'abcdefghijklmnopqrstuvwxyz234567';

	it('reads the token of a link or a bare token, and refuses anything else', () => {
		expect(inviteToken(`https://chat.example/join/${token}`)).toBe(token);
		expect(inviteToken(`https://chat.example/join/${token}?x=1`)).toBe(token);
		expect(inviteToken(token)).toBe(token);
		expect(inviteToken('https://chat.example/join/short')).toBeNull();
		expect(inviteToken(`${token}1`)).toBeNull();
		expect(inviteToken('../api/me')).toBeNull();
	});

	it('keeps only same-site paths as the place to return to', () => {
		expect(safeNextPath(`/join/${token}`)).toBe(`/join/${token}`);
		for (const bad of [
			'//evil.example/x',
			'/\\evil.example',
			'https://evil.example/',
			'join/x',
			'/a\nb',
			'/€',
			'/a b',
			'',
			null,
			`/${'x'.repeat(600)}`
		])
			expect(safeNextPath(bad), String(bad)).toBeNull();
		expect(loginPath(`/join/${token}`)).toBe(`/login?next=${encodeURIComponent(`/join/${token}`)}`);
		expect(loginPath('/')).toBe('/login');
		expect(loginPath('//evil.example')).toBe('/login');
		// percent-encoded paths (as the browser gives them) are kept: they fit a Location header
		expect(safeNextPath('/c/%E2%82%AC')).toBe('/c/%E2%82%AC');
	});
});

describe('Session.forget', () => {
	it('drops the device copy of a conversation: its stored document and pending writes', async () => {
		const storage = new MemoryDeviceStorage();
		const me = { id: 'u1', username: 'u1', displayName: 'U', inboxDocName: 'inbox.u1' };
		const session = await Session.open({
			me,
			origin: 'http://127.0.0.1:9',
			api: {} as Api,
			storage,
			online: false,
			poolRecent: 0,
			// never used: the session stays offline
			WebSocketPolyfill: WebSocket
		});
		const user = storage.user('u1');
		const handle = await session.acquire('c1');
		handle.sync.doc.getMap('meta').set('title', 'x');
		await user.outbox.put('conv.c1', [{ key: 'k1', op: { kind: 'read', messageId: 'm', at: 1 } }]);
		expect(user.docs.get('conv.c1')?.length).toBeGreaterThan(0);

		await session.forget('c1');
		expect(user.docs.has('conv.c1')).toBe(false);
		await expect(user.outbox.load('conv.c1')).resolves.toEqual([]);
		// nothing more is stored for it, even while a view still holds it
		handle.sync.doc.getMap('meta').set('title', 'y');
		expect(user.docs.has('conv.c1')).toBe(false);
		handle.release();
		session.destroy();
	});
});

describe('debouncedSearch', () => {
	it('asks once per pause and hands on only the newest answer', async () => {
		vi.useFakeTimers();
		try {
			const asked: string[] = [];
			const answers = new Map<string, (v: string[]) => void>();
			const results: string[][] = [];
			const onInput = debouncedSearch(
				(q) => {
					asked.push(q);
					return new Promise<string[]>((resolve) => answers.set(q, resolve));
				},
				(found) => results.push(found),
				() => results.push(['error'])
			);
			onInput('a');
			onInput('an');
			await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
			expect(asked).toEqual(['an']);
			onInput(' ann ');
			await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
			expect(asked).toEqual(['an', 'ann']);
			// the older answer arrives last and is dropped
			answers.get('ann')!(['Ann']);
			answers.get('an')!(['Anna', 'Ann']);
			await vi.advanceTimersByTimeAsync(0);
			expect(results).toEqual([['Ann']]);
			onInput('  ');
			expect(results.at(-1)).toEqual([]);
		} finally {
			vi.useRealTimers();
		}
	});
});
