/**
 * Removes what no message needs any more: uploads no live message references (once sent and then
 * unsent: at once; never sent: after `uploadPendingGraceMs`), then the files no upload uses
 * (after `uploadBlobGraceMs`), and temporary files left by a killed process (after
 * `uploadPendingGraceMs`). Each pass removes at most `uploadSweepBatch` of each, in short
 * transactions; files are unlinked inside the transaction that deletes their rows.
 */
import { blobStoreOf, type UploadDeps } from './service.js';
import { removeFreeBlobs, removeFreeUploads } from './store.js';

/** What one pass removed. */
export interface SweepResult {
	uploads: number;
	files: number;
}

/** One bounded pass. */
export async function sweepUploads(deps: UploadDeps): Promise<SweepResult> {
	const { limits } = deps.config;
	const now = deps.now();
	const removed = await deps.db.transaction((tx) => removeFreeUploads(tx, now - limits.uploadPendingGraceMs, limits.uploadSweepBatch));
	if (removed.length)
		deps.events.emit('uploadsRemoved', { uploads: removed.map((r) => ({ conversationId: r.conversation_id, uploadId: r.id })) });
	const blobs = blobStoreOf(deps.config);
	const files = await deps.db.transaction(async (tx) => {
		const hashes = await removeFreeBlobs(tx, now - limits.uploadBlobGraceMs, limits.uploadSweepBatch);
		// Before commit: an upload of the same bytes waits for this transaction, then puts them back.
		for (const sha of hashes) await blobs.remove(sha);
		return hashes.length;
	});
	// Temporary files of uploads that never finished (the process was killed mid-upload).
	await blobs.removeStaleTemps(now - limits.uploadPendingGraceMs, limits.uploadSweepBatch);
	return { uploads: removed.length, files };
}

/** Sweeps every `uploadSweepIntervalMs` (full batches: again at once); returns the stop function. */
export function startSweeper(deps: UploadDeps): () => void {
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;
	const run = async () => {
		let again = false;
		try {
			const result = await sweepUploads(deps);
			if (result.uploads || result.files) deps.log.info(result, 'unreferenced uploads removed');
			again = result.uploads === deps.config.limits.uploadSweepBatch || result.files === deps.config.limits.uploadSweepBatch;
		} catch (error) {
			deps.log.warn({ err: error }, 'upload sweep failed');
		}
		if (stopped) return;
		timer = setTimeout(run, again ? 0 : deps.config.limits.uploadSweepIntervalMs);
		timer.unref();
	};
	timer = setTimeout(run, deps.config.limits.uploadSweepIntervalMs);
	timer.unref();
	return () => {
		stopped = true;
		clearTimeout(timer);
	};
}
