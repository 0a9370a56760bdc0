// The message menu's permissions (src/lib/shared/roles.ts) against the relay itself (issue 17,
// finding 1): for every role, conversation kind, author and message kind, what the menu offers is
// a write the relay's `checkUpdate` accepts; for text messages (no screen-only limits) the two
// agree exactly. The menu is derived from `sync/rules.ts`, so this holds by construction; the
// test keeps it so.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate } from '$lib/sync/check-update';
import { conversationTypes, type Envelope } from '$lib/sync/schema';
import { SyncWriteError } from '$lib/sync/doc-ops';
import { writeAndCapture, type WriteOp } from '$lib/client/sync/write-ops';
import { CONVERSATION_KINDS, ROLES, messagePermissions, type ConversationKind, type MessageKind, type Role } from '$lib/shared/roles';
import { samePerson, toPerson } from '$lib/shared/people';

const ME = 'me-user';
const OTHER = 'other-user';
const MESSAGE = 'message-1';
const AUTHOR_CLIENT = 101;
const MY_CLIENT = 202;

function message(kind: MessageKind, author: string): Record<string, unknown> {
	const base = { id: MESSAGE, author, createdAt: 1_700_000_000_000, text: 'hello' };
	if (kind === 'text') return base;
	if (kind === 'sticker') return { ...base, text: '', kind, sticker: { pack: 'parley', id: 'hello' } };
	if (kind === 'system') return { ...base, text: '', kind, system: { event: 'joined', userId: author } };
	return { ...base, kind, attachments: [{ id: 'upload-1', url: '/api/uploads/upload-1', mime: 'image/png', size: 10, name: 'a.png' }] };
}

/** Whether the relay accepts `op` by me on a document holding one message of `kind` by `author`. */
function relayAccepts(op: WriteOp, role: Role, conversation: ConversationKind, kind: MessageKind, author: string): boolean {
	const server = new Y.Doc();
	server.clientID = AUTHOR_CLIENT;
	conversationTypes(server).messages.push([message(kind, author) as unknown as Envelope]);
	const mine = new Y.Doc();
	Y.applyUpdate(mine, Y.encodeStateAsUpdate(server));
	mine.clientID = MY_CLIENT;
	let update: Uint8Array | null;
	try {
		update = writeAndCapture(mine, ME, op);
	} catch (error) {
		if (error instanceof SyncWriteError) return false; // the shared helper refuses what the relay would
		throw error;
	}
	if (update === null) return false;
	const owners = new Map([
		[AUTHOR_CLIENT, author],
		[MY_CLIENT, ME]
	]);
	return checkUpdate(server, update, { userId: ME, role, kind: conversation, clientOwner: (id) => owners.get(id) }).ok;
}

const OPS = {
	reply: { kind: 'send', envelope: { id: 'reply-1', author: ME, createdAt: 1_700_000_000_001, text: 'yes', replyTo: MESSAGE } },
	react: { kind: 'react', messageId: MESSAGE, emoji: ['👍'] },
	edit: { kind: 'edit', messageId: MESSAGE, text: 'changed', editedAt: 1_700_000_000_002 },
	pin: { kind: 'pin', messageId: MESSAGE, at: 1_700_000_000_003 },
	delete: { kind: 'delete', messageId: MESSAGE }
} satisfies Record<string, WriteOp>;

describe('messagePermissions agree with the relay (R14–R19, R23)', () => {
	const kinds: MessageKind[] = ['text', 'media', 'sticker', 'system'];
	for (const conversation of CONVERSATION_KINDS)
		for (const role of ROLES)
			it(`${role} in a ${conversation}`, () => {
				for (const kind of kinds)
					for (const own of [true, false]) {
						const offered = messagePermissions({ own, kind, role, conversation });
						for (const [action, op] of Object.entries(OPS) as [keyof typeof OPS, WriteOp][]) {
							const accepted = relayAccepts(op, role, conversation, kind, own ? ME : OTHER);
							const what = `${action} on ${own ? 'my' : "another's"} ${kind} message`;
							// offered ⇒ accepted, always; for text (no screen-only limits) accepted ⇒ offered too
							if (offered[action]) expect(accepted, what).toBe(true);
							if (kind === 'text') expect(offered[action], what).toBe(accepted);
						}
					}
			});
});

describe('one person shape', () => {
	it('maps any user-like record to the four public fields, without an empty avatar', () => {
		const row = { id: 'u1', username: 'ann', displayName: 'Ann', avatarUrl: null, role: 'admin', email: 'x@y' };
		expect(toPerson(row)).toEqual({ id: 'u1', username: 'ann', displayName: 'Ann' });
		const withAvatar = toPerson({ ...row, avatarUrl: '/api/avatars/u1' });
		expect(withAvatar).toEqual({ id: 'u1', username: 'ann', displayName: 'Ann', avatarUrl: '/api/avatars/u1' });
		expect(samePerson(withAvatar, toPerson(row))).toBe(false);
		expect(samePerson(withAvatar, { ...withAvatar })).toBe(true);
	});
});
