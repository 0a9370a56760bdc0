// Attachments: the fields an upload adds to them (R10) and whose uploads they may name (R27).
import { describe, expect, it } from 'vitest';
import { SYNC_LIMITS } from '$lib/sync/schema';
import { parseUploadUrl, uploadThumbUrl, uploadUrl } from '$lib/sync/uploads';
import { both, env, expectAccepted, expectRefused, seededGroup } from './support.js';

const attachment = (id: string, extra: Record<string, unknown> = {}) => ({
	id,
	url: uploadUrl(id),
	mime: 'image/webp',
	size: 10,
	width: 4,
	height: 3,
	...extra
});

describe('checkUpdate: media envelopes', () => {
	it('[R10] accepts thumbUrl, a raster placeholder and a duration; refuses bad ones', () => {
		const { relay } = seededGroup();
		const good = env('c2', 'carol', {
			kind: 'media',
			attachments: [attachment('u1', { thumbUrl: uploadThumbUrl('u1'), placeholder: 'data:image/webp;base64,UklGRg==', duration: 3.5 })]
		});
		const c = relay.client('carol');
		c.t.messages.push([good]);
		expectAccepted(relay, 'carol', both(c));
		for (const extra of [
			{ thumbUrl: 'https://evil.example/t.webp' },
			{ placeholder: 'data:image/svg+xml;base64,PHN2Zz4=' },
			{ placeholder: `data:image/webp;base64,${'A'.repeat(SYNC_LIMITS.maxPlaceholderLength)}` },
			{ duration: -1 },
			{ duration: Number.POSITIVE_INFINITY }
		]) {
			const bad = relay.client('carol');
			bad.t.messages.push([env('c3', 'carol', { kind: 'media', attachments: [attachment('u1', extra) as never] })]);
			expectRefused(relay, 'carol', both(bad), 'R10');
		}
	});

	it("[R27] with the conversation's upload ids: only those, at their own URLs, thumbnails included", () => {
		const { relay } = seededGroup();
		relay.uploads = new Set(['u1', 'poster']);
		const ok = relay.client('carol');
		ok.t.messages.push([env('c2', 'carol', { kind: 'media', attachments: [attachment('u1', { thumbUrl: uploadThumbUrl('poster') })] })]);
		expectAccepted(relay, 'carol', both(ok));
		for (const a of [
			attachment('elsewhere'),
			{ ...attachment('u1'), url: uploadUrl('elsewhere') },
			{ ...attachment('u1'), url: '/api/avatars/u1' },
			attachment('u1', { thumbUrl: uploadThumbUrl('elsewhere') }),
			attachment('u1', { thumbUrl: '/api/avatars/x' })
		]) {
			const bad = relay.client('carol');
			bad.t.messages.push([env('c3', 'carol', { kind: 'media', attachments: [a as never] })]);
			expectRefused(relay, 'carol', both(bad), 'R27');
		}
		// a text message has no attachments to check
		const text = relay.client('carol');
		text.t.messages.push([env('c4', 'carol')]);
		expectAccepted(relay, 'carol', both(text));
	});

	it('upload URLs parse back to their id and variant only', () => {
		expect(parseUploadUrl(uploadUrl('abc'))).toEqual({ id: 'abc', variant: 'file' });
		expect(parseUploadUrl(uploadThumbUrl('abc'))).toEqual({ id: 'abc', variant: 'thumb' });
		for (const url of ['/api/uploads/', '/api/uploads/a/b/c', '/api/uploads/a/other', '/api/uploads/../x', '/elsewhere/abc'])
			expect(parseUploadUrl(url)).toBeNull();
	});
});
