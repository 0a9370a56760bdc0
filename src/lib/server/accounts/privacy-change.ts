/**
 * Changing privacy settings, with what follows: open sockets re-read what they may write, and
 * turning read receipts off removes the user's read markers from every conversation (R24).
 */
import type { z } from 'zod';
import type { Runtime } from '../runtime.js';
import { removeReadKeys } from '../inbox/read-markers.js';
import { getPrivacy, updatePrivacy, type Privacy, type privacyPatchSchema } from './privacy.js';

/** Applies a privacy patch for `userId`; returns the settings now in force. */
export async function changePrivacy(
	runtime: Pick<Runtime, 'db' | 'docs' | 'events'>,
	userId: string,
	patch: z.output<typeof privacyPatchSchema>
): Promise<Privacy> {
	const before = await getPrivacy(runtime.db, userId);
	const after = await updatePrivacy(runtime.db, userId, patch);
	// First the sockets (no new read keys from now on), then the old keys go.
	runtime.events.emit('privacyChanged', { userId, readReceipts: after.readReceipts });
	if (before.readReceipts && !after.readReceipts) await removeReadKeys(runtime.db, runtime.docs, userId);
	return after;
}
