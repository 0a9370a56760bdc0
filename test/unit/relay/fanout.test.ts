// Fan-out messages between instances and the event bridge, without Redis (docs/operations.md
// "Several instances"; the Redis path itself: test/integration/relay/scale-out.test.ts).
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { ParleyEvents } from '$lib/server/events';
import { FanoutMessageType, NoFanout, decodeDocMessage, encodeDocMessage, type Fanout } from '../../../server/relay/fanout.js';
import { bridgeEvents } from '../../../server/event-bridge.js';

const log = pino({ level: 'silent' });

/** A fan-out that records what is published and lets a test deliver events "from another instance". */
function recordingFanout() {
	const published: unknown[] = [];
	const handlers = new Set<(event: unknown) => void>();
	const none = new NoFanout();
	const fanout: Fanout = {
		kind: 'redis',
		publish: () => none.publish(),
		subscribe: () => none.subscribe(),
		onReconnect: () => none.onReconnect(),
		publishEvent: (event) => void published.push(event),
		onEvent: (handler) => {
			handlers.add(handler);
			return () => handlers.delete(handler);
		},
		close: async () => {}
	};
	return { fanout, published, deliver: (event: unknown) => handlers.forEach((h) => h(event)), handlers };
}

describe('fan-out messages', () => {
	it('round-trips an update with its client-id bindings, and awareness', () => {
		const update = {
			type: FanoutMessageType.Update,
			update: new Uint8Array([1, 2, 3]),
			bindings: [
				[42, 'alice'],
				[7, '@server']
			]
		} as const;
		expect(decodeDocMessage(encodeDocMessage('instance-a', update))).toEqual({ from: 'instance-a', message: update });
		const awareness = { type: FanoutMessageType.Awareness, update: new Uint8Array([9]) } as const;
		expect(decodeDocMessage(encodeDocMessage('b', awareness))).toEqual({ from: 'b', message: awareness });
	});

	it('rejects unknown types and trailing bytes', () => {
		const bytes = encodeDocMessage('a', { type: FanoutMessageType.Awareness, update: new Uint8Array([1]) });
		expect(() => decodeDocMessage(new Uint8Array([...bytes, 0]))).toThrow(/trailing/);
		const unknown = bytes.slice();
		unknown[2] = 9; // the type byte after the one-byte length and one-byte id
		expect(() => decodeDocMessage(unknown)).toThrow(/unknown/);
	});
});

describe('event bridge', () => {
	it('publishes local events and re-emits remote ones without publishing them back', () => {
		const events = new ParleyEvents();
		const { fanout, published, deliver, handlers } = recordingFanout();
		const stop = bridgeEvents(events, fanout, log);
		events.emit('sessionsEnded', { sessionIds: ['s1'] });
		expect(published).toEqual([{ name: 'sessionsEnded', payload: { sessionIds: ['s1'] } }]);
		const heard: unknown[] = [];
		events.on('accessRevoked', (payload) => heard.push(payload));
		deliver({ name: 'accessRevoked', payload: { userId: 'u', docName: 'conv.x' } });
		deliver({ name: 'notAnEvent', payload: {} });
		expect(heard).toEqual([{ userId: 'u', docName: 'conv.x' }]);
		expect(published).toHaveLength(1);
		stop();
		expect(handlers.size).toBe(0);
		events.emit('sessionsEnded', { sessionIds: ['s2'] });
		expect(published).toHaveLength(1);
	});

	it('does nothing without a fan-out', () => {
		const events = new ParleyEvents();
		bridgeEvents(events, new NoFanout(), log);
		expect(events.listenerCount('sessionsEnded')).toBe(0);
	});
});
