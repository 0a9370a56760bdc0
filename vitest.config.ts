// Test projects: unit (pure), integration on the embedded PostgreSQL (and on a real PostgreSQL
// server when TEST_DATABASE_URL is set), and browser end-to-end in Debian's Chromium.
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import path from 'node:path';

const alias = { $lib: path.resolve('src/lib') };
/** The production build (build/, .svelte-kit/output): served by the integration tests, never compiled by them. */
const BUILD_OUTPUT = /[\\/](build|\.svelte-kit[\\/]output)[\\/]/;
const integration = (database: 'embedded' | 'postgres') => ({
	// runes classes (`*.svelte.ts`) compiled as on the server (plain fields): their logic against a real server.
	// Never the production build the tests serve: its chunks are named like `_layout.svelte.js-<hash>.js`,
	// which the module filter takes for source, and compiled output does not compile again (`$$index`).
	plugins: [
		svelte({
			compilerOptions: { runes: true },
			exclude: [BUILD_OUTPUT],
			experimental: { compileModule: { exclude: [BUILD_OUTPUT] } }
		})
	],
	resolve: { alias },
	test: {
		name: `integration-${database}`,
		include: ['test/integration/**/*.test.ts'],
		// test/integration/embedded/ starts Parley without DATABASE_URL (its own server): once is enough.
		exclude: database === 'embedded' ? [] : ['test/integration/embedded/**'],
		env: { PARLEY_TEST_DB: database },
		globalSetup: ['test/helpers/global-setup.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000
	}
});

export default defineConfig({
	test: {
		projects: [
			{
				resolve: { alias },
				test: { name: 'unit', include: ['test/unit/**/*.test.ts'], exclude: ['test/unit/**/*.svelte.test.ts'], testTimeout: 20_000 }
			},
			// runes classes and view models (`*.svelte.test.ts`): compiled by Svelte for the browser, run in Node
			{
				plugins: [svelte({ compilerOptions: { runes: true } })],
				resolve: { alias, conditions: ['browser'] },
				test: {
					name: 'unit-svelte',
					include: ['test/unit/**/*.svelte.test.ts'],
					environment: './test/helpers/svelte-client-environment.ts',
					testTimeout: 20_000
				}
			},
			integration('embedded'),
			...(process.env.TEST_DATABASE_URL ? [integration('postgres')] : []),
			// `npm run fuzz` only: 10^5 updates take minutes, so not part of `npm test`
			...(process.env.PARLEY_FUZZ
				? [
						{
							resolve: { alias },
							test: { name: 'fuzz', include: ['test/fuzz/**/*.fuzz.ts', 'test/fuzz/**/*.bench.ts'], testTimeout: 3_600_000 }
						}
					]
				: []),
			// `npm run bench -- search-local` only: the on-device index at 100 000 messages (a measurement, not a test)
			...(process.env.PARLEY_SEARCH_BENCH
				? [
						{
							resolve: { alias },
							test: {
								name: 'search-local',
								include: ['bench/search-local.measure.ts'],
								testTimeout: 1_800_000,
								// --expose-gc: heap figures after a collection, not whatever garbage was around
								execArgv: ['--expose-gc']
							}
						}
					]
				: []),
			{
				resolve: { alias },
				test: {
					name: 'e2e',
					include: ['test/e2e/**/*.test.ts'],
					env: { PARLEY_TEST_DB: 'embedded' },
					globalSetup: ['test/helpers/global-setup.ts'],
					testTimeout: 60_000,
					hookTimeout: 60_000,
					// One browser at a time: two cores, and Chromium wants both.
					fileParallelism: false
				}
			}
		]
	}
});
