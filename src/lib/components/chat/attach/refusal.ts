/** Why files were not queued, in words. */
import * as m from '$lib/i18n/paraglide/messages.js';
import type { MediaRefusal } from '$lib/client/uploads/media-outbox';
import { MEDIA_OUTBOX_LIMITS } from '$lib/client/uploads/media-outbox';

export function refusalText(reason: MediaRefusal | null): string | null {
	switch (reason) {
		case null:
		case 'empty':
			return null;
		case 'too_many_files':
			return m.attach_too_many({ max: MEDIA_OUTBOX_LIMITS.maxFiles });
		case 'queue_full':
			return m.attach_queue_full();
		case 'storage':
			return m.attach_storage();
	}
}

const VOICE: Record<string, () => string> = {
	cancelled: m.attach_voice_cancelled,
	sending: m.attach_voice_sending,
	denied: m.attach_voice_denied
};

/** A voice notice in words ('' for none). */
export const voiceNoticeText = (notice: string): string => VOICE[notice]?.() ?? '';
