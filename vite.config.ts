import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { parleyDevServer } from './server/vite-plugin.js';

export default defineConfig({
	plugins: [sveltekit(), parleyDevServer()],
	server: { port: 3000, strictPort: false }
});
