// Issue 21 items 9 and 10: the live-stats stream ends for an admin who stops being one (demoted,
// disabled, signed out); reset links, backup downloads and invites are audited; an admin needs
// their password to turn off their own 2FA or mint themselves a reset link; two admins demoting,
// disabling or deleting each other at the same moment leave one admin, never none.
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.js';
import { signUp, type TestUser } from '../../helpers/users.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { enableTwoFactor, TestClock } from '../accounts/helpers.js';
import { startAdminServer } from './helpers.js';

const passwordOf = (u: TestUser) => `correct horse ${u.username} battery`;

/** Opens the stats stream as `user`, waits for the first figures, then reads until the server ends it. */
async function streamEnds(server: TestServer, user: TestUser, afterFirst: () => Promise<void>): Promise<{ ticksAfter: number }> {
	const res = await fetch(`${server.url}/api/admin/stats/stream`, { headers: { cookie: user.cookie } });
	expect(res.status).toBe(200);
	const reader = res.body!.getReader();
	const decoder = new TextDecoder();
	let text = '';
	while (!text.includes('event: stats')) text += decoder.decode((await reader.read()).value);
	await afterFirst();
	// Before the fix the stream went on forever (the test timed out here); now it ends at the next tick.
	let ticksAfter = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		ticksAfter += (decoder.decode(value).match(/event: stats/g) ?? []).length;
	}
	return { ticksAfter };
}

describe(`admin rights re-checked, audited and atomic (${testDatabaseKind()})`, () => {
	let server: TestServer & { dataDir: string };
	let boss: TestUser;

	beforeAll(async () => {
		server = await startAdminServer({ limits: { adminStatsIntervalMs: 100 } });
		boss = await signUp(server.url, 'boss');
	});
	afterAll(async () => {
		await server?.close();
		await fs.rm(server?.dataDir ?? '/nonexistent', { recursive: true, force: true });
	});

	const promote = async (u: TestUser) =>
		expect((await boss.client.patch(`/api/admin/users/${u.id}`, { role: 'admin' })).data.user.role).toBe('admin');
	const actions = async () =>
		(await boss.client.get('/api/admin/audit')).data.entries as { action: string; adminId: string; target: string | null }[];

	it('[item 9] the stats stream ends at the next tick for a demoted, a disabled and a signed-out admin', async () => {
		const demoted = await signUp(server.url, 'demoted');
		await promote(demoted);
		await streamEnds(server, demoted, async () => {
			expect((await boss.client.patch(`/api/admin/users/${demoted.id}`, { role: 'user' })).status).toBe(200);
		});
		const disabled = await signUp(server.url, 'disabled');
		await promote(disabled);
		await streamEnds(server, disabled, async () => {
			expect((await boss.client.patch(`/api/admin/users/${disabled.id}`, { disabled: true })).status).toBe(200);
		});
		const leaving = await signUp(server.url, 'leaving');
		await promote(leaving);
		await streamEnds(server, leaving, async () => {
			expect((await leaving.client.post('/api/auth/logout')).status).toBe(204);
		});
		expect((await boss.client.patch(`/api/admin/users/${leaving.id}`, { role: 'user' })).status).toBe(200);
		// A stream of an admin who stays one keeps ticking.
		const controller = new AbortController();
		const res = await fetch(`${server.url}/api/admin/stats/stream`, { headers: { cookie: boss.cookie }, signal: controller.signal });
		const reader = res.body!.getReader();
		let ticks = 0;
		while (ticks < 3) ticks += (new TextDecoder().decode((await reader.read()).value).match(/event: stats/g) ?? []).length;
		controller.abort();
		expect(ticks).toBeGreaterThanOrEqual(3);
	});

	it('[item 10] reset links, backup downloads and invites are audited', async () => {
		const ann = await signUp(server.url, 'ann');
		const link = await boss.client.post(`/api/admin/users/${ann.id}/reset-link`);
		expect(link.status).toBe(201);
		expect((await actions())[0]).toMatchObject({ action: 'user.reset_link', adminId: boss.id, target: ann.username });
		const invite = await boss.client.post('/api/admin/invites');
		expect(invite.status).toBe(201);
		expect((await actions())[0]).toMatchObject({ action: 'invite.create', target: invite.data.invite.id });
		expect((await boss.client.delete(`/api/admin/invites/${invite.data.invite.id}`)).status).toBe(204);
		expect((await actions())[0]).toMatchObject({ action: 'invite.delete', target: invite.data.invite.id });
		const backup = await boss.client.post('/api/admin/backups');
		expect(backup.status).toBe(201);
		const download = await fetch(`${server.url}/api/admin/backups/${backup.data.backup.id}`, { headers: { cookie: boss.cookie } });
		expect(download.status).toBe(200);
		await download.arrayBuffer();
		const entries = await actions();
		expect(entries[0], JSON.stringify(entries.slice(0, 3))).toMatchObject({ action: 'backup.download', target: backup.data.backup.id });
	});

	it('[item 10] turning off one’s own 2FA or minting oneself a reset link needs one’s password', async () => {
		const self = await signUp(server.url, 'self');
		await promote(self);
		await enableTwoFactor(self.client, new TestClock());
		const path = `/api/admin/users/${self.id}`;
		const bare = await self.client.patch(path, { twoFactorEnabled: false });
		expect(bare.status).toBe(400);
		expect(bare.data.error).toMatchObject({ code: 'password_required', field: 'password' });
		const wrong = await self.client.patch(path, { twoFactorEnabled: false, password: 'not my password' });
		expect(wrong.status).toBe(403);
		expect(wrong.data.error.code).toBe('wrong_password');
		expect((await self.client.get(path)).data.user.twoFactorEnabled).toBe(true);
		const right = await self.client.patch(path, { twoFactorEnabled: false, password: passwordOf(self) });
		expect(right.status).toBe(200);
		expect(right.data.user.twoFactorEnabled).toBe(false);

		const noPassword = await self.client.post(`${path}/reset-link`);
		expect(noPassword.status).toBe(400);
		expect(noPassword.data.error.code).toBe('password_required');
		expect((await self.client.post(`${path}/reset-link`, { password: 'nope nope nope' })).status).toBe(403);
		const mine = await self.client.post(`${path}/reset-link`, { password: passwordOf(self) });
		expect(mine.status).toBe(201);
		expect(mine.data.url).toContain('token=');
		// Someone else's account needs no password (the admin's ordinary work).
		const other = await signUp(server.url, 'other');
		expect((await self.client.post(`/api/admin/users/${other.id}/reset-link`)).status).toBe(201);
		// Leaves boss the only enabled admin again (the tests below count admins).
		expect((await boss.client.patch(path, { role: 'user' })).status).toBe(200);
	});

	/** Two fresh admins besides nobody else: boss steps down for the test (restored after). */
	async function pairOfAdmins(name: string): Promise<[TestUser, TestUser]> {
		const a = await signUp(server.url, `${name}a`);
		const b = await signUp(server.url, `${name}b`);
		await promote(a);
		await promote(b);
		// Only a and b are enabled admins while boss is demoted by a (boss cannot demote themselves).
		expect((await a.client.patch(`/api/admin/users/${boss.id}`, { role: 'user' })).status).toBe(200);
		return [a, b];
	}
	const enabledAdmins = async () =>
		(await server.db.query<{ n: number }>(`select count(*)::int as n from users where role = 'admin' and disabled_at is null`))[0]!.n;
	async function restoreBoss(survivor: TestUser) {
		expect((await survivor.client.patch(`/api/admin/users/${boss.id}`, { role: 'admin' })).status).toBe(200);
		expect((await boss.client.patch(`/api/admin/users/${survivor.id}`, { role: 'user' })).status).toBe(200);
	}

	it('[item 10] two admins demoting each other at the same moment leave exactly one admin (10 rounds)', async () => {
		for (let round = 0; round < 10; round++) {
			const [a, b] = await pairOfAdmins(`dm${round}`);
			const [ab, ba] = await Promise.all([
				a.client.patch(`/api/admin/users/${b.id}`, { role: 'user' }),
				b.client.patch(`/api/admin/users/${a.id}`, { role: 'user' })
			]);
			// Before: both answered 200 when their checks overlapped, and the server had no admin.
			expect([ab.status, ba.status].sort()).toEqual([200, 403]);
			expect(await enabledAdmins()).toBe(1);
			await restoreBoss(ab.status === 200 ? a : b);
		}
	});

	it('[item 10] two admins disabling or deleting each other at once leave exactly one admin', async () => {
		for (let round = 0; round < 5; round++) {
			const [a, b] = await pairOfAdmins(`dd${round}`);
			const [ab, ba] = await Promise.all([
				a.client.patch(`/api/admin/users/${b.id}`, { disabled: true }),
				b.client.delete(`/api/admin/users/${a.id}`)
			]);
			expect([ab.status, ba.status].filter((s) => s < 300)).toHaveLength(1);
			expect(await enabledAdmins()).toBe(1);
			await restoreBoss(ab.status === 200 ? a : b);
		}
		// Two admins deleting their own accounts at once (settings): one goes, the last stays.
		const [a, b] = await pairOfAdmins('selfdel');
		const [da, db] = await Promise.all([
			a.client.request('DELETE', '/api/me', { json: { password: passwordOf(a) } }),
			b.client.request('DELETE', '/api/me', { json: { password: passwordOf(b) } })
		]);
		expect([da.status, db.status].sort()).toEqual([204, 409]);
		expect(await enabledAdmins()).toBe(1);
		await restoreBoss(da.status === 409 ? a : b);
		expect(await enabledAdmins()).toBe(1);
	});
});
