// The relay's seams (relay-events.ts): load and close steps run in order (`last` ones after all
// others) and each can be removed; `listen` subscribes typed listeners and takes them all back.
import { describe, expect, it } from 'vitest';
import { RelayEvents, Steps, listen } from '../../../server/relay/relay-events.js';

describe('relay events and steps', () => {
	it('runs steps by order, then as added; a removed step no longer runs; a failure stops the run', async () => {
		const steps = new Steps<[string]>();
		const ran: string[] = [];
		const step = (name: string) => async (arg: string) => void ran.push(`${name}:${arg}`);
		steps.add(step('presence'), 1);
		steps.add(step('sets'));
		const removeInbox = steps.add(step('inbox'));
		steps.add(step('late'), 1);
		await steps.run('x');
		expect(ran).toEqual(['sets:x', 'inbox:x', 'presence:x', 'late:x']);
		removeInbox();
		ran.length = 0;
		await steps.run('y');
		expect(ran).toEqual(['sets:y', 'presence:y', 'late:y']);
		steps.add(async () => {
			throw new Error('load failed');
		}, 0);
		ran.length = 0;
		await expect(steps.run('z')).rejects.toThrow('load failed');
		expect(ran).toEqual(['sets:z']);
	});

	it('listen subscribes typed listeners and its return takes every one of them back', () => {
		const events = new RelayEvents();
		const heard: string[] = [];
		const stop = listen(events, {
			userOnline: ({ userId }) => heard.push(`on:${userId}`),
			committed: ({ docName, changes }) => heard.push(`committed:${docName}:${changes === null}`)
		});
		events.emit('userOnline', { userId: 'u1' });
		events.emit('committed', { docName: 'conv.a', changes: null });
		expect(heard).toEqual(['on:u1', 'committed:conv.a:true']);
		stop();
		events.emit('userOnline', { userId: 'u2' });
		expect(heard).toHaveLength(2);
		expect(events.listenerCount('userOnline') + events.listenerCount('committed')).toBe(0);
	});
});
