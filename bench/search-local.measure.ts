/**
 * The on-device index at 100 000 messages (`npm run bench -- search-local`, which runs this file in
 * Vitest: the engine is TypeScript): build time (in `apply` batches, as the worker receives them),
 * memory, the saved snapshot's size and its save and load times, queries, and the incremental
 * costs (one message, an edit, a no-op sync of a long conversation). Node's V8 on this machine,
 * not a phone's: a phone is several times slower. Writes bench/results/search-local.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import { execSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LocalSearchIndex, type IndexChange, type IndexMessage } from '../src/lib/client/search/local-index.js';
import { generateMessages, planConversations } from './search-data.js';

const MESSAGES = Number(process.env.BENCH_LOCAL_MESSAGES ?? 100_000);
const BATCH = 5000;
const QUERIES = ['неделя ', 'доставку ', 'budget ', 'билеты поезд ', 'client contract ', 'догов', 'invoi', 'квазар ', 'привет ', 'сооб'];

const percentile = (values: number[], p: number) =>
	+[...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))]!.toFixed(2);
const mib = (bytes: number) => +(bytes / 1024 / 1024).toFixed(1);
const heap = () => {
	(globalThis as { gc?: () => void }).gc?.();
	return process.memoryUsage().heapUsed;
};

describe('bench: on-device search index', () => {
	it(`builds, saves, loads and queries ${MESSAGES} messages`, async () => {
		const loadBefore = { uptime: execSync('uptime', { encoding: 'utf8' }).trim(), load1: +os.loadavg()[0]!.toFixed(2) };
		const people = Array.from({ length: 200 }, (_, i) => `user${i}`);
		const { conversations, weights } = planConversations({ userIds: people, count: 2000, seed: 20 });
		const changes: IndexChange[] = [];
		let n = 0;
		for (const m of generateMessages({ conversations, weights, total: MESSAGES, days: 365, seed: 20 }))
			changes.push({
				type: 'upsert',
				conversationId: `c${m.conversation}`,
				message: { id: `m${++n}`, authorId: m.author, createdAt: m.createdAt, text: m.text }
			});
		const textChars = changes.reduce((sum, c) => sum + (c.type === 'upsert' ? c.message.text.length : 0), 0);

		const heapBefore = heap();
		const index = LocalSearchIndex.create();
		let started = performance.now();
		for (let i = 0; i < changes.length; i += BATCH) index.apply(changes.slice(i, i + BATCH));
		const buildMs = performance.now() - started;
		const heapAfter = heap();
		expect(index.size).toBe(MESSAGES);

		started = performance.now();
		const snapshot = await index.serialize();
		const saveMs = performance.now() - started;
		const snapshotBytes = Buffer.byteLength(snapshot);
		started = performance.now();
		const loaded = LocalSearchIndex.load(snapshot)!;
		const loadMs = performance.now() - started;
		expect(loaded.size).toBe(MESSAGES);

		const now = Date.now();
		const queryMs: number[] = [];
		const found: Record<string, number> = {};
		for (let round = 0; round < 5; round++)
			for (const q of QUERIES) {
				started = performance.now();
				found[q] = loaded.query(q, {}, now).length;
				queryMs.push(performance.now() - started);
			}

		// Incremental: one new message, one edit, and re-opening the longest conversation (nothing changed).
		const one: IndexMessage = { id: 'new', authorId: 'user1', createdAt: now, text: 'Новое сообщение про доставку и budget' };
		started = performance.now();
		loaded.apply([{ type: 'upsert', conversationId: 'c0', message: one }]);
		const oneMs = performance.now() - started;
		started = performance.now();
		loaded.apply([{ type: 'upsert', conversationId: 'c0', message: { ...one, text: 'Исправленный текст', editedAt: now + 1 } }]);
		const editMs = performance.now() - started;
		const byConversation = new Map<string, IndexMessage[]>();
		for (const c of changes)
			if (c.type === 'upsert') byConversation.set(c.conversationId, [...(byConversation.get(c.conversationId) ?? []), c.message]);
		const [longestId, longest] = [...byConversation].sort((a, b) => b[1].length - a[1].length)[0]!;
		started = performance.now();
		const counts = loaded.syncConversation(longestId, longest);
		const syncMs = performance.now() - started;
		expect(counts.unchanged).toBe(longest.length);

		const result = {
			at: new Date().toISOString(),
			node: process.version,
			cpus: os.cpus().length,
			messages: MESSAGES,
			textMiB: mib(textChars * 2),
			buildMs: Math.round(buildMs),
			heapMiB: mib(heapAfter - heapBefore),
			gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
			snapshotMiB: mib(snapshotBytes),
			saveMs: Math.round(saveMs),
			loadMs: Math.round(loadMs),
			queryP50Ms: percentile(queryMs, 0.5),
			queryP95Ms: percentile(queryMs, 0.95),
			found,
			oneMessageMs: +oneMs.toFixed(2),
			oneEditMs: +editMs.toFixed(2),
			noOpSync: { messages: longest.length, ms: +syncMs.toFixed(2) },
			loadBefore,
			loadAfter: { uptime: execSync('uptime', { encoding: 'utf8' }).trim(), load1: +os.loadavg()[0]!.toFixed(2) }
		};
		console.log(result);
		fs.writeFileSync('bench/results/search-local.json', JSON.stringify(result, null, 2) + '\n');
	});
});
