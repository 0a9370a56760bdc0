/**
 * Web push for one process: the VAPID identity, the fan-out, the delivery queue and the read
 * tracker, wired from the configuration. The process calls `committed` from the relay's commit
 * hook and `read` where a private read position moves; routes use `publicKey` and `policy`.
 * Side effects come in as arguments (database, logger, clock, name resolution, transport).
 */
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Queryable } from '../db/index.js';
import { DeliveryQueue, type DeliveryStats, type Send } from './delivery.js';
import { PushFanout, type CommittedChanges, type PushFanoutStats } from './fanout.js';
import { ReadTracker } from './reads.js';
import { conversationOfDocName } from './recipients.js';
import { createSender } from './send.js';
import { recordDeliveries, removeGoneSubscription } from './store.js';
import { createTransport, systemResolve, type Transport } from './transport.js';
import { loadVapidKeys, VapidSigner } from './vapid.js';
import type { EndpointPolicy, Resolve } from './endpoint.js';

/** How often the pushes' outcomes are written to their subscriptions (last success, failures). */
const RECORD_EVERY_MS = 1000;

/** What the rest of the process sees of web push. */
export interface PushService {
	/** The VAPID public key (base64url) browsers subscribe with. */
	readonly publicKey: string;
	/** Which endpoints are acceptable (routes check subscriptions with it). */
	readonly policy: EndpointPolicy;
	/** Name resolution, for the subscribe-time address check. */
	readonly resolve: Resolve;
	/** The relay's commit hook: what a committed update added. Synchronous, never throws. */
	committed(docName: string, changes: CommittedChanges | null): void;
	/** A person's read position moved in a conversation (privately: read receipts off). */
	read(userId: string, conversationId: string): void;
	stats(): { fanout: PushFanoutStats; delivery: DeliveryStats; queued: number };
	/** Resolves once everything heard so far has left or failed for good (tests, benchmarks). */
	whenIdle(): Promise<void>;
	/** Stops; pushes not yet sent are dropped (in-flight requests are aborted). */
	close(): void;
}

/** What building the service needs; `send`, `transport` and `resolve` are for tests. */
export interface PushDeps {
	db: Queryable;
	config: Pick<Config, 'vapidKeys' | 'vapidSubject' | 'pushAllowedHosts' | 'limits'>;
	log: Logger;
	now?: () => number;
	resolve?: Resolve;
	transport?: Transport;
	send?: Send;
}

/** Builds the service (reads or makes the VAPID keys). */
export async function createPushService(deps: PushDeps): Promise<PushService> {
	const { db, config, log } = deps;
	const { limits } = config;
	const now = deps.now ?? Date.now;
	const resolve = deps.resolve ?? systemResolve;
	const keys = await loadVapidKeys(db, config);
	const transport =
		deps.transport ??
		createTransport({ timeoutMs: limits.pushRequestTimeoutMs, maxResponseBytes: limits.pushResponseMaxBytes, resolve, now });
	const send =
		deps.send ??
		createSender({
			signer: new VapidSigner(keys, now),
			transport,
			allowedHosts: config.pushAllowedHosts,
			ttlSeconds: limits.pushTtlSeconds
		});
	// A failed bookkeeping write is logged, never an unhandled rejection.
	const quietly = (work: Promise<unknown>, what: string) => void work.catch((error) => log.warn({ err: error }, what));
	// Outcomes are written together, once per RECORD_EVERY_MS: a 1 000-member group's pushes are
	// two statements, not a thousand. Bounded by the subscriptions that pushes went to meanwhile.
	const outcomes = { ok: new Set<string>(), failed: new Set<string>(), timer: null as NodeJS.Timeout | null };
	const flushOutcomes = (): Promise<void> => {
		if (outcomes.timer) clearTimeout(outcomes.timer);
		outcomes.timer = null;
		const ok = [...outcomes.ok].filter((id) => !outcomes.failed.has(id));
		const failed = [...outcomes.failed];
		outcomes.ok.clear();
		outcomes.failed.clear();
		return recordDeliveries(db, ok, failed).catch((error) => log.warn({ err: error }, 'recording pushes failed'));
	};
	const record = (id: string, ok: boolean) => {
		(ok ? outcomes.ok : outcomes.failed).add(id);
		outcomes.timer ??= setTimeout(() => void flushOutcomes(), RECORD_EVERY_MS);
	};
	const queue = new DeliveryQueue(
		{
			maxEntries: limits.pushQueueMaxEntries,
			concurrency: limits.pushConcurrency,
			coalesceMs: limits.pushCoalesceMs,
			maxAttempts: limits.pushMaxAttempts,
			retryBaseMs: limits.pushRetryBaseMs,
			retryMaxMs: limits.pushRetryMaxMs
		},
		send,
		{
			onDone: (target, ok, reason) => {
				if (!ok) log.info({ subscription: target.id, reason }, 'push failed');
				record(target.id, ok);
			},
			onGone: (target) => {
				log.info({ subscription: target.id }, 'push subscription gone (404/410): removed');
				quietly(removeGoneSubscription(db, target.id), 'removing a gone subscription failed');
			}
		},
		now
	);
	const fanout = new PushFanout(
		{ db, queue, log, now },
		{
			maxPending: limits.pushFanoutMaxPending,
			maxMessages: limits.pushFanoutMaxMessages,
			pageSize: limits.pushFanoutPageSize,
			previewMaxChars: limits.pushPreviewMaxChars,
			payloadMaxBytes: limits.pushPayloadMaxBytes
		}
	);
	const reads = new ReadTracker({ db, queue, log }, { maxPending: limits.pushReadsMaxPending, flushMs: limits.pushReadsFlushMs });
	return {
		publicKey: keys.publicKey,
		policy: { allowedHosts: config.pushAllowedHosts, maxLength: limits.pushEndpointMaxLength },
		resolve,
		committed(docName, changes) {
			if (!changes) return;
			try {
				fanout.committed(docName, changes);
				const conversationId = changes.reads.length ? conversationOfDocName(docName) : null;
				if (conversationId) reads.read(changes.userId, conversationId);
			} catch (error) {
				log.error({ err: error, doc: docName }, 'push: commit hook failed');
			}
		},
		read: (userId, conversationId) => reads.read(userId, conversationId),
		stats: () => ({ fanout: { ...fanout.stats }, delivery: { ...queue.stats }, queued: queue.size }),
		async whenIdle() {
			await reads.flush();
			await fanout.whenIdle();
			await queue.whenIdle();
			await flushOutcomes();
		},
		close() {
			if (outcomes.timer) clearTimeout(outcomes.timer);
			reads.close();
			fanout.close();
			queue.close();
			transport.close?.();
		}
	};
}
