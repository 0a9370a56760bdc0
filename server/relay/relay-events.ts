/**
 * What the relay tells the rest of the process, as typed events with one payload each, and the
 * steps it awaits at two moments (a document loaded; the relay closing). Listeners subscribe after
 * the relay is built (no callbacks handed in at construction, so no forward references), and each
 * keeps the function that unsubscribes it.
 */
import { EventEmitter } from 'node:events';
import type * as Y from 'yjs';
import type { ServerWrite } from '$lib/server/docs';
import type { ProjectedChanges } from './projection.js';

/** A document as those outside the relay may touch it: read it, write as the server. */
export interface LoadedDoc {
	docName: string;
	doc: Y.Doc;
	/** Writes as the server: checked by nobody, stored, then passed on (durable before visible). */
	serverWrite: (write: ServerWrite) => Promise<void>;
}

/** Payloads by event name. */
export interface RelayEventMap {
	/**
	 * An update of `docName` is durable and has been passed on. `changes`: what a client's update did
	 * to envelopes, reads and reactions (projection.ts); null for the server's own writes (their
	 * callers announce what they changed).
	 */
	committed: [{ docName: string; changes: ProjectedChanges | null }];
	/** A user's first sync connection on this instance opened. */
	userOnline: [{ userId: string }];
	/** A user's last sync connection on this instance closed. */
	userOffline: [{ userId: string }];
}

/** The relay's typed events. */
export class RelayEvents extends EventEmitter<RelayEventMap> {}

/** Listeners by event name, typed by the map. */
export type RelayListeners = { [K in keyof RelayEventMap]?: (...args: RelayEventMap[K]) => void };

/** Subscribes every listener given; returns the function that unsubscribes them all. */
export function listen(events: RelayEvents, listeners: RelayListeners): () => void {
	const entries = Object.entries(listeners) as Array<[keyof RelayEventMap, (...args: never[]) => void]>;
	for (const [name, listener] of entries) events.on(name, listener as never);
	return () => {
		for (const [name, listener] of entries) events.off(name, listener as never);
	};
}

/** Steps awaited one after the other: by `order` (lowest first), then in the order they were added. */
export class Steps<Args extends unknown[]> {
	readonly #steps: Array<{ step: (...args: Args) => Promise<void>; order: number }> = [];

	/** Adds a step; returns the function that removes it. */
	add(step: (...args: Args) => Promise<void>, order = 0): () => void {
		const entry = { step, order };
		// After every step of the same or a lower order: a stable insertion.
		const at = this.#steps.findIndex((s) => s.order > order);
		this.#steps.splice(at < 0 ? this.#steps.length : at, 0, entry);
		return () => {
			const index = this.#steps.indexOf(entry);
			if (index >= 0) this.#steps.splice(index, 1);
		};
	}

	/** Runs every step; the first failure stops the run and is thrown. */
	async run(...args: Args): Promise<void> {
		for (const { step } of [...this.#steps]) await step(...args);
	}
}
