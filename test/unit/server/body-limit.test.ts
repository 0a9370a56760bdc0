// Which requests count as uploads (and so may carry UPLOAD_MAX_BYTES): exactly the upload routes.
import { describe, expect, it } from 'vitest';
import { isUploadRequest } from '../../../server/body-limit.js';

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
