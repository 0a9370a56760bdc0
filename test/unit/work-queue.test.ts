// The bounded queue in front of argon2: at most `concurrency` tasks run, at most `maxQueued` wait,
// the rest are refused at once; waiting tasks run in order as slots free.
import { describe, expect, it } from 'vitest';
import { WorkQueue } from '$lib/server/work-queue';

/** A task that finishes when the test says so. */
function gate() {
	let open!: () => void;
	const opened = new Promise<void>((resolve) => (open = resolve));
	return { open, task: () => opened };
}

describe('WorkQueue', () => {
	it('runs up to `concurrency`, queues up to `maxQueued`, refuses the rest at once', async () => {
		const queue = new WorkQueue({ concurrency: 2, maxQueued: 1 });
		const gates = [gate(), gate(), gate()];
		const order: number[] = [];
		const runs = gates.map((g, i) => queue.run(async () => (await g.task(), order.push(i), i)));
		expect(queue.load).toEqual({ running: 2, waiting: 1 });
		expect(await queue.run(async () => 'never')).toEqual({ busy: true });
		gates[2]!.open(); // opened, but waiting: it has not started
		expect(order).toEqual([]);
		gates[0]!.open(); // its slot goes to the waiting task
		expect(await runs[0]).toEqual({ busy: false, value: 0 });
		expect(await runs[2]).toEqual({ busy: false, value: 2 });
		expect(order).toEqual([0, 2]);
		gates[1]!.open();
		expect(await runs[1]).toEqual({ busy: false, value: 1 });
		expect(queue.load).toEqual({ running: 0, waiting: 0 });
	});

	it('frees the slot when a task fails', async () => {
		const queue = new WorkQueue({ concurrency: 1, maxQueued: 0 });
		await expect(queue.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		expect(await queue.run(async () => 1)).toEqual({ busy: false, value: 1 });
	});
});
