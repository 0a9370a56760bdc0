/** The schema's key formats, validators and the client write helpers (whose output checkUpdate must accept). */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocIndex } from '../../../src/lib/sync/doc-index.js';
import {
	SyncWriteError,
	appendMessage,
	deleteMessage,
	editMessage,
	markRead,
	messageText,
	pinMessage,
	readPosition,
	setReaction,
	unpinMessage
} from '../../../src/lib/sync/doc-ops.js';
import { conversationTypes, parseReactionKey, parseReadKey, reactionKey, readKey } from '../../../src/lib/sync/schema.js';
import { envelopeProblem, utf8Length } from '../../../src/lib/sync/validate.js';
import { craftUpdate } from './craft.js';
import { both, env, expectAccepted, expectRefused, freshClientId, seededGroup } from './support.js';

describe('schema: keys and validators', () => {
	it('builds and parses reaction and read keys, refusing malformed ones', () => {
		expect(parseReactionKey(reactionKey('m1', 'u1'))).toEqual({ messageId: 'm1', userId: 'u1' });
		expect(parseReadKey(readKey('u1'))).toEqual({ userId: 'u1' });
		expect(parseReadKey(readKey('u1', 'phone'))).toEqual({ userId: 'u1', device: 'phone' });
		for (const bad of ['', 'm1', 'm1:', ':u1', 'm1:u1:x', 'm 1:u1']) expect(parseReactionKey(bad)).toBeNull();
		for (const bad of ['', 'u1:', 'u1:a:b', 'ü']) expect(parseReadKey(bad)).toBeNull();
	});

	it('counts UTF-8 bytes like TextEncoder', () => {
		for (const s of ['', 'abc', 'é', '€', '😀', 'a😀é€', '\ud800x']) expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
	});

	it('[R10] refuses an envelope whose __proto__ key swaps its prototype when lib0 decodes it', () => {
		const { relay } = seededGroup();
		// JSON.parse makes "__proto__" an own key, which lib0's writeAny encodes as a field;
		// lib0's readAny then assigns obj["__proto__"] = {...}, replacing the prototype
		const hostile = JSON.parse('{"id":"c9","author":"carol","createdAt":1,"text":"","__proto__":{"kind":"system"}}') as unknown;
		expect(envelopeProblem(hostile)).toMatch(/__proto__/);
		const update = craftUpdate([{ client: freshClientId(), clock: 0, structs: [{ parent: 'messages', content: [hostile] }] }]);
		const decoded = (Y.decodeUpdate(update).structs[0] as Y.Item).content.getContent()[0] as object;
		expect(Object.getPrototypeOf(decoded)).not.toBe(Object.prototype);
		expectRefused(relay, 'carol', [update], 'R10');
	});
});

describe('doc-ops: helpers write what the relay accepts', () => {
	it('[R10] appendMessage validates before writing', () => {
		const doc = new Y.Doc();
		expect(() => appendMessage(doc, { ...env('m1', 'u1'), text: 7 as never })).toThrow(SyncWriteError);
		expect(conversationTypes(doc).messages.length).toBe(0);
	});

	it('[R16][R17][R18][R19] the helpers produce accepted updates', () => {
		const { relay, alice, carol } = seededGroup();
		appendMessage(carol.doc, env('c2', 'carol'));
		editMessage(carol.doc, 'carol', 'c2', 'edited', 5);
		setReaction(carol.doc, 'carol', 'a1', ['👍']);
		expect(markRead(carol.doc, 'carol', 'c2', 6, 'phone')).toBe(true);
		expectAccepted(relay, 'carol', both(carol));
		carol.send();
		expect(messageText(carol.doc, env('c2', 'carol'))).toBe('edited');
		expect(() => editMessage(carol.doc, 'carol', 'a1', 'not mine', 5)).toThrow(SyncWriteError);
		setReaction(carol.doc, 'carol', 'a1', []);
		expectAccepted(relay, 'carol', both(carol));
		alice.pull();
		pinMessage(alice.doc, 'alice', 'c2', 7);
		alice.send();
		unpinMessage(alice.doc, 'c2');
		expectAccepted(relay, 'alice', both(alice));
	});

	it('readPosition is the newest message over all of a user’s keys; markRead never moves it back', () => {
		const doc = new Y.Doc();
		for (const id of ['m1', 'm2', 'm3', 'm4']) appendMessage(doc, env(id, 'u2'));
		expect(readPosition(doc, 'u1')).toBeNull();
		expect(markRead(doc, 'u1', 'm3', 1, 'laptop')).toBe(true);
		expect(markRead(doc, 'u1', 'm2', 2, 'phone')).toBe(false); // behind the laptop
		expect(readPosition(doc, 'u1')).toEqual({ messageId: 'm3', index: 2 });
		conversationTypes(doc).reads.set(readKey('u1', 'phone'), { messageId: 'm1', at: 3 }); // a lagging device
		expect(readPosition(doc, 'u1')).toEqual({ messageId: 'm3', index: 2 });
		expect(markRead(doc, 'u1', 'm4', 4, 'phone')).toBe(true);
		expect(readPosition(doc, 'u1')).toEqual({ messageId: 'm4', index: 3 });
		expect(readPosition(doc, 'u2')).toBeNull();
	});

	it('[R18][R20] deleteMessage of an unsynced own message leaves nothing the relay would refuse', () => {
		const { relay, carol } = seededGroup();
		appendMessage(carol.doc, env('c2', 'carol'));
		editMessage(carol.doc, 'carol', 'c2', 'typo', 2);
		markRead(carol.doc, 'carol', 'c2', 3);
		deleteMessage(carol.doc, 'carol', 'c2');
		expect(carol.t.reads.get('carol')?.messageId).toBe('c1'); // moved back to the previous message
		expectAccepted(relay, 'carol', both(carol));
	});
});

describe('DocIndex', () => {
	it('indexes existing messages, follows new ones, and keeps ids added and deleted in one transaction', () => {
		const doc = new Y.Doc();
		appendMessage(doc, env('m1', 'u1'));
		const index = new DocIndex(doc, { tombstones: [{ id: 'gone', author: 'u3' }] });
		expect(index.author('m1')).toBe('u1');
		expect(index.author('gone')).toBe('u3');
		appendMessage(doc, env('m2', 'u2'));
		doc.transact(() => {
			appendMessage(doc, env('m3', 'u2'));
			conversationTypes(doc).messages.delete(2, 1);
		});
		expect([index.author('m2'), index.author('m3'), index.size]).toEqual(['u2', 'u2', 4]);
		index.destroy();
		appendMessage(doc, env('m4', 'u2'));
		expect(index.has('m4')).toBe(false);
	});
});

describe('values PostgreSQL could not store', () => {
	it('[R10] refuses message text with a NUL character and timestamps beyond 10^13 ms', async () => {
		const { textProblem, isTimestamp } = await import('../../../src/lib/sync/validate.js');
		expect(textProblem('a\u0000b')).toMatch(/NUL/);
		expect(textProblem('ordinary text')).toBeNull();
		expect(isTimestamp(Date.now())).toBe(true);
		expect(isTimestamp(2 ** 52)).toBe(false);
	});
});
