/**
 * Carries app-wide events between instances (REDIS_URL): what is emitted here is published to the
 * others, and what they publish is emitted here, so a session signed out on one instance closes
 * its sockets on all, and an inbox open anywhere hears about a commit anywhere.
 */
import type { Logger } from 'pino';
import type { ParleyEventMap, ParleyEvents } from '$lib/server/events';
import type { Fanout } from './relay/fanout.js';

/** The events every instance must hear (all of ParleyEventMap). */
export const BRIDGED_EVENTS = [
	'sessionsEnded',
	'accessRevoked',
	'membershipChanged',
	'conversationEdited',
	'conversationDeleted',
	'updateCommitted',
	'privacyChanged',
	'blocksChanged',
	'contactsChanged',
	'uploadCreated',
	'uploadsRemoved'
] as const satisfies ReadonlyArray<keyof ParleyEventMap>;

type BridgedEvent = (typeof BRIDGED_EVENTS)[number];

/** One event as it travels (JSON). */
interface Envelope {
	name: BridgedEvent;
	payload: ParleyEventMap[BridgedEvent][0];
}

function isEnvelope(value: unknown): value is Envelope {
	if (typeof value !== 'object' || value === null) return false;
	const { name, payload } = value as Record<string, unknown>;
	return (BRIDGED_EVENTS as readonly unknown[]).includes(name) && typeof payload === 'object' && payload !== null;
}

/** Bridges `events` over `fanout`; returns the function that stops it. */
export function bridgeEvents(events: ParleyEvents, fanout: Fanout, log: Logger): () => void {
	if (fanout.kind === 'none') return () => {};
	// True while a remote event is emitted here. `emit` calls listeners synchronously, so our own
	// listener sees it and does not publish the event back (nor what listeners emit in response:
	// every instance derives that by itself).
	let fromRemote = false;
	const listeners = BRIDGED_EVENTS.map((name) => {
		const listener = (payload: Envelope['payload']) => {
			if (!fromRemote) fanout.publishEvent({ name, payload } satisfies Envelope);
		};
		events.on(name, listener as never);
		return [name, listener] as const;
	});
	const stopHearing = fanout.onEvent((event) => {
		if (!isEnvelope(event)) return void log.warn({ event }, 'unknown event from another instance dropped');
		fromRemote = true;
		try {
			(events.emit as (name: string, payload: unknown) => boolean)(event.name, event.payload);
		} catch (error) {
			log.error({ err: error, event: event.name }, 'a listener of a remote event failed');
		} finally {
			fromRemote = false;
		}
	});
	return () => {
		stopHearing();
		for (const [name, listener] of listeners) events.off(name, listener as never);
	};
}
