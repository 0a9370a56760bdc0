// The log destination never blocks: past its buffer it drops lines (counted), after an output
// error (EPIPE) it drops everything, and its flush gives up after its timeout.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { nonBlockingDestination } from '../../../server/log-destination.js';

describe('nonBlockingDestination', () => {
	it('drops lines once `maxBufferedBytes` wait for a reader that never reads', async () => {
		const stream = new PassThrough({ highWaterMark: 16 });
		const destination = nonBlockingDestination(stream, 1000);
		for (let i = 0; i < 100; i++) destination.write('x'.repeat(99) + '\n');
		expect(stream.writableLength).toBeLessThanOrEqual(1000);
		expect(destination.dropped).toBe(90);
		// Flush cannot finish (nobody reads): it resolves after its timeout instead of waiting for ever.
		await destination.flush(20);
		expect(stream.writableLength).toBeGreaterThan(0);
	});

	it('writes everything a reader takes, and flush resolves once it is drained', async () => {
		const stream = new PassThrough();
		const destination = nonBlockingDestination(stream, 1 << 20);
		let read = '';
		stream.on('data', (chunk) => (read += chunk));
		destination.write('one\n');
		destination.write('two\n');
		await destination.flush(5000);
		expect(read).toBe('one\ntwo\n');
		expect(destination.dropped).toBe(0);
	});

	it('after an output error (EPIPE) drops every line and never throws', () => {
		const stream = new PassThrough();
		const destination = nonBlockingDestination(stream, 1 << 20);
		stream.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
		expect(() => destination.write('lost\n')).not.toThrow();
		expect(destination.dropped).toBe(1);
	});
});
