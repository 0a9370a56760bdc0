// Issue 21, item 3: the language hook shows Paraglide a copy of every request without its body, on
// every route, and hands the route the original request. Before, Paraglide's clone teed the body
// of every request but `POST /api/uploads`: whatever the route read away (a refused 5 MiB sticker,
// read to its end) was held whole in the branch nobody read.
import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { i18nHook } from '$lib/i18n/hook';

function eventFor(request: Request): RequestEvent {
	return {
		request,
		url: new URL(request.url),
		locals: {},
		cookies: { get: () => undefined }
	} as unknown as RequestEvent;
}

describe('i18n hook (issue 21, item 3)', () => {
	for (const path of ['/api/stickers/packs/p/stickers', '/api/uploads', '/api/conversations', '/settings/profile?/avatar']) {
		it(`gives the route the original request, its body untouched: POST ${path}`, async () => {
			const body = new Uint8Array(256 * 1024).fill(7);
			const original = new Request(`http://localhost${path}`, {
				method: 'POST',
				body,
				headers: { 'accept-language': 'ru', 'content-type': 'application/octet-stream' }
			});
			let seen: Request | null = null;
			let locale = '';
			const event = eventFor(original);
			await i18nHook({
				event,
				resolve: async (e) => {
					seen = e.request;
					locale = (e.locals as { locale: string }).locale;
					return new Response('ok');
				}
			});
			// The very same request (no tee, so no second copy of what the route reads) ...
			expect(seen).toBe(original);
			expect(original.bodyUsed).toBe(false);
			expect((await original.arrayBuffer()).byteLength).toBe(body.byteLength);
			// ... and the language still picked from its headers.
			expect(locale).toBe('ru');
		});
	}
});
