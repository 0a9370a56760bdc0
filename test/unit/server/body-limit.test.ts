// Which requests count as uploads (and so may carry UPLOAD_MAX_BYTES): exactly the upload routes.
import { describe, expect, it } from 'vitest';
import { bodyLimits, isUploadRequest, uploadRouteOf } from '../../../server/body-limit.js';
import { loadConfig } from '$lib/server/config';

describe('isUploadRequest', () => {
	it('knows the upload routes', () => {
		expect(isUploadRequest('PUT', '/api/me/avatar')).toBe(true);
		expect(isUploadRequest('PUT', '/api/conversations/abcdefghijklmnopqrstuvwx/avatar')).toBe(true);
		expect(isUploadRequest('POST', '/api/uploads')).toBe(true);
		expect(isUploadRequest('POST', '/settings/profile?/avatar')).toBe(true);
	});
	it('holds everything else to the small limit', () => {
		expect(isUploadRequest('POST', '/api/me/avatar')).toBe(false);
		expect(isUploadRequest('POST', '/settings/profile?/profile')).toBe(false);
		expect(isUploadRequest('POST', '/settings/profile')).toBe(false);
		expect(isUploadRequest('POST', '/login')).toBe(false);
		expect(isUploadRequest('PUT', '/api/me/avatar/../privacy')).toBe(false);
		expect(isUploadRequest('POST', '/api/conversations')).toBe(false);
		expect(isUploadRequest(undefined, undefined)).toBe(false);
	});
});

describe('uploadRouteOf and bodyLimits', () => {
	it('gives avatars their own limit; only POST /api/uploads gets UPLOAD_MAX_BYTES', () => {
		expect(uploadRouteOf('PUT', '/api/me/avatar')).toBe('avatar');
		expect(uploadRouteOf('PUT', '/api/conversations/abcdefghijklmnopqrstuvwx/avatar')).toBe('avatar');
		expect(uploadRouteOf('POST', '/settings/profile?/avatar')).toBe('avatar');
		expect(uploadRouteOf('POST', '/api/uploads')).toBe('upload');
		expect(uploadRouteOf('POST', '/login')).toBeNull();
		const config = loadConfig({});
		const limits = bodyLimits(config);
		expect(limits.avatar).toBeLessThan(limits.upload);
		expect(limits.avatar).toBeGreaterThanOrEqual(config.limits.avatarMaxBytes);
		expect(limits.upload).toBeGreaterThanOrEqual(config.uploadMaxBytes);
	});
});
