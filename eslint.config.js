// ESLint: JavaScript, TypeScript and Svelte recommended rules; formatting is Prettier's job.
import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

export default ts.config(
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: { parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig } }
	},
	{
		rules: {
			// `_`-prefixed names are deliberately unused (callbacks with a fixed signature).
			// Parley is served from the origin root (no kit.paths.base), so plain hrefs are already resolved.
			'svelte/no-navigation-without-resolve': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
			// Plain Maps and Sets in state classes and components are caches and bookkeeping that must
			// not re-render anything; what the screen shows is in $state (a version counter where needed).
			'svelte/prefer-svelte-reactivity': 'off'
		}
	},
	{
		// The process wiring declares a service before the closures that reach it, then assigns it once.
		files: ['server/**/*.ts'],
		rules: { 'prefer-const': ['error', { ignoreReadBeforeAssign: true }] }
	},
	{
		// Tests reach into browser globals and raw protocol objects that have no types worth writing.
		files: ['test/**'],
		rules: { '@typescript-eslint/no-explicit-any': 'off' }
	},
	{ ignores: ['build/', '.svelte-kit/', 'node_modules/', 'data/', 'src/lib/i18n/paraglide/', 'bench/results/'] }
);
