/**
 * A conversation document's messages as index input, on the page's side (it reads the Y.Doc the
 * page already holds; the worker gets plain data): every message with its current text now
 * (`messagesOf`, for `sync` after the document loaded), then each change as it happens
 * (`watchMessages`, for `apply`): appended envelopes, edits, deletions. No Svelte, no worker:
 * Node tests drive it with Yjs documents.
 */
import type * as Y from 'yjs';
import { CONVERSATION_ROOTS, type Envelope } from '$lib/sync/schema';
import type { IndexChange, IndexMessage } from './local-index.js';

type Edit = { text: string; editedAt: number };

function indexMessage(envelope: Envelope, edit: Edit | undefined): IndexMessage {
	return {
		id: envelope.id,
		authorId: envelope.author,
		createdAt: envelope.createdAt,
		text: edit?.text ?? envelope.text,
		...(edit ? { editedAt: edit.editedAt } : {}),
		...(envelope.kind ? { kind: envelope.kind } : {})
	};
}

const isEnvelope = (value: unknown): value is Envelope =>
	typeof value === 'object' && value !== null && typeof (value as Envelope).id === 'string' && typeof (value as Envelope).text === 'string';

/** Every message of the document now, with its current text (one pass over the array). */
export function messagesOf(doc: Y.Doc): IndexMessage[] {
	const edits = doc.getMap<Edit>(CONVERSATION_ROOTS.edits);
	return doc
		.getArray<Envelope>(CONVERSATION_ROOTS.messages)
		.toArray()
		.filter(isEnvelope)
		.map((envelope) => indexMessage(envelope, edits.get(envelope.id)));
}

/**
 * Calls `onChanges` with the index changes of each transaction that touches the messages or their
 * edits; returns the function that stops watching (calling it again does nothing).
 */
export function watchMessages(doc: Y.Doc, conversationId: string, onChanges: (changes: IndexChange[]) => void): () => void {
	const messages = doc.getArray<Envelope>(CONVERSATION_ROOTS.messages);
	const edits = doc.getMap<Edit>(CONVERSATION_ROOTS.edits);
	// Envelope by id, for an edit that arrives without its message in the same transaction; built on first need.
	let byId: Map<string, Envelope> | null = null;
	const envelope = (id: string) =>
		(byId ??= new Map(
			messages
				.toArray()
				.filter(isEnvelope)
				.map((e) => [e.id, e])
		)).get(id);

	const onMessages = (event: Y.YArrayEvent<Envelope>) => {
		const changes: IndexChange[] = [];
		for (const item of event.changes.deleted)
			for (const value of item.content.getContent())
				if (isEnvelope(value)) {
					byId?.delete(value.id);
					changes.push({ type: 'delete', conversationId, messageId: value.id });
				}
		for (const part of event.changes.delta)
			for (const value of part.insert ?? [])
				if (isEnvelope(value)) {
					byId?.set(value.id, value);
					changes.push({ type: 'upsert', conversationId, message: indexMessage(value, edits.get(value.id)) });
				}
		if (changes.length) onChanges(changes);
	};
	const onEdits = (event: Y.YMapEvent<Edit>) => {
		const changes: IndexChange[] = [];
		for (const id of event.keysChanged) {
			const message = envelope(id);
			if (message) changes.push({ type: 'upsert', conversationId, message: indexMessage(message, edits.get(id)) });
		}
		if (changes.length) onChanges(changes);
	};
	messages.observe(onMessages);
	edits.observe(onEdits);
	let watching = true;
	// idempotent: a conversation forgotten and then closed stops twice (Yjs logs an error for an unknown handler)
	return () => {
		if (!watching) return;
		watching = false;
		messages.unobserve(onMessages);
		edits.unobserve(onEdits);
	};
}
