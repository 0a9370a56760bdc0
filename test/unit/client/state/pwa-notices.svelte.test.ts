// PwaNotices (issue 17, finding 6): one per page, made by the root layout and handed on through
// context (no module instance); its notices are runes state the prompt follows.
import { describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import * as notices from '$lib/client/pwa/notices.svelte';

describe('PwaNotices', () => {
	it('is made per page: the module exports the class and the context accessors, no instance', () => {
		expect(Object.values(notices).some((value) => value instanceof notices.PwaNotices)).toBe(false);
		expect(typeof notices.setPwaNotices).toBe('function');
		expect(typeof notices.getPwaNotices).toBe('function');
	});

	it('a full quota and a waiting version show, and the storage notice clears', () => {
		const page = new notices.PwaNotices();
		const seen: string[] = [];
		const stop = $effect.root(() => {
			$effect(() => void seen.push(`${page.updateWaiting}/${page.storageFull?.usage ?? '-'}`));
		});
		flushSync();
		page.reportStorageFull({ usage: 10, quota: 12 });
		flushSync();
		page.updateReady();
		flushSync();
		page.clearStorageFull();
		flushSync();
		stop();
		expect(seen).toEqual(['false/-', 'false/10', 'true/10', 'true/-']);
		// another page's notices are its own
		expect(new notices.PwaNotices().storageFull).toBeNull();
	});
});
