// Builds the process entry (server/main.ts) and the operator commands (server/ops.ts) for Node; SvelteKit's own build makes build/handler.js.
// Dependencies stay external, so the process and the Kit bundle share one copy of Yjs.
import { defineConfig } from 'vite';
import path from 'node:path';

export default defineConfig({
	resolve: { alias: { $lib: path.resolve('src/lib') } },
	build: {
		// main: the server; ops: the operator commands (backup, restore, demo).
		ssr: true,
		outDir: 'build/process',
		emptyOutDir: true,
		target: 'node20',
		sourcemap: true,
		rollupOptions: { input: { main: 'server/main.ts', ops: 'server/ops.ts' }, output: { format: 'es', entryFileNames: '[name].js' } }
	},
	logLevel: 'warn'
});
