// `node scripts/screenshots.js`: the screenshots of docs/design.md. Starts a built Parley on a fresh
// DATA_DIR (embedded PostgreSQL, or DATABASE_URL when set: use an empty database), adds the demo
// data (scripts/demo.js), and photographs the main screens (sign-in, chat list, chat, info panel,
// settings, admin) on a desktop (1280×800) and a phone (390×844), light and dark, with Debian's
// Chromium (CHROMIUM_PATH) through playwright-core. Writes WebP files (sharp) to docs/screenshots/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { build, buildIsFresh } from '../server/start.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(root, 'docs/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-dev-shm-usage'];
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
/** WebP quality: UI text stays sharp, a screen is ~20–40 KB. */
const QUALITY = 80;
/** The demo chat shown open (scripts/demo.js makes it). */
const CHAT = 'Weekend trip';
const START_TIMEOUT_MS = 120_000;

/** A free port on loopback (the browser's origin must be the server's ORIGIN: no PORT=0 here). */
function freePort() {
	return new Promise((resolve) => {
		const probe = net.createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address();
			probe.close(() => resolve(port));
		});
	});
}

async function startServer(dataDir) {
	if (!buildIsFresh()) build();
	const port = await freePort();
	const origin = `http://localhost:${port}`;
	const child = spawn(process.execPath, [path.join(root, 'server/serve.js')], {
		cwd: root,
		env: { ...process.env, PORT: String(port), ORIGIN: origin, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
		stdio: ['ignore', 'inherit', 'inherit']
	});
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const deadline = Date.now() + START_TIMEOUT_MS;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
		if (Date.now() > deadline) throw new Error('the server did not start in time');
		const ready = await fetch(`${origin}/readyz`).then(
			(res) => res.ok,
			() => false
		);
		if (ready) return { origin, stop: () => (child.kill('SIGTERM'), exited) };
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

function run(script, env) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(root, script)], { cwd: root, env: { ...process.env, ...env }, stdio: 'inherit' });
		child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited with ${code}`))));
	});
}

async function signIn(page, origin, username, password) {
	await page.goto(`${origin}/login`);
	await page.getByRole('textbox', { name: 'Username' }).fill(username);
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Waits for fonts and a quiet frame, then writes `name`.webp. */
async function shoot(page, name) {
	await page.evaluate(() => document.fonts.ready);
	await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
	const png = await page.screenshot({ animations: 'disabled', caret: 'hide' });
	const file = path.join(OUT, `${name}.webp`);
	await sharp(png).webp({ quality: QUALITY }).toFile(file);
	console.log(`  ${path.relative(root, file)} (${(fs.statSync(file).size / 1024).toFixed(0)} KB)`);
}

async function screens(browser, origin, size, theme) {
	const tag = `${size}-${theme}`;
	const context = await browser.newContext({
		viewport: SIZES[size],
		locale: 'en-US',
		colorScheme: theme,
		...(size === 'phone' ? { isMobile: true, hasTouch: true } : {})
	});
	await context.addCookies([{ name: 'parley-theme', value: theme, url: origin }]);
	const page = await context.newPage();
	await page.goto(`${origin}/login`);
	await page.getByRole('button', { name: 'Sign in' }).waitFor();
	await shoot(page, `sign-in-${tag}`);

	await signIn(page, origin, 'user1', '123456');
	const list = page.getByRole('navigation', { name: 'Conversations' });
	await list.getByRole('link', { name: new RegExp(CHAT) }).waitFor();
	await page.getByRole('status', { name: 'Connection' }).first().getByText('Up to date').waitFor();
	await shoot(page, `chat-list-${tag}`);

	await list.getByRole('link', { name: new RegExp(CHAT) }).click();
	await page.locator('[data-message-id]').last().waitFor();
	await page.getByRole('textbox', { name: 'Message' }).waitFor();
	await shoot(page, `chat-${tag}`);

	await page.getByRole('button', { name: 'Conversation info' }).click();
	await page.getByRole('dialog', { name: 'Conversation info' }).getByRole('heading', { name: CHAT }).waitFor();
	await shoot(page, `info-panel-${tag}`);
	await page.keyboard.press('Escape');

	await page.goto(`${origin}/settings/profile`);
	await page.getByRole('heading', { level: 1 }).waitFor();
	await shoot(page, `settings-${tag}`);
	await context.close();

	const admin = await browser.newContext({ viewport: SIZES[size], locale: 'en-US', colorScheme: theme });
	await admin.addCookies([{ name: 'parley-theme', value: theme, url: origin }]);
	const adminPage = await admin.newPage();
	await signIn(adminPage, origin, 'admin', 'admin123');
	await adminPage.goto(`${origin}/admin`);
	await adminPage.getByText('Updating live').waitFor();
	await shoot(adminPage, `admin-${tag}`);
	await admin.close();
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-screenshots-'));
// run as root, the embedded PostgreSQL runs as "postgres", which must be able to enter the folder
fs.chmodSync(dataDir, 0o755);
let server = null;
let browser = null;
let code = 0;
try {
	fs.mkdirSync(OUT, { recursive: true });
	server = await startServer(dataDir);
	await run('scripts/demo.js', { DATA_DIR: dataDir });
	browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
	for (const size of Object.keys(SIZES)) for (const theme of ['light', 'dark']) await screens(browser, server.origin, size, theme);
} catch (error) {
	console.error(`screenshots failed: ${error.stack ?? error}`);
	code = 1;
} finally {
	await browser?.close();
	await server?.stop();
	fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(code);
