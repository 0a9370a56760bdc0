/**
 * A queue of items per key (a document), served round-robin: a batch takes one item from each
 * key in turn, so a key with ten thousand items waiting delays another key's one item by one
 * batch at most. Counts and bytes are tracked in total and per key, for the callers' bounds.
 */
export class FairQueue<T> {
	/** Insertion order of the keys is the round-robin order; a key leaves when its queue empties. */
	readonly #queues = new Map<string, { items: T[]; bytes: number[]; head: number; totalBytes: number }>();
	#count = 0;
	#bytes = 0;

	/** Items waiting, over all keys. */
	get count(): number {
		return this.#count;
	}

	/** Bytes waiting, over all keys. */
	get bytes(): number {
		return this.#bytes;
	}

	/** Items waiting for `key`. */
	countOf(key: string): number {
		const queue = this.#queues.get(key);
		return queue ? queue.items.length - queue.head : 0;
	}

	/** Bytes waiting for `key`. */
	bytesOf(key: string): number {
		return this.#queues.get(key)?.totalBytes ?? 0;
	}

	push(key: string, item: T, bytes: number): void {
		let queue = this.#queues.get(key);
		if (!queue) this.#queues.set(key, (queue = { items: [], bytes: [], head: 0, totalBytes: 0 }));
		queue.items.push(item);
		queue.bytes.push(bytes);
		queue.totalBytes += bytes;
		this.#count++;
		this.#bytes += bytes;
	}

	/**
	 * Takes up to `max` items and `maxBytes` bytes (the first item always, however large), one per
	 * key per round. Keys served in a batch move to the back, so the next batch starts with the keys
	 * this one reached last (or not at all).
	 */
	take(max: number, maxBytes = Infinity): T[] {
		const batch: T[] = [];
		let taken = 0;
		let full = false;
		while (!full && batch.length < max && this.#count > 0) {
			// One round: each key with items gives one. Keys are re-inserted to keep the rotation.
			for (const [key, queue] of [...this.#queues]) {
				if (batch.length >= max) break;
				const bytes = queue.bytes[queue.head]!;
				if (batch.length > 0 && taken + bytes > maxBytes) {
					full = true;
					break;
				}
				taken += bytes;
				batch.push(queue.items[queue.head]!);
				queue.head++;
				queue.totalBytes -= bytes;
				this.#count--;
				this.#bytes -= bytes;
				this.#queues.delete(key);
				if (queue.head < queue.items.length) {
					// Reclaim the consumed prefix now and then (shift() per item is quadratic).
					if (queue.head > 1024 && queue.head * 2 > queue.items.length) {
						queue.items = queue.items.slice(queue.head);
						queue.bytes = queue.bytes.slice(queue.head);
						queue.head = 0;
					}
					this.#queues.set(key, queue);
				}
			}
		}
		return batch;
	}
}
