import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '$lib/server/config';

describe('configuration', () => {
	it('has the defaults of SPEC §2', () => {
		const config = loadConfig({});
		expect(config.port).toBe(3000);
		expect(config.host).toBe('127.0.0.1');
		expect(config.origin).toBe('http://localhost:3000');
		expect(config.databaseUrl).toBeUndefined();
		expect(config.dataDir.endsWith('/data')).toBe(true);
		expect(config.uploadMaxBytes).toBe(52_428_800);
		expect(config.secureCookies).toBe(false);
		expect(config.syncRateLimits).toBe(true);
		expect(config.shutdownTimeoutMs).toBe(10_000);
		// Operations: metrics off, no scheduled backups, seven kept when scheduled.
		expect(config.metricsToken).toBeUndefined();
		expect(config.backupIntervalHours).toBe(0);
		expect(config.backupKeep).toBe(7);
	});

	it('CONNECTIONS_PER_ADDRESS sets the per-address socket cap (0 disables; behind a proxy); the default is DEFAULT_LIMITS', () => {
		expect(loadConfig({}).limits.httpMaxConnectionsPerAddress).toBe(256);
		expect(loadConfig({ CONNECTIONS_PER_ADDRESS: '0' }).limits.httpMaxConnectionsPerAddress).toBe(0);
		expect(loadConfig({ CONNECTIONS_PER_ADDRESS: '5000' }).limits.httpMaxConnectionsPerAddress).toBe(5000);
		expect(() => loadConfig({ CONNECTIONS_PER_ADDRESS: '-1' })).toThrow(/CONNECTIONS_PER_ADDRESS/);
	});

	it('SYNC_RATE_LIMITS=off lifts the relay rate limits; on is the default', () => {
		expect(loadConfig({ SYNC_RATE_LIMITS: 'off' }).syncRateLimits).toBe(false);
		expect(loadConfig({ SYNC_RATE_LIMITS: 'on' }).syncRateLimits).toBe(true);
		expect(loadConfig({ SYNC_RATE_LIMITS: '' }).syncRateLimits).toBe(true);
	});

	it('reads SHUTDOWN_TIMEOUT_MS', () => {
		expect(loadConfig({ SHUTDOWN_TIMEOUT_MS: '2500' }).shutdownTimeoutMs).toBe(2500);
	});

	it('derives the origin from PORT and marks https origins for secure cookies', () => {
		expect(loadConfig({ PORT: '8080' }).origin).toBe('http://localhost:8080');
		const secure = loadConfig({ ORIGIN: 'https://chat.example.org/' });
		expect(secure.origin).toBe('https://chat.example.org');
		expect(secure.secureCookies).toBe(true);
	});

	it.each([
		['PORT', 'eighty', /PORT/],
		['PORT', '70000', /PORT/],
		['ORIGIN', 'localhost:3000', /ORIGIN: must be a URL/],
		['DATABASE_URL', 'mysql://x', /DATABASE_URL: must be a URL starting with postgres:/],
		['REDIS_URL', 'http://x', /REDIS_URL/],
		['SMTP_URL', 'nonsense', /SMTP_URL/],
		['UPLOAD_MAX_BYTES', '-1', /UPLOAD_MAX_BYTES/],
		['REGISTRATION', 'sometimes', /REGISTRATION/],
		['SYNC_RATE_LIMITS', 'false', /SYNC_RATE_LIMITS/],
		['SHUTDOWN_TIMEOUT_MS', 'soon', /SHUTDOWN_TIMEOUT_MS/],
		['SHUTDOWN_TIMEOUT_MS', '10', /SHUTDOWN_TIMEOUT_MS/],
		['METRICS_TOKEN', 'short', /METRICS_TOKEN: must be at least 16 characters/],
		['BACKUP_INTERVAL_HOURS', '-2', /BACKUP_INTERVAL_HOURS/],
		['BACKUP_KEEP', '0', /BACKUP_KEEP/]
	])('a bad %s stops start-up with one line naming it', (name, value, message) => {
		let error: unknown;
		try {
			loadConfig({ [name]: value });
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(ConfigError);
		expect((error as ConfigError).variable).toBe(name);
		expect((error as Error).message).toMatch(message);
		expect((error as Error).message).not.toContain('\n');
	});

	it('treats an empty variable as unset', () => {
		expect(loadConfig({ DATABASE_URL: '', PORT: '' }).port).toBe(3000);
	});
});

describe('ORIGIN', () => {
	it('is normalised as browsers send it', () => {
		expect(loadConfig({ ORIGIN: 'https://Chat.Example.org:443/' }).origin).toBe('https://chat.example.org');
		expect(loadConfig({ ORIGIN: 'http://localhost:8080' }).origin).toBe('http://localhost:8080');
	});

	it('refuses a path', () => {
		expect(() => loadConfig({ ORIGIN: 'https://example.org/app' })).toThrow(/ORIGIN: must be an origin/);
	});

	it('web push: VAPID keys both or neither and one P-256 pair, a mailto:/https: subject, allowed hosts', async () => {
		const webpush = (await import('web-push')).default;
		const keys = webpush.generateVAPIDKeys();
		const other = webpush.generateVAPIDKeys();
		const config = loadConfig({
			VAPID_PUBLIC_KEY: keys.publicKey,
			VAPID_PRIVATE_KEY: keys.privateKey,
			PUSH_ALLOWED_HOSTS: 'Push.LAN, 127.0.0.1:8080,[::1]:9'
		});
		expect(config.vapidKeys).toEqual(keys);
		expect(config.pushAllowedHosts).toEqual(['push.lan', '127.0.0.1:8080', '[::1]:9']);
		expect(config.vapidSubject).toBe('mailto:no-reply@localhost');
		expect(loadConfig({ ORIGIN: 'https://chat.example.org' }).vapidSubject).toBe('https://chat.example.org');
		expect(loadConfig({}).vapidKeys).toBeUndefined();
		expect(() => loadConfig({ VAPID_PUBLIC_KEY: keys.publicKey })).toThrow(/^VAPID_PRIVATE_KEY: set both/);
		expect(() => loadConfig({ VAPID_PUBLIC_KEY: other.publicKey, VAPID_PRIVATE_KEY: keys.privateKey })).toThrow(
			/^VAPID_PUBLIC_KEY: is not the public key/
		);
		expect(() => loadConfig({ VAPID_PUBLIC_KEY: 'abc', VAPID_PRIVATE_KEY: keys.privateKey })).toThrow(ConfigError);
		expect(() => loadConfig({ VAPID_SUBJECT: 'http://example.org' })).toThrow(/^VAPID_SUBJECT:/);
		expect(() => loadConfig({ PUSH_ALLOWED_HOSTS: 'http://push.lan' })).toThrow(/^PUSH_ALLOWED_HOSTS:/);
		expect(() => loadConfig({ PUSH_ALLOWED_HOSTS: 'push.lan:99999' })).toThrow(/^PUSH_ALLOWED_HOSTS:/);
	});
});
