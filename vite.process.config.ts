// Builds the process entry (server/main.ts) for Node; SvelteKit's own build makes build/handler.js.
// Dependencies stay external, so the process and the Kit bundle share one copy of Yjs.
import { defineConfig } from 'vite';
import path from 'node:path';

export default defineConfig({
	resolve: { alias: { $lib: path.resolve('src/lib') } },
	build: {
		ssr: 'server/main.ts',
		outDir: 'build/process',
		emptyOutDir: true,
		target: 'node20',
		sourcemap: true,
		rollupOptions: { output: { format: 'es', entryFileNames: 'main.js' } }
	},
	logLevel: 'warn'
});
