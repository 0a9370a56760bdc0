// ConversationState, the thin runes class over the conversation view model (issue 17, finding 2):
// its getters follow the view model's snapshot reactively, and a send made offline, before the
// document has loaded, is shown at once as pending (finding 3). An offline Session on the memory
// device storage: no server is needed (the API's origin answers nothing, as offline).
import { describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { createApi, createHttp } from '$lib/client/api';
import { MemoryDeviceStorage } from '$lib/client/storage/memory';
import { Session } from '$lib/client/sync/session';
import { ConversationState } from '$lib/client/state/conversation.svelte';

const ME = { id: 'me-user', username: 'me', displayName: 'Me' };

async function offlineSession(storage = new MemoryDeviceStorage()) {
	return Session.open({
		me: ME,
		origin: 'http://127.0.0.1:9',
		api: createApi(createHttp({ origin: 'http://127.0.0.1:9' })),
		storage,
		online: false,
		poolRecent: 0,
		// offline, no socket is ever made; Node before 22 has no global WebSocket for the provider's default
		WebSocketPolyfill: class {}
	});
}

describe('ConversationState', () => {
	it('follows the snapshot: a send before the document loaded is pending at once, and survives a new session', async () => {
		const storage = new MemoryDeviceStorage();
		const session = await offlineSession(storage);
		let released = 0;
		const state = new ConversationState('conv-1', {
			session,
			name: (id) => (id === ME.id ? 'Me' : id),
			entry: () => undefined,
			presence: () => undefined,
			release: () => released++
		});
		const seen: string[][] = [];
		const stop = $effect.root(() => {
			$effect(() => void seen.push(state.messages.map((m) => `${m.text}:${m.state}`)));
		});
		flushSync();
		expect(state.status).toBe('offline');
		expect(state.send('typed at once', 'some-message')).toBe(true);
		await Promise.resolve();
		flushSync();
		expect(seen.at(-1)).toEqual(['typed at once:pending']);
		expect(state.pendingCount).toBe(1);
		await session.flush();
		state.release();
		expect(released).toBe(1);
		state.dispose();
		stop();
		session.destroy();

		// the next "page load": the write is restored from the device, still pending, its reply target kept
		const again = await offlineSession(storage);
		const handle = await again.acquire('conv-1');
		expect(handle.sync.pending).toEqual([
			{ kind: 'send', envelope: expect.objectContaining({ text: 'typed at once', replyTo: 'some-message', author: ME.id }) }
		]);
		handle.release();
		again.destroy();
	});
});
