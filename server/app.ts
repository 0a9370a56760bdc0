/**
 * Builds one Parley process from its parts: database, migrations, services, HTTP server and the
 * relay's upgrade route. The entry (`main.ts`), the dev plugin and the tests all start Parley
 * through `startParley`, each handing in what it has (config, logger, SvelteKit's handler).
 */
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from '$lib/server/config';
import { openDatabase, migrate, type Db } from '$lib/server/db';
import { ParleyEvents } from '$lib/server/events';
import type { Runtime } from '$lib/server/runtime';
import { createAccountServices } from '$lib/server/accounts/services';
import { createHttpServer, type KitHandler } from './http.js';
import { fdLimit, limitConnections, type ConnectionStats } from './connection-limits.js';
import { createRelay, SYNC_PATH, type Relay } from './relay/index.js';
import { InboxService } from '$lib/server/inbox/service';
import { subscribeInbox } from '$lib/server/inbox/wiring';
import { inboxDocName, parseDocName } from '$lib/server/doc-names';
import { openFanout, type Fanout } from './relay/fanout.js';
import { bridgeEvents } from './event-bridge.js';
import { listen } from './relay/relay-events.js';
import { startSweeper } from '$lib/server/uploads/sweeper';
import { BackupStore, backupsDirOf } from '$lib/server/admin/backup/store';
import { newControlToken, writeControlFile } from '$lib/server/admin/control';
import { Metrics } from '$lib/server/admin/metrics';
import { CommitMeter } from './relay/meter.js';
import { scheduleBackups } from '$lib/server/admin/schedule';
import { createPushService, type PushDeps } from '$lib/server/push/service';

/** A running Parley process. */
export interface Parley {
	url: string;
	runtime: Runtime;
	relay: Relay;
	/** How it reaches other instances (REDIS_URL), or the no-op. */
	fanout: Fanout;
	/** Sockets refused by the per-address cap (server/connection-limits.ts). */
	connections: ConnectionStats;
	/** Stops accepting, closes sockets, flushes pending writes, closes the database. */
	close(): Promise<void>;
}

/** Services without HTTP: database opened and migrated, runtime and relay built. */
export async function createRuntime(options: {
	config: Config;
	log: Logger;
	db?: Db;
	now?: () => number;
	/** The embedded PostgreSQL died: by default Parley exits non-zero rather than serve without storage. */
	onDatabaseLost?: () => void;
	/** Web push's network edges (name resolution, transport), replaced by tests. */
	push?: Pick<PushDeps, 'resolve' | 'transport' | 'send'>;
}): Promise<
	Runtime & {
		relay: Relay;
		/** Closes the relay and what was made for it (presence, the R27/R28 sets). */
		closeRelay: () => Promise<void>;
		fanout: Fanout;
		stopInbox: () => void;
		/** Stops the upload sweeper. */
		stopUploads: () => void;
		closeFanout: () => Promise<void>;
	}
> {
	const { config, log } = options;
	const db =
		options.db ??
		(await openDatabase({
			...config,
			log: log.child({ part: 'database' }),
			onEmbeddedExit: options.onDatabaseLost ?? (() => process.exit(1))
		}));
	const applied = await migrate(db);
	if (applied.length) log.info({ applied }, 'database migrated');
	const now = options.now ?? Date.now;
	const events = new ParleyEvents();
	// Notifications leave after the commit, from their own bounded queues (docs/notifications.md).
	const push = await createPushService({ db, config, log: log.child({ part: 'push' }), now, ...options.push });
	// With REDIS_URL: other instances hear our commits, awareness and events, and we theirs.
	const fanout = await openFanout({ redisUrl: config.redisUrl, prefix: config.redisPrefix, log: log.child({ part: 'fanout' }) }).catch(
		async (error: Error) => {
			push.close();
			if (!options.db) await db.close();
			throw new Error(`REDIS_URL: cannot connect (${error.message})`, { cause: error });
		}
	);
	const stopBridge = bridgeEvents(events, fanout, log.child({ part: 'events' }));
	// The commit meter feeds the admin panel and, with METRICS_TOKEN, /metrics.
	const meter = new CommitMeter();
	const { relay, close: closeRelay } = createRelay({ config, db, log, events, now }, { meter, fanout });
	const metrics = config.metricsToken ? new Metrics({ relayStats: () => relay.stats(), pool: () => db.pool?.() ?? null }) : null;
	if (metrics) meter.onCommit = (ms, items) => metrics.observeCommit(ms, items);
	// The inbox writes through the relay, fills an inbox as it loads, and hears commits as an event
	// (updateCommitted), so that other instances' inboxes hear them too.
	const inbox = new InboxService({
		db,
		docs: relay.docs,
		log: log.child({ part: 'inbox' }),
		now,
		limits: config.limits,
		isOpen: (userId) => relay.rooms.has(inboxDocName(userId))
	});
	const detachInbox = [
		subscribeInbox(inbox, events),
		relay.onLoad(async ({ docName, doc, serverWrite }) => {
			const target = parseDocName(docName);
			if (target?.kind === 'inbox') await inbox.rebuild(target.userId, doc, serverWrite);
		}),
		listen(relay.events, {
			committed: ({ docName, changes }) => {
				if (!changes) return;
				const envelopesChanged = changes.added.length + changes.deleted.length + changes.edits.length > 0;
				const readBy = changes.reads.length ? changes.userId : null;
				if (envelopesChanged || readBy) events.emit('updateCommitted', { docName, envelopesChanged, readBy });
				// Web push hears what this instance committed, and only this instance: each message is pushed once.
				push.committed(docName, changes);
			}
		})
	];
	const stopInbox = () => {
		for (const detach of detachInbox) detach();
		inbox.close();
		push.close();
	};
	// After closeRelay(): its last commits and awareness removals are published before QUIT.
	const closeFanout = async () => {
		stopBridge();
		await fanout.close();
	};
	const stopUploads = startSweeper({ db, config, events, now, log: log.child({ part: 'uploads' }) });
	const services = createAccountServices({ config, db, now });
	return {
		config,
		db,
		log,
		events,
		now,
		docs: relay.docs,
		inbox,
		relay,
		closeRelay,
		fanout,
		stopInbox,
		stopUploads,
		closeFanout,
		relayStats: () => relay.stats(),
		backups: new BackupStore(backupsDirOf(config.dataDir)),
		controlToken: newControlToken(),
		metrics,
		push,
		...services
	};
}

/** Starts the HTTP server (and relay) on `config.host:config.port` (port 0: any free port). */
export async function startParley(options: {
	config: Config;
	log: Logger;
	handler: KitHandler;
	db?: Db;
	now?: () => number;
	push?: Pick<PushDeps, 'resolve' | 'transport' | 'send'>;
}): Promise<Parley> {
	const { config, log, handler } = options;
	const started = performance.now();
	const runtime = await createRuntime(options);
	const { relay } = runtime;
	const server = createHttpServer({ handler, runtime, log, upgrades: { [SYNC_PATH]: relay.handleUpgrade }, limits: config.limits });
	const connectionStats = limitConnections(server, {
		maxPerAddress: config.limits.httpMaxConnectionsPerAddress,
		fdReserve: config.limits.httpFdReserve,
		fdLimit: fdLimit()
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(config.port, config.host, () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
	// PORT=0 (tests, benchmarks) without ORIGIN: the origin is only known now.
	if (new URL(config.origin).port === '0') config.origin = `http://localhost:${port}`;
	log.info({ url, database: runtime.db.kind, ms: Math.round(performance.now() - started) }, 'Parley is listening');
	const stopSchedule = scheduleBackups(runtime);
	const removeControl = runtime.controlToken
		? await writeControlFile(config.dataDir, { url, token: runtime.controlToken, pid: process.pid })
		: async () => {};

	let closing: Promise<void> | undefined;
	return {
		url,
		runtime,
		relay,
		fanout: runtime.fanout,
		connections: connectionStats,
		close() {
			closing ??= (async () => {
				const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
				server.closeIdleConnections();
				// Sockets close, and every accepted update is stored, before the database closes.
				runtime.stopInbox();
				runtime.stopUploads();
				stopSchedule();
				await removeControl();
				await runtime.closeRelay();
				await runtime.closeFanout();
				// Requests still running get a moment; then their connections are cut.
				const cut = setTimeout(() => server.closeAllConnections(), 2_000);
				await stopped;
				clearTimeout(cut);
				await runtime.db.close();
				log.info('Parley stopped');
			})();
			return closing;
		}
	};
}
