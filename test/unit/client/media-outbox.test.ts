// The media outbox without a browser: uploads through a controllable uploader, records in the
// in-memory device storage (same semantics as IndexedDB), publishing into a list. Also the upload
// client's classification of answers and its backoff.
import { describe, expect, it } from 'vitest';
import { MemoryDeviceStorage } from '../../../src/lib/client/storage/memory.js';
import { MEDIA_OUTBOX_LIMITS, MediaOutbox, MediaRefusedError } from '../../../src/lib/client/uploads/media-outbox.js';
import { pendingMediaViews, PreviewUrls } from '../../../src/lib/client/uploads/pending-views.js';
import {
	classifyAnswer,
	retryAfterMs,
	retryDelay,
	UPLOAD_RETRY,
	UploadFailure,
	type UploadAnswer,
	type UploadRequest
} from '../../../src/lib/client/uploads/request.js';
import type { Envelope } from '../../../src/lib/sync/schema.js';
import { waitFor } from '../../helpers/sync.js';

const CONVERSATION = 'conv1';

/** An uploader whose calls wait until the test answers them. */
function fakeUploader() {
	let next = 0;
	const calls: Array<{ request: UploadRequest; resolve: (a: UploadAnswer) => void; reject: (e: unknown) => void; aborted: boolean }> = [];
	const upload = (request: UploadRequest) =>
		new Promise<UploadAnswer>((resolve, reject) => {
			const call = { request, resolve, reject, aborted: false };
			request.signal?.addEventListener('abort', () => {
				call.aborted = true;
				reject(new UploadFailure(-1, 'cancelled', 'cancelled', false));
			});
			calls.push(call);
		});
	const answer = (i: number, extra: Partial<UploadAnswer> = {}) => {
		const id = `up${++next}`;
		const blob = calls[i]!.request.file;
		calls[i]!.resolve({
			id,
			url: `/api/uploads/${id}`,
			mime: blob.type || 'application/octet-stream',
			size: blob.size,
			kind: 'file',
			...extra
		});
		return id;
	};
	return { upload, calls, answer };
}

function setup(
	options: {
		online?: boolean;
		storage?: MemoryDeviceStorage;
		uploader?: ReturnType<typeof fakeUploader>;
		/** what publishing does after it is recorded (default: done at once) */
		publishing?: () => Promise<void>;
		now?: () => number;
	} = {}
) {
	const storage = options.storage ?? new MemoryDeviceStorage();
	const store = storage.user('me').media;
	const uploader = options.uploader ?? fakeUploader();
	const published: Array<{ conversationId: string; envelope: Envelope }> = [];
	let online = options.online ?? true;
	const outbox = new MediaOutbox({
		store,
		upload: uploader.upload,
		publish: async (conversationId, envelope) => {
			published.push({ conversationId, envelope });
			await options.publishing?.();
		},
		me: 'me',
		online: () => online,
		random: () => 0.5,
		now: options.now
	});
	return {
		storage,
		store,
		outbox,
		uploader,
		published,
		goOnline() {
			online = true;
			outbox.setOnline(true);
		}
	};
}

const file = (text: string, type = 'text/plain') => new Blob([text], { type });

describe('upload answers', () => {
	it('classifies: network, 408, 429, 5xx retryable; other 4xx final with the server message', () => {
		const body = JSON.stringify({ error: { code: 'too_large', message: 'The file is too large.' } });
		const big = classifyAnswer(413, body, null);
		expect([big.retryable, big.code, big.message]).toEqual([false, 'too_large', 'The file is too large.']);
		for (const status of [400, 401, 403, 404, 415]) expect(classifyAnswer(status, '{}', null).retryable, String(status)).toBe(false);
		for (const status of [0, 408, 429, 500, 502, 503])
			expect(classifyAnswer(status, 'not json', null).retryable, String(status)).toBe(true);
		const busy = classifyAnswer(503, JSON.stringify({ error: { code: 'busy', message: 'Busy' } }), '7');
		expect([busy.code, busy.retryAfterMs]).toEqual(['busy', 7000]);
		expect(classifyAnswer(502, '<html>', null).message).toBe('HTTP 502');
	});

	it('reads Retry-After as seconds or a date', () => {
		const now = Date.parse('2026-11-27T06:00:00Z');
		expect(retryAfterMs('120', now)).toBe(120_000);
		expect(retryAfterMs('Fri, 27 Nov 2026 06:00:30 GMT', now)).toBe(30_000);
		expect(retryAfterMs('soon', now)).toBeUndefined();
		expect(retryAfterMs(null, now)).toBeUndefined();
	});

	it('backs off exponentially with jitter, capped, never sooner than the server asked', () => {
		const half = () => 0.5;
		expect(retryDelay(1, undefined, half)).toBe(UPLOAD_RETRY.baseMs * 0.75);
		expect(retryDelay(3, undefined, half)).toBe(UPLOAD_RETRY.baseMs * 4 * 0.75);
		expect(retryDelay(30, undefined, () => 1)).toBe(UPLOAD_RETRY.maxMs);
		expect(retryDelay(1, 9_000, half)).toBe(9_000);
		expect(retryDelay(1, 10 * UPLOAD_RETRY.maxMs, half)).toBe(UPLOAD_RETRY.maxMs);
	});
});

describe('the media outbox', () => {
	it('publishes one media envelope only once every upload answered, two uploads at a time', async () => {
		const t = setup();
		await t.outbox.loaded;
		const record = await t.outbox.add({
			conversationId: CONVERSATION,
			caption: 'three files',
			replyTo: 'm0',
			files: [
				{ blob: file('a'), name: 'a.txt' },
				{ blob: file('bb'), name: 'b.txt' },
				{ blob: file('ccc', 'audio/webm'), name: 'voice.webm', duration: 3.4 }
			]
		});
		expect(t.outbox.pending(CONVERSATION)).toHaveLength(1);
		expect(t.uploader.calls).toHaveLength(MEDIA_OUTBOX_LIMITS.concurrent);
		// conversationId goes with every upload
		expect(t.uploader.calls.every((c) => c.request.conversationId === CONVERSATION)).toBe(true);
		t.uploader.calls[0]!.request.onProgress?.(0.5);
		const view = pendingMediaViews(t.outbox.pending(CONVERSATION), 'me', 'Me', new PreviewUrls());
		expect(view[0]!.attachments!.map((a) => a.progress)).toEqual([0.5, 0, 0]);
		expect(view[0]!.state).toBe('pending');
		expect(view[0]!.attachments![2]!.kind).toBe('audio');

		t.uploader.answer(0);
		await waitFor(() => t.uploader.calls.length === 3, { what: 'third upload' });
		t.uploader.answer(2);
		await new Promise((r) => setTimeout(r, 10));
		expect(t.published).toHaveLength(0);
		t.uploader.answer(1);
		await waitFor(() => t.published.length === 1, { what: 'publish' });

		const { envelope, conversationId } = t.published[0]!;
		expect(conversationId).toBe(CONVERSATION);
		expect(envelope).toMatchObject({ id: record.id, author: 'me', kind: 'media', text: 'three files', replyTo: 'm0' });
		expect(envelope.attachments!.map((a) => a.url)).toEqual(['/api/uploads/up1', '/api/uploads/up3', '/api/uploads/up2']);
		expect(envelope.attachments![2]!.duration).toBe(3.4);
		// Published: no longer shown as pending, but kept (files and all) until the relay confirms it.
		await waitFor(async () => (await t.store.all())[0]?.published !== undefined, { what: 'record marked published' });
		expect(t.outbox.pending(CONVERSATION)).toEqual([]);
		await t.outbox.delivered([record.id]);
		await waitFor(async () => (await t.store.all()).length === 0, { what: 'record removed' });
	});

	it("uploads a video's poster first and names it as the video's thumbnail", async () => {
		const t = setup();
		await t.outbox.add({
			conversationId: CONVERSATION,
			files: [{ blob: file('video', 'video/webm'), name: 'clip.webm', duration: 12, poster: file('jpeg', 'image/jpeg') }]
		});
		expect(t.uploader.calls.map((c) => c.request.name)).toEqual(['clip.webm.poster.jpg', 'clip.webm']);
		const posterId = t.uploader.answer(0, { kind: 'image' });
		t.uploader.answer(1, { kind: 'video' });
		await waitFor(() => t.published.length === 1, { what: 'publish' });
		expect(t.published[0]!.envelope.attachments![0]).toMatchObject({ thumbUrl: `/api/uploads/${posterId}`, duration: 12 });
	});

	it('[issue 21 item 14] uploads again a file answered longer ago than reuseUploadForMs before publishing', async () => {
		// Before: the message was published naming the first upload, which the server had swept
		// (3-day grace): refused by R27, three recoveries, then dropped with its files gone.
		let clock = Date.now();
		const uploader = fakeUploader();
		const { outbox, published, store } = setup({ uploader, now: () => clock });
		await outbox.add({
			conversationId: CONVERSATION,
			files: [
				{ blob: file('early'), name: 'early.txt' },
				{ blob: file('late'), name: 'late.txt' }
			]
		});
		expect(uploader.calls.map((c) => c.request.name)).toEqual(['early.txt', 'late.txt']);
		const stale = uploader.answer(0);
		await waitFor(async () => (await store.all())[0]?.files[0]?.uploadedAt === clock, { what: 'first answer stored with its time' });
		clock += MEDIA_OUTBOX_LIMITS.reuseUploadForMs + 60_000; // the second file takes days
		const late = uploader.answer(1);
		await waitFor(() => uploader.calls.length === 3, { what: 'the early file uploaded again' });
		expect(uploader.calls[2]!.request.name).toBe('early.txt');
		expect(published).toHaveLength(0);
		const fresh = uploader.answer(2);
		await waitFor(() => published.length === 1, { what: 'published' });
		const ids = published[0]!.envelope.attachments!.map((a) => a.id);
		expect(ids).toEqual([fresh, late]);
		expect(ids).not.toContain(stale);
	});

	it('[issue 21 item 14] a published message the relay never takes comes back failed, files kept, and a retry sends it again', async () => {
		// Before: the record and its files were deleted at publish; when the conversation's sync gave
		// up after three refusals (R27: an upload swept meanwhile), the message vanished for good.
		const { outbox, published, uploader, store } = setup();
		const record = await outbox.add({ conversationId: CONVERSATION, caption: 'the trip', files: [{ blob: file('photo'), name: 'p.jpg' }] });
		uploader.answer(0);
		await waitFor(() => published.length === 1, { what: 'published' });
		await waitFor(async () => (await store.all())[0]?.published !== undefined, { what: 'kept after publishing' });
		await outbox.undelivered(CONVERSATION, [{ envelope: published[0]!.envelope, reason: 'write: gave up after 3 recoveries' }]);
		const back = outbox.pending(CONVERSATION);
		expect(back).toHaveLength(1);
		expect(back[0]!.record).toMatchObject({ id: record.id, caption: 'the trip', failed: 'write: gave up after 3 recoveries' });
		expect(await back[0]!.record.files[0]!.blob.text()).toBe('photo');
		expect((await store.all())[0]!.failed).toBe('write: gave up after 3 recoveries');
		// Retry uploads the file again (the old upload may be gone) and publishes the same message.
		await outbox.retry(record.id);
		await waitFor(() => uploader.calls.length === 2, { what: 'uploaded again' });
		const again = uploader.answer(1);
		await waitFor(() => published.length === 2, { what: 'published again' });
		expect(published[1]!.envelope).toMatchObject({ id: record.id, text: 'the trip' });
		expect(published[1]!.envelope.attachments!.map((a) => a.id)).toEqual([again]);
	});

	it('[issue 21 item 14] a dropped text message is kept as a failed message with its text, and a retry sends it as text', async () => {
		const { outbox, published } = setup();
		const envelope = { id: 'text-1', author: 'me', createdAt: 5, text: 'do not lose me', replyTo: 'm0' };
		await outbox.undelivered(CONVERSATION, [{ envelope, reason: 'R14: gone' }]);
		expect(outbox.pending(CONVERSATION)[0]!.record).toMatchObject({ id: 'text-1', caption: 'do not lose me', failed: 'R14: gone' });
		// someone else's envelope is not ours to keep
		await outbox.undelivered(CONVERSATION, [{ envelope: { ...envelope, id: 'x', author: 'other' }, reason: 'R1' }]);
		expect(outbox.pending(CONVERSATION)).toHaveLength(1);
		await outbox.retry('text-1');
		await waitFor(() => published.length === 1, { what: 'sent again' });
		expect(published[0]!.envelope).toEqual(envelope);
	});

	it('waits offline, and resumes after a reload with only the files still missing', async () => {
		const uploader = fakeUploader();
		const first = setup({ online: false, uploader });
		await first.outbox.add({
			conversationId: CONVERSATION,
			caption: 'later',
			files: [
				{ blob: file('one'), name: 'one.txt' },
				{ blob: file('two'), name: 'two.txt' }
			]
		});
		expect(uploader.calls).toHaveLength(0);
		first.goOnline();
		expect(uploader.calls).toHaveLength(2);
		uploader.answer(0);
		await waitFor(async () => (await first.store.all())[0]?.files[0]?.upload !== undefined, { what: 'answer stored' });
		first.outbox.destroy(); // the tab closes: the second upload is cut off
		expect(uploader.calls[1]!.aborted).toBe(true);

		const again = fakeUploader();
		const second = setup({ storage: first.storage, uploader: again });
		await second.outbox.loaded;
		expect(second.outbox.pending(CONVERSATION)[0]!.record.caption).toBe('later');
		expect(again.calls.map((c) => c.request.name)).toEqual(['two.txt']);
		again.answer(0);
		await waitFor(() => second.published.length === 1, { what: 'publish after reload' });
		expect(second.published[0]!.envelope.attachments).toHaveLength(2);
	});

	it('a final refusal fails the message with the reason; retry sends again; remove forgets it', async () => {
		const t = setup();
		const record = await t.outbox.add({
			conversationId: CONVERSATION,
			files: [
				{ blob: file('huge'), name: 'huge.bin' },
				{ blob: file('ok'), name: 'ok.txt' }
			]
		});
		t.uploader.calls[0]!.reject(classifyAnswer(413, JSON.stringify({ error: { code: 'too_large', message: 'File too large' } }), null));
		await waitFor(() => t.outbox.pending(CONVERSATION)[0]?.record.failed === 'File too large', { what: 'failed' });
		// the other upload of the message stopped, and nothing new started
		expect(t.uploader.calls[1]!.aborted).toBe(true);
		expect(t.uploader.calls).toHaveLength(2);
		expect((await t.store.all())[0]!.failed).toBe('File too large');
		const views = pendingMediaViews(t.outbox.pending(CONVERSATION), 'me', 'Me', new PreviewUrls());
		expect(views[0]!.uploadError).toBe('File too large');
		expect(views[0]!.attachments!.every((a) => a.failed)).toBe(true);

		await t.outbox.retry(record.id);
		expect(t.uploader.calls).toHaveLength(4);
		expect(t.outbox.pending(CONVERSATION)[0]!.record.failed).toBeUndefined();

		await t.outbox.remove(record.id);
		expect(t.uploader.calls[2]!.aborted && t.uploader.calls[3]!.aborted).toBe(true);
		expect(t.outbox.pending(CONVERSATION)).toEqual([]);
		expect(await t.store.all()).toEqual([]);
		expect(t.published).toEqual([]);
	});

	it('a retryable failure waits (backoff), and the network coming back retries at once', async () => {
		const t = setup();
		await t.outbox.add({ conversationId: CONVERSATION, files: [{ blob: file('x'), name: 'x.txt' }] });
		t.uploader.calls[0]!.reject(classifyAnswer(503, '{}', '30'));
		await new Promise((r) => setTimeout(r, 10));
		expect(t.uploader.calls).toHaveLength(1);
		expect(t.outbox.pending(CONVERSATION)[0]!.record.failed).toBeUndefined();
		t.goOnline();
		expect(t.uploader.calls).toHaveLength(2);
		t.outbox.destroy();
	});

	it('never publishes what the relay would refuse: the message fails with the rule instead', async () => {
		const t = setup();
		await t.outbox.add({ conversationId: CONVERSATION, files: [{ blob: file('x'), name: 'x.txt' }] });
		t.uploader.calls[0]!.resolve({ id: 'up9', url: '/elsewhere/up9', mime: 'text/plain', size: 1, kind: 'file' });
		await waitFor(() => t.outbox.pending(CONVERSATION)[0]?.record.failed !== undefined, { what: 'failed' });
		expect(t.published).toEqual([]);
	});

	it("another tab's changes are picked up by refresh: new records appear, sent ones are forgotten", async () => {
		const worker = setup();
		const other = setup({ storage: worker.storage, online: false });
		await Promise.all([worker.outbox.loaded, other.outbox.loaded]);
		await other.outbox.add({ conversationId: CONVERSATION, caption: 'from the other tab', files: [{ blob: file('x'), name: 'x.txt' }] });
		expect(worker.uploader.calls).toHaveLength(0);
		await worker.outbox.refresh();
		expect(worker.uploader.calls).toHaveLength(1);
		worker.uploader.answer(0);
		await waitFor(() => worker.published.length === 1, { what: 'publish' });
		await waitFor(async () => (await worker.store.all())[0]?.published !== undefined, { what: 'record marked published' });
		await worker.outbox.delivered([worker.published[0]!.envelope.id]);
		await waitFor(async () => (await worker.store.all()).length === 0, { what: 'record removed' });
		expect(other.outbox.pending(CONVERSATION)).toHaveLength(1);
		await other.outbox.refresh();
		expect(other.outbox.pending(CONVERSATION)).toEqual([]);
	});

	it('only the tab that works the outbox publishes: another tab seeing a finished message leaves it alone', async () => {
		// The worker's publish is still under way, so the finished record is in the store for the other tab to see.
		const worker = setup({ publishing: () => new Promise(() => {}) });
		const other = setup({ storage: worker.storage, online: false });
		await Promise.all([worker.outbox.loaded, other.outbox.loaded]);
		await worker.outbox.add({ conversationId: CONVERSATION, caption: 'once', files: [{ blob: file('y'), name: 'y.txt' }] });
		worker.uploader.answer(0);
		await waitFor(() => worker.published.length === 1, { what: 'the worker publishing' });
		await other.outbox.refresh();
		other.outbox.pump();
		expect(other.outbox.pending(CONVERSATION)).toHaveLength(1);
		expect(other.published).toEqual([]);
	});

	it('refuses no files, more than the per-message limit, and more than the queue holds', async () => {
		const t = setup({ online: false });
		const add = (files: { blob: Blob; name: string }[]) => t.outbox.add({ conversationId: CONVERSATION, files });
		const reason = (p: Promise<unknown>) =>
			p.then(
				() => null,
				(e: unknown) => (e instanceof MediaRefusedError ? e.reason : e)
			);
		await expect(reason(add([]))).resolves.toBe('empty');
		const eleven = Array.from({ length: MEDIA_OUTBOX_LIMITS.maxFiles + 1 }, (_, i) => ({ blob: file(String(i)), name: `${i}.txt` }));
		await expect(reason(add(eleven))).resolves.toBe('too_many_files');
		const huge = { size: MEDIA_OUTBOX_LIMITS.maxQueuedBytes + 1, type: 'application/octet-stream' } as Blob;
		await expect(reason(add([{ blob: huge, name: 'huge.bin' }]))).resolves.toBe('queue_full');
		expect(await t.store.all()).toEqual([]);
	});
});
