// The service worker's navigation plan and the quota-error test, as pure functions.
import { describe, expect, it } from 'vitest';
import { navigationPlan } from '$lib/client/pwa/navigation';
import { isUserNeutralCache } from '$lib/client/pwa/cache-names';
import { isQuotaExceeded } from '$lib/client/pwa/storage';

describe('navigationPlan', () => {
	it('answers app pages and deep links with the shell', () => {
		for (const path of ['/', '/c/abc123', '/c/abc123/info', '/shell', '/new']) expect(navigationPlan(path), path).toBe('shell');
	});
	it('tries the network first for server-rendered pages', () => {
		for (const path of ['/login', '/login/2fa', '/register', '/forgot-password', '/reset-password', '/settings', '/settings/security'])
			expect(navigationPlan(path), path).toBe('network-then-shell');
	});
	it('never answers the API, the relay, health checks or sign-out', () => {
		for (const path of ['/api', '/api/me', '/api/avatars/x', '/sync/inbox.x', '/healthz', '/readyz', '/logout'])
			expect(navigationPlan(path), path).toBe('network');
	});
	it('matches whole path segments only', () => {
		expect(navigationPlan('/apiary')).toBe('shell');
		expect(navigationPlan('/settingsx')).toBe('shell');
		expect(navigationPlan('/synchronise')).toBe('shell');
	});
});

describe('cache names and quota errors', () => {
	it('keeps only Workbox’s precache at sign-out', () => {
		expect(isUserNeutralCache('workbox-precache-v2-http://localhost:3000/')).toBe(true);
		expect(isUserNeutralCache('avatars')).toBe(false);
		expect(isUserNeutralCache('workbox-runtime-http://localhost:3000/')).toBe(false);
	});
	it('recognises quota errors by name or legacy code, nothing else', () => {
		expect(isQuotaExceeded(new DOMException('full', 'QuotaExceededError'))).toBe(true);
		expect(isQuotaExceeded({ name: 'NS_ERROR_DOM_QUOTA_REACHED' })).toBe(true);
		expect(isQuotaExceeded({ name: 'Error', code: 22 })).toBe(true);
		expect(isQuotaExceeded(new DOMException('x', 'AbortError'))).toBe(false);
		expect(isQuotaExceeded(new Error('QuotaExceededError'))).toBe(false);
		expect(isQuotaExceeded(null)).toBe(false);
	});
});
