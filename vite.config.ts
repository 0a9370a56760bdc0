import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { parleyDevServer } from './server/vite-plugin.js';
import { parleyI18n } from './src/lib/i18n/vite-plugin.js';
import { markdownEntities } from './src/lib/markdown-entities/vite-plugin.js';

export default defineConfig({
	plugins: [markdownEntities(), parleyI18n(), sveltekit(), parleyDevServer()],
	server: { port: 3000, strictPort: false }
});
