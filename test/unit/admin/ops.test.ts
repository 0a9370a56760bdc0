// Pure parts of operations: the commit meter's window and p99, backup ids, archive paths.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommitMeter } from '../../../server/relay/meter.js';
import { BackupStore, backupIdAt } from '$lib/server/admin/backup/store';
import { safeRelativePath } from '$lib/server/admin/backup/read';

describe('commit meter', () => {
	it('reports updates per second, p99 and count over the last minute only', () => {
		let now = 1_000_000;
		const meter = new CommitMeter(() => now);
		expect(meter.snapshot()).toEqual({ updatesPerSecond: 0, commitP99Ms: null, commitsLastMinute: 0 });
		for (let i = 1; i <= 100; i++) meter.record(i, 6);
		expect(meter.snapshot()).toEqual({ updatesPerSecond: 10, commitP99Ms: 99, commitsLastMinute: 100 });
		now += 61_000;
		meter.record(5, 60);
		expect(meter.snapshot()).toEqual({ updatesPerSecond: 1, commitP99Ms: 5, commitsLastMinute: 1 });
	});
});

describe('backup store', () => {
	it('names backups by time, refuses ids that are not its own, lists newest first and prunes', async () => {
		const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-store-'));
		try {
			const store = new BackupStore(dir);
			expect(backupIdAt(Date.UTC(2026, 10, 27, 3, 15, 0, 42))).toBe('parley-20261127-031500-042Z');
			expect(store.pathOf('../../etc/passwd')).toBeNull();
			expect(store.pathOf('parley-20261127-031500-042Z/../x')).toBeNull();
			const ids = [1, 2, 3].map((d) => backupIdAt(Date.UTC(2026, 0, d)));
			for (const id of ids) await fs.writeFile(store.pathOf(id)!, 'x');
			await fs.writeFile(path.join(dir, 'other.txt'), 'not a backup');
			const listed = await store.list();
			expect(listed.map((b) => b.id)).toEqual([...ids].reverse());
			expect(listed[0]!.createdAt).toBe('2026-01-03T00:00:00.000Z');
			expect(await store.prune(2)).toEqual([ids[0]]);
			expect((await store.list()).map((b) => b.id)).toEqual([ids[2], ids[1]]);
		} finally {
			await fs.rm(dir, { recursive: true, force: true });
		}
	});

	it('accepts only relative paths inside uploads', () => {
		expect(safeRelativePath('ab/cd/file')).toBe(true);
		for (const bad of ['', '/etc/passwd', '../x', 'a/../../x', 'a//b', 'a\\b', './a', 'a\0b'])
			expect(safeRelativePath(bad), bad).toBe(false);
	});
});
