/**
 * The services one Parley process wires together, handed to SvelteKit's hooks and routes.
 * The process entry builds it; routes reach it through `runtimeOf(event)`.
 */
import type { RequestEvent } from '@sveltejs/kit';
import type { Logger } from 'pino';
import type { IncomingMessage } from 'node:http';
import type { Config } from './config.js';
import type { Db } from './db/index.js';
import type { ParleyEvents } from './events.js';
import type { DocService } from './docs.js';
import type { InboxService } from './inbox/service.js';
import type { Mailer } from './mail/index.js';
import type { RateLimiter } from './rate-limit/index.js';
import type { WorkQueue } from './work-queue.js';
import type { RelayStats } from './admin/types.js';
import type { BackupStore } from './admin/backup/store.js';
import type { Metrics } from './admin/metrics.js';
import type { PushService } from './push/service.js';

/** Everything a request handler may need, built once per process. */
export interface Runtime {
	config: Config;
	db: Db;
	log: Logger;
	events: ParleyEvents;
	/** The Yjs documents, as the server reads and writes them (the relay). */
	docs: DocService;
	/** Keeps every user's inbox document current. */
	inbox: InboxService;
	/** Current time in ms; injected so tests and rate limits can control the clock. */
	now: () => number;
	/** Outgoing mail (password reset); null when SMTP_URL is unset. */
	mailer: Mailer | null;
	/** Attempt counters shared by every instance (sign-in, 2FA, registration, reset). */
	rateLimiter: RateLimiter;
	/** The bounded queue every argon2 hash and verification goes through. */
	passwordWork: WorkQueue;
	/** The relay's own figures (sockets, loaded documents, commits) for the admin panel. */
	relayStats: () => RelayStats;
	/** The archives in DATA_DIR/backups (one backup at a time per process). */
	backups: BackupStore;
	/** Token of DATA_DIR/.parley-control.json: lets `npm run backup` / `npm run demo` on this machine ask this server (null: none). */
	controlToken: string | null;
	/** Prometheus metrics; null unless METRICS_TOKEN is set. */
	metrics: Metrics | null;
	/** The bounded queue every image conversion (sharp) goes through. */
	imageWork: WorkQueue;
	/** Web push: VAPID key, subscriptions' endpoint policy, and the notifications themselves. */
	push: PushService;
	/** The bounded queue every message search goes through (`GET /api/search`). */
	searchWork: WorkQueue;
}

/** Under `vite dev` there is no adapter `platform`; the dev plugin registers the runtime here. */
const DEV_RUNTIME_KEY = Symbol.for('parley.devRuntime');

/** The request field through which the production server passes the runtime to SvelteKit. */
export const REQUEST_RUNTIME_FIELD = 'parleyRuntime';

/** Attaches the runtime to a Node request before SvelteKit's handler sees it. */
export function attachRuntime(req: IncomingMessage, runtime: Runtime): void {
	(req as unknown as Record<string, unknown>)[REQUEST_RUNTIME_FIELD] = runtime;
}

/** Registers the runtime for `vite dev`, where requests carry no platform. */
export function setDevRuntime(runtime: Runtime | undefined): void {
	(globalThis as Record<symbol, unknown>)[DEV_RUNTIME_KEY] = runtime;
}

/** The runtime serving this request. */
export function runtimeOf(event: Pick<RequestEvent, 'platform'>): Runtime {
	const req = event.platform?.req as Record<string, unknown> | undefined;
	const runtime = (req?.[REQUEST_RUNTIME_FIELD] ?? (globalThis as Record<symbol, unknown>)[DEV_RUNTIME_KEY]) as Runtime | undefined;
	if (!runtime) throw new Error('Parley runtime missing: start the app with `npm start` or `npm run dev`');
	return runtime;
}
