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
import { trackUploadIds } from './relay/upload-ids.js';
import { trackMemberIds } from './relay/member-ids.js';
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
}): Promise<Runtime & { relay: Relay; fanout: Fanout; stopInbox: () => void; stopUploads: () => void; closeFanout: () => Promise<void> }> {
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
	let fanout: Fanout;
	try {
		fanout = await openFanout({ redisUrl: config.redisUrl, prefix: config.redisPrefix, log: log.child({ part: 'fanout' }) });
	} catch (error) {
		push.close();
		if (!options.db) await db.close();
		throw new Error(`REDIS_URL: cannot connect (${(error as Error).message})`, { cause: error });
	}
	const stopBridge = bridgeEvents(events, fanout, log.child({ part: 'events' }));
	// The relay tells the inbox about commits (an event, so other instances' inboxes hear it too)
	// and loads; the inbox writes through the relay.
	let inbox: InboxService | undefined;
	// R27: each loaded conversation knows its upload ids (loaded with it, then kept by events).
	const uploadIds = trackUploadIds({ db, events, peek: (name) => relay.rooms.peek(name), max: config.limits.relayRoomUploadIdsMax });
	// R28: each loaded conversation knows its members (loaded with it, then kept by events).
	const memberIds = trackMemberIds({
		db,
		events,
		log: log.child({ part: 'relay' }),
		peek: (name) => relay.rooms.peek(name),
		max: config.limits.relayRoomMemberIdsMax
	});
	// Metrics only when METRICS_TOKEN is set; the commit meter feeds both the panel and them.
	const meter = new CommitMeter();
	const metrics = config.metricsToken ? new Metrics({ relayStats: () => relay.stats(), pool: () => db.pool?.() ?? null }) : null;
	if (metrics) meter.onCommit = (ms, items) => metrics.observeCommit(ms, items);
	const relay = createRelay(
		{ config, db, log, events, now },
		{
			meter,
			fanout,
			onCommitted: (room, changes) => {
				if (!changes) return;
				const envelopesChanged = changes.added.length + changes.deleted.length + changes.edits.length > 0;
				const readBy = changes.reads.length ? changes.userId : null;
				if (envelopesChanged || readBy) events.emit('updateCommitted', { docName: room.name, envelopesChanged, readBy });
				// Web push hears what this instance committed, and only this instance: each message is pushed once.
				push.committed(room.name, changes);
			},
			onLoad: async (room) => {
				await uploadIds.load(room);
				await memberIds.load(room);
				const target = parseDocName(room.name);
				if (target?.kind !== 'inbox') return;
				if (inbox) await inbox.rebuild(target.userId, room.doc, (write) => room.serverWrite(write));
				await relay.presence?.prime(room, target.userId);
			}
		}
	);
	inbox = new InboxService({
		db,
		docs: relay.docs,
		log: log.child({ part: 'inbox' }),
		now,
		limits: config.limits,
		isOpen: (userId) => relay.rooms.has(inboxDocName(userId))
	});
	const unsubscribeInbox = subscribeInbox(inbox, events);
	const stopInbox = () => {
		unsubscribeInbox();
		inbox.close();
		push.close();
	};
	// After relay.close(): its last commits and awareness removals are published before QUIT.
	const closeFanout = async () => {
		stopBridge();
		await fanout.close();
	};
	const stopSweeper = startSweeper({ db, config, events, now, log: log.child({ part: 'uploads' }) });
	const stopUploads = () => {
		stopSweeper();
		uploadIds.stop();
		memberIds.stop();
	};
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
				await relay.close();
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
