/**
 * How a client writes a conversation document so that the relay accepts it: small pure helpers
 * that validate first and write in one transaction. Anything they refuse would be refused by
 * checkUpdate too (and a refused update wedges the client's Yjs client id: YJS-NOTES).
 */
import * as Y from 'yjs';
import { conversationTypes, isValidId, parseReadKey, reactionKey, readKey, type Envelope } from './schema.js';
import { envelopeProblem, isTimestamp, reactionValueProblem, textProblem } from './validate.js';

/** Thrown by a helper instead of writing something the relay would refuse. */
export class SyncWriteError extends Error {}

function check(problem: string | null): void {
	if (problem !== null) throw new SyncWriteError(problem);
}

/** A message found in `messages`: its envelope and live index. */
export interface FoundMessage {
	envelope: Envelope;
	index: number;
}

/** Finds a live message by id (scans from the newest: recent messages are the ones acted on). */
export function findMessage(doc: Y.Doc, messageId: string): FoundMessage | null {
	const all = conversationTypes(doc).messages.toArray();
	for (let i = all.length - 1; i >= 0; i--) {
		const envelope = all[i];
		if (envelope?.id === messageId) return { envelope, index: i };
	}
	return null;
}

/** Appends `envelope` (author must be the writing user; ids must be fresh, e.g. crypto.randomUUID()). */
export function appendMessage(doc: Y.Doc, envelope: Envelope): void {
	check(envelopeProblem(envelope));
	const { messages } = conversationTypes(doc);
	// push walks from the last search marker; reading the last element first creates one near the
	// end, else every push on a freshly loaded long array walks the whole list (YJS-NOTES, Cost)
	if (messages.length > 0) messages.get(messages.length - 1);
	messages.push([envelope]);
}

/** Sets the text of `userId`'s own message `messageId`. */
export function editMessage(doc: Y.Doc, userId: string, messageId: string, text: string, editedAt: number): void {
	check(textProblem(text));
	if (!isTimestamp(editedAt)) throw new SyncWriteError('editedAt must be a timestamp');
	const found = findMessage(doc, messageId);
	if (found === null) throw new SyncWriteError(`no message ${messageId}`);
	if (found.envelope.author !== userId) throw new SyncWriteError('only the author edits a message');
	conversationTypes(doc).edits.set(messageId, { text, editedAt });
}

/** The text to show for `envelope`: its edit if any, else its own. */
export function messageText(doc: Y.Doc, envelope: Envelope): string {
	return conversationTypes(doc).edits.get(envelope.id)?.text ?? envelope.text;
}

/**
 * Deletes message `messageId` as `userId` (their own, or anyone's for owner/admin). Also removes
 * the author's own edit of it and moves `userId`'s read markers off it, so that an offline
 * "send, mark read, delete" never leaves a value naming a message the relay never saw (R18).
 */
export function deleteMessage(doc: Y.Doc, userId: string, messageId: string): void {
	const found = findMessage(doc, messageId);
	if (found === null) return;
	const t = conversationTypes(doc);
	const previous = found.index > 0 ? t.messages.get(found.index - 1) : undefined;
	doc.transact(() => {
		t.messages.delete(found.index, 1);
		if (found.envelope.author === userId && t.edits.has(messageId)) t.edits.delete(messageId);
		for (const [key, value] of t.reads.entries()) {
			if (value.messageId !== messageId || parseReadKey(key)?.userId !== userId) continue;
			if (previous === undefined) t.reads.delete(key);
			else t.reads.set(key, { messageId: previous.id, at: value.at });
		}
	});
}

/** Sets `userId`'s reaction to `messageId` (distinct emoji; an empty list removes it). */
export function setReaction(doc: Y.Doc, userId: string, messageId: string, emoji: string[]): void {
	if (!isValidId(messageId) || !isValidId(userId)) throw new SyncWriteError('invalid id');
	const { reactions } = conversationTypes(doc);
	const key = reactionKey(messageId, userId);
	if (emoji.length === 0) {
		if (reactions.has(key)) reactions.delete(key);
		return;
	}
	check(reactionValueProblem(emoji));
	reactions.set(key, [...emoji]);
}

/** A user's read position: the newest message any of their keys names. */
export interface ReadPosition {
	messageId: string;
	/** live index in `messages` */
	index: number;
}

/**
 * `userId`'s read position: the maximum, by order in `messages`, over all their `reads` keys
 * (one per device). A max-register: a device lagging behind never pulls it back.
 */
export function readPosition(doc: Y.Doc, userId: string): ReadPosition | null {
	const t = conversationTypes(doc);
	const named = new Set<string>();
	for (const [key, value] of t.reads.entries()) if (parseReadKey(key)?.userId === userId) named.add(value.messageId);
	if (named.size === 0) return null;
	const all = t.messages.toArray();
	for (let i = all.length - 1; i >= 0; i--) {
		const id = all[i]?.id;
		if (id !== undefined && named.has(id)) return { messageId: id, index: i };
	}
	return null; // every named message is gone
}

/**
 * Marks `messageId` read for `userId` (under the device's own key when given). Does nothing and
 * returns false unless it moves the user's read position forward.
 */
export function markRead(doc: Y.Doc, userId: string, messageId: string, at: number, device?: string): boolean {
	if (!isValidId(userId) || (device !== undefined && !isValidId(device))) throw new SyncWriteError('invalid id');
	if (!isTimestamp(at)) throw new SyncWriteError('at must be a timestamp');
	const found = findMessage(doc, messageId);
	if (found === null) throw new SyncWriteError(`no message ${messageId}`);
	const current = readPosition(doc, userId);
	if (current !== null && current.index >= found.index) return false;
	conversationTypes(doc).reads.set(readKey(userId, device), { messageId, at });
	return true;
}

/** Pins `messageId` as `userId` (owner/admin, or either member of a direct conversation). */
export function pinMessage(doc: Y.Doc, userId: string, messageId: string, at: number): void {
	if (!isValidId(userId) || !isTimestamp(at)) throw new SyncWriteError('invalid pin');
	if (findMessage(doc, messageId) === null) throw new SyncWriteError(`no message ${messageId}`);
	conversationTypes(doc).pins.set(messageId, { by: userId, at });
}

/** Unpins `messageId` (same roles as pinning). */
export function unpinMessage(doc: Y.Doc, messageId: string): void {
	const { pins } = conversationTypes(doc);
	if (pins.has(messageId)) pins.delete(messageId);
}
