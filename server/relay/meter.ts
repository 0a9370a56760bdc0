/**
 * Commit figures of the last minute for the admin panel and /metrics: wraps a DocStorage so every
 * append (one group commit) is timed, without touching the committer.
 */
import type { DocStorage } from './storage.js';

/** The window the figures cover (the panel shows "last minute"). */
const WINDOW_MS = 60_000;
/** Most commits remembered: bounds memory under any load (p99 over the newest ones then). */
const MAX_SAMPLES = 20_000;

interface Sample {
	at: number;
	ms: number;
	items: number;
}

/** Commit times and sizes of the last minute. */
export class CommitMeter {
	readonly #samples: Sample[] = [];
	/** Every commit since start, for the Prometheus histogram. */
	onCommit: ((ms: number, items: number) => void) | undefined;

	constructor(private readonly now: () => number = Date.now) {}

	/** Records one commit. */
	record(ms: number, items: number): void {
		this.#samples.push({ at: this.now(), ms, items });
		if (this.#samples.length > MAX_SAMPLES) this.#samples.splice(0, this.#samples.length - MAX_SAMPLES);
		this.onCommit?.(ms, items);
	}

	/** Updates per second, commit p99 and commit count over the last minute. */
	snapshot(): { updatesPerSecond: number; commitP99Ms: number | null; commitsLastMinute: number } {
		const since = this.now() - WINDOW_MS;
		let first = 0;
		while (first < this.#samples.length && this.#samples[first]!.at < since) first++;
		this.#samples.splice(0, first);
		const items = this.#samples.reduce((sum, s) => sum + s.items, 0);
		const times = this.#samples.map((s) => s.ms).sort((a, b) => a - b);
		const p99 = times.length ? times[Math.min(times.length - 1, Math.ceil(times.length * 0.99) - 1)]! : null;
		return {
			updatesPerSecond: Math.round((items / (WINDOW_MS / 1000)) * 100) / 100,
			commitP99Ms: p99 === null ? null : Math.round(p99 * 10) / 10,
			commitsLastMinute: times.length
		};
	}

	/** `storage` with every append timed. */
	wrap(storage: DocStorage): DocStorage {
		// eslint-disable-next-line @typescript-eslint/no-this-alias -- the wrapper's own methods have their own `this`
		const meter = this;
		return {
			load: (name) => storage.load(name),
			compact: (name, merge) => storage.compact(name, merge),
			delete: (name) => storage.delete(name),
			async append(items, extra) {
				const started = performance.now();
				await storage.append(items, extra);
				meter.record(performance.now() - started, items.length);
			}
		};
	}
}
