/**
 * `/metrics` in Prometheus text (prom-client), off unless METRICS_TOKEN is set. One registry per
 * runtime (tests run several servers in a process): HTTP requests and their duration, relay
 * sockets, rooms and online users, committed updates and the commit-time histogram, the
 * database pool, and the process's default metrics (memory, CPU, event-loop lag, handles).
 */
import client from 'prom-client';
import type { RelayStats } from './types.js';

/** Seconds; group commits are usually a few ms, a slow disk makes them hundreds. */
const COMMIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What the database reports of its connections (a pool; the embedded database has one). */
export interface PoolFigures {
	total: number;
	idle: number;
	waiting: number;
}

export class Metrics {
	readonly registry = new client.Registry();
	readonly #httpRequests: client.Counter<'method' | 'status'>;
	readonly #httpSeconds: client.Histogram<'method'>;
	readonly #commitSeconds: client.Histogram;
	readonly #updates: client.Counter;

	constructor(deps: { relayStats: () => RelayStats; pool: () => PoolFigures | null }) {
		const registers = [this.registry];
		client.collectDefaultMetrics({ register: this.registry, prefix: 'parley_' });
		this.#httpRequests = new client.Counter({
			name: 'parley_http_requests_total',
			help: 'HTTP requests by method and status',
			labelNames: ['method', 'status'],
			registers
		});
		this.#httpSeconds = new client.Histogram({
			name: 'parley_http_request_duration_seconds',
			help: 'HTTP request time',
			labelNames: ['method'],
			buckets: HTTP_BUCKETS,
			registers
		});
		this.#commitSeconds = new client.Histogram({
			name: 'parley_relay_commit_duration_seconds',
			help: 'Group-commit transaction time',
			buckets: COMMIT_BUCKETS,
			registers
		});
		this.#updates = new client.Counter({
			name: 'parley_relay_updates_committed_total',
			help: 'Yjs updates committed by the relay',
			registers
		});
		const gauge = (name: string, help: string, read: () => number | null) =>
			new client.Gauge({
				name,
				help,
				registers,
				collect() {
					const value = read();
					if (value !== null) this.set(value);
				}
			});
		gauge('parley_relay_sockets', 'Open sync WebSockets', () => deps.relayStats().openSockets);
		gauge('parley_relay_rooms', 'Documents loaded in memory', () => deps.relayStats().loadedDocuments);
		gauge('parley_relay_online_users', 'Users with a sync socket open on this instance', () => deps.relayStats().onlineUsers);
		gauge('parley_db_pool_connections', 'Database connections open', () => deps.pool()?.total ?? null);
		gauge('parley_db_pool_idle', 'Database connections idle', () => deps.pool()?.idle ?? null);
		gauge('parley_db_pool_waiting', 'Queries waiting for a database connection', () => deps.pool()?.waiting ?? null);
	}

	/** One HTTP request finished. */
	observeHttp(method: string, status: number, ms: number): void {
		this.#httpRequests.inc({ method, status: String(status) });
		this.#httpSeconds.observe({ method }, ms / 1000);
	}

	/** One group commit finished. */
	observeCommit(ms: number, items: number): void {
		this.#commitSeconds.observe(ms / 1000);
		this.#updates.inc(items);
	}

	/** The text exposition. */
	render(): Promise<string> {
		return this.registry.metrics();
	}

	get contentType(): string {
		return this.registry.contentType;
	}
}
