// `npm run dev`: starts Parley's services inside Vite's dev server and hands it the WebSocket
// upgrades under /sync/ (Vite's own HMR socket passes by). Plain JS: vite.config.ts loads it.

/** @returns {import('vite').Plugin} */
export function parleyDevServer() {
	return {
		name: 'parley-dev-server',
		apply: 'serve',
		async configureServer(server) {
			/** @type {{ startDev: (server: import('vite').ViteDevServer) => Promise<{ close(): Promise<void> }> }} */
			const dev = /** @type {any} */ (await server.ssrLoadModule('/server/dev.ts'));
			const running = await dev.startDev(server);
			server.httpServer?.on('close', () => void running.close());
		}
	};
}
