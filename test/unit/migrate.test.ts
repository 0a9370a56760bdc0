import { describe, expect, it } from 'vitest';
import { bundledMigrations, splitStatements } from '$lib/server/db/migrate';

describe('migrations', () => {
	it('are numbered, unique and in order', () => {
		const names = bundledMigrations().map((m) => m.name);
		expect(names.length).toBeGreaterThan(0);
		for (const name of names) expect(name).toMatch(/^\d{4}_[a-z0-9_]+$/);
		expect(new Set(names.map((n) => n.slice(0, 4))).size).toBe(names.length);
		expect([...names].sort()).toEqual(names);
	});

	it('splits a file on statement markers and drops comment-only parts', () => {
		expect(splitStatements('-- c\ncreate table a (x int);\n--> statement\n-- only a comment\n--> statement\nselect 1;')).toEqual([
			'-- c\ncreate table a (x int);',
			'select 1;'
		]);
	});
});
