/**
 * What the server writes into a conversation's document: system envelopes (who created, joined,
 * left, was added, removed or re-roled, title changes) appended to `messages`, and the `meta` map
 * (title, kind, description, avatar). The system envelopes are mirrored into the `messages` table
 * by the relay's projection in the same commit as the document update (the path client writes
 * take), so the inbox, unread counts and tombstones see them like any message.
 */
import * as Y from 'yjs';
import type { Runtime } from '../runtime.js';
import { conversationDocName } from '../doc-names.js';
import { randomId } from '../ids.js';
import { CONVERSATION_ROOTS, SERVER_ROOTS, type MetaKey, type SystemEnvelope, type SystemInfo } from '$lib/sync/schema';

/** One system envelope to append: who acted and what happened. */
export interface Notice {
	actor: string;
	system: SystemInfo;
}

/** What writing to documents needs. */
export type SystemDeps = Pick<Runtime, 'db' | 'docs' | 'log' | 'now'>;

/**
 * Appends `notices` and sets `meta` keys in one server write (envelopes mirrored with it). The
 * membership change it reports is already committed, so a failure here is logged, not thrown:
 * the change stands, only its note in the history is missing.
 */
export async function announce(
	deps: SystemDeps,
	conversationId: string,
	notices: readonly Notice[],
	meta: Partial<Record<MetaKey, unknown>> = {}
): Promise<void> {
	const metaEntries = Object.entries(meta).filter(([, value]) => value !== undefined);
	if (notices.length === 0 && metaEntries.length === 0) return;
	const docName = conversationDocName(conversationId);
	const createdAt = deps.now();
	const envelopes: SystemEnvelope[] = notices.map((n) => ({
		id: randomId(),
		author: n.actor,
		createdAt,
		text: '',
		kind: 'system',
		system: n.system
	}));
	try {
		await deps.docs.write(docName, (doc: Y.Doc, mirror) => {
			const metaMap = doc.getMap<unknown>(SERVER_ROOTS.meta);
			for (const [key, value] of metaEntries) metaMap.set(key, value);
			if (envelopes.length) doc.getArray<SystemEnvelope>(CONVERSATION_ROOTS.messages).push(envelopes);
			mirror(envelopes);
		});
	} catch (error) {
		deps.log.warn({ err: error, docName }, 'could not write system envelopes');
	}
}
