// Debian's Chromium driven by playwright-core (never a downloaded browser). When no Chromium is
// found the browser tests say so loudly and are skipped, unless E2E_REQUIRED=1 makes that fail.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** The Chromium to drive: CHROMIUM_PATH, else Debian's. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that keep Chromium off the (closed) network and quiet; root needs --no-sandbox. */
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage'
];

/** True when a browser is there to drive; otherwise warns (or throws when E2E_REQUIRED=1). */
export function chromiumAvailable(): boolean {
	if (fs.existsSync(CHROMIUM_PATH)) return true;
	const message = `NO CHROMIUM at ${CHROMIUM_PATH}: browser end-to-end tests are SKIPPED. Install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH.`;
	if (process.env.E2E_REQUIRED === '1') throw new Error(message + ' (E2E_REQUIRED=1)');
	console.warn('\n' + '!'.repeat(100) + '\n' + message + '\n' + '!'.repeat(100) + '\n');
	return false;
}

/** Launches a headless Chromium (`extraArgs` e.g. `FAKE_MEDIA_ARGS`). */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
	return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** A fake microphone and camera (a tone), granted without a prompt: for recording tests. */
export const FAKE_MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] as const;

/** A persistent context in a fresh profile folder (needed for service-worker and install checks). */
export async function launchPersistent(options: { locale?: string } = {}): Promise<{ context: BrowserContext; close(): Promise<void> }> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-chromium-'));
	const context = await chromium.launchPersistentContext(dir, {
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: CHROMIUM_ARGS,
		locale: options.locale ?? 'en-US'
	});
	return {
		context,
		async close() {
			await context.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
}
