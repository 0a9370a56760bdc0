/**
 * A document the client only reads or writes without an outbox (the inbox, the drafts document):
 * a stock provider made with `connect: false`, connected once the local copy has loaded (so the
 * relay sends only the difference), reconnecting by the policy. Status never says `up-to-date`
 * before the relay answered in this session.
 */
import * as Y from 'yjs';
import { ObservableV2 } from 'lib0/observable';
import { WebsocketProvider } from 'y-websocket';
import type { EndReason } from './access.js';
import type { DocStatus } from './conversation-sync.js';
import type { ReconnectLimits } from './reconnect-policy.js';
import { Reconnector } from './reconnector.js';
import { gateUntilHandshake } from './handshake-gate.js';

export interface DocLinkOptions {
	serverUrl: string;
	docName: string;
	doc: Y.Doc;
	/** Resolves while the user may still open the document; throws AccessEndedError when not. */
	check: () => Promise<unknown>;
	WebSocketPolyfill?: unknown;
	reconnectLimits?: ReconnectLimits;
	random?: () => number;
}

export class DocLink extends ObservableV2<{ change: () => void; ended: (reason: EndReason) => void }> {
	readonly doc: Y.Doc;
	readonly provider: WebsocketProvider;
	readonly #reconnector: Reconnector;
	#status: DocStatus = 'offline';

	constructor(options: DocLinkOptions) {
		super();
		this.doc = options.doc;
		this.provider = new WebsocketProvider(options.serverUrl, options.docName, options.doc, {
			connect: false,
			disableBc: true,
			shouldReconnect: () => false,
			...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill as typeof WebSocket } : {})
		});
		// local updates (drafts) wait for our step 2 on each socket, else R3 refuses a gap after offline writes
		gateUntilHandshake(this.provider);
		this.#reconnector = new Reconnector({
			check: options.check,
			onEnd: (reason) => {
				this.emit('ended', [reason]);
				this.#changed();
			},
			limits: options.reconnectLimits,
			random: options.random
		});
		this.#reconnector.attach(this.provider);
		this.provider.on('status', () => this.#changed());
		this.provider.on('sync', () => this.#changed());
		this.provider.on('connection-close', () => this.#changed());
	}

	get status(): DocStatus {
		return this.#status;
	}

	get ended(): EndReason | null {
		return this.#reconnector.ended;
	}

	/** Resolves once the relay has answered (never from the local copy alone). */
	whenSynced(): Promise<void> {
		if (this.provider.synced) return Promise.resolve();
		return new Promise((resolve) => {
			const done = (synced: boolean) => {
				if (!synced) return;
				this.provider.off('sync', done);
				resolve();
			};
			this.provider.on('sync', done);
		});
	}

	connect(): void {
		this.#reconnector.connect();
		this.#changed();
	}

	disconnect(): void {
		this.#reconnector.disconnect();
		this.#changed();
	}

	destroy(): void {
		this.#reconnector.destroy();
		this.provider.destroy();
		super.destroy();
	}

	#changed(): void {
		const p = this.provider;
		const status: DocStatus = this.#reconnector.ended
			? 'offline'
			: !p.wsconnected
				? this.#reconnector.wanted
					? 'connecting'
					: 'offline'
				: p.synced
					? 'up-to-date'
					: 'syncing';
		if (status === this.#status) return;
		this.#status = status;
		this.emit('change', []);
	}
}
