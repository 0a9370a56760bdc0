// No password, hash, token, recovery code or TOTP secret ever appears in an answer (beyond the
// two documented one-time answers) or in a log line, even at debug level.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { TestClient } from '../../helpers/http.js';
import { testDatabaseKind } from '../../helpers/database.js';
import { GOOD_PASSWORD, TestClock, totpAt, waitFor } from './helpers.js';
import { startSmtpServer, resetLinkIn } from './smtp.js';

describe(`no secrets in answers or logs (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
	const logLines: string[] = [];
	const answers: { path: string; text: string; headers: string }[] = [];
	const clock = new TestClock();
	beforeAll(async () => {
		smtp = await startSmtpServer();
		const sink = new Writable({
			write(chunk, _encoding, done) {
				logLines.push(String(chunk));
				done();
			}
		});
		server = await startTestServer({ env: { LOG_LEVEL: 'debug', SMTP_URL: smtp.url }, logDestination: sink, now: clock.now });
	});
	afterAll(async () => {
		await server?.close();
		await smtp?.close();
	});

	/** A client that records every answer it gets. */
	function recordingClient() {
		const client = new TestClient(server.url, { 'user-agent': 'secret-test' });
		const request = client.request.bind(client);
		client.request = async (method, path, init) => {
			const res = await request(method, path, init);
			answers.push({ path, text: res.text, headers: JSON.stringify([...res.headers].filter(([name]) => name !== 'set-cookie')) });
			return res;
		};
		return client;
	}

	it('runs every account flow, then finds none of its secrets outside the allowed answers', async () => {
		const newPassword = 'the second long passphrase';
		const alice = recordingClient();
		await alice.post('/api/auth/register', { username: 'alice', password: GOOD_PASSWORD, email: 'alice@example.org' });
		await alice.post('/api/auth/login', { username: 'alice', password: 'a wrong password attempt' });
		const setup = await alice.post('/api/auth/2fa/setup');
		const secret: string = setup.data.secret;
		const firstCode = totpAt(secret, clock.now());
		const enable = await alice.post('/api/auth/2fa/enable', { code: firstCode });
		const recoveryCodes: string[] = enable.data.recoveryCodes;
		clock.advance(30_000);
		const second = recordingClient();
		await second.post('/api/auth/login', { username: 'alice', password: GOOD_PASSWORD });
		const pendingToken = second.cookies.get('session')!;
		await second.post('/api/auth/2fa/verify', { code: recoveryCodes[0] });
		await alice.get('/api/me');
		await alice.get('/api/sessions');
		await alice.post('/api/auth/password', { currentPassword: GOOD_PASSWORD, newPassword });
		const invite = await alice.post('/api/admin/invites');
		await recordingClient().post('/api/auth/reset/request', { login: 'alice' });
		const mail = await waitFor(() => smtp.mails[0]);
		const resetToken = new URL(resetLinkIn(mail.raw)).searchParams.get('token')!;
		await recordingClient().get(`/reset-password?token=${resetToken}`);
		await recordingClient().post('/api/auth/reset/confirm', { token: resetToken, password: 'third long passphrase here' });

		const [stored] = await server.db.query<{ password_hash: string; totp_secret: string }>(
			`select password_hash, totp_secret from users where username = 'alice'`
		);
		const sessionTokens = [alice.cookies.get('session'), second.cookies.get('session'), pendingToken].filter(Boolean) as string[];
		const secrets: Record<string, string[]> = {
			password: [GOOD_PASSWORD, newPassword, 'a wrong password attempt', 'third long passphrase here'],
			hash: [stored!.password_hash, stored!.password_hash.split('$').pop()!],
			sessionToken: sessionTokens,
			resetToken: [resetToken],
			totpSecret: [secret],
			recoveryCode: recoveryCodes.flatMap((code) => [code, code.replace('-', '')])
		};
		expect(stored!.totp_secret).toBe(secret); // the same secret we are looking for
		expect(logLines.length).toBeGreaterThan(10);
		expect(logLines.join('')).toContain('two-factor enabled'); // debug capture really works

		for (const [kind, values] of Object.entries(secrets)) {
			for (const value of values) {
				for (const line of logLines) expect(line.includes(value), `${kind} in log: ${line}`).toBe(false);
				for (const answer of answers) {
					const allowed =
						(kind === 'totpSecret' && answer === answers.find((a) => a.path === '/api/auth/2fa/setup')) ||
						(kind === 'recoveryCode' && answer.path === '/api/auth/2fa/enable');
					if (allowed) continue;
					expect(answer.text.includes(value), `${kind} in answer to ${answer.path}`).toBe(false);
					expect(answer.headers.includes(value), `${kind} in headers of ${answer.path}`).toBe(false);
				}
			}
		}
		expect(invite.status).toBe(201);
	});
});
