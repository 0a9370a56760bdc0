/**
 * Who is writing, where, and what an accepted update changed: the types checkUpdate takes and
 * returns (re-exported by check-update.ts).
 */
import type { Envelope } from './schema.js';

/** A member's role in a conversation (`subscriber` exists in channels: read-only but for reads). */
export type Role = 'owner' | 'admin' | 'member' | 'subscriber';

/** A conversation's kind. */
export type ConversationKind = 'direct' | 'group' | 'channel';

/** What kind of document is being written. */
export type DocKind = ConversationKind | 'inbox' | 'drafts';

/** The sender of an update and what the relay knows about the document's client ids. */
export interface WriteContext {
	userId: string;
	role: Role;
	kind: DocKind;
	/** who already owns a Yjs client id in this doc (persisted binding); undefined = unbound */
	clientOwner(clientId: number): string | undefined;
	/** the server's own client ids (server-written items), never a client's */
	isServerClient?(clientId: number): boolean;
	/**
	 * false when the sender turned read receipts off: their read position goes to the server
	 * privately, never into the shared `reads` map (R24); absent means on
	 */
	readReceipts?: boolean;
	/**
	 * whether `id` names an upload made for this conversation (R27); the relay answers from a
	 * bounded set it keeps per loaded document. Absent: attachments are not checked against uploads
	 */
	isUpload?(id: string): boolean;
	/**
	 * whether `userId` is a member of this conversation (R28: only members are mentioned); the
	 * relay answers from a bounded set it keeps per loaded document. Absent: mentions are not
	 * checked against membership
	 */
	isMember?(userId: string): boolean;
}

/** One edit an accepted update sets. */
export interface EditChange {
	messageId: string;
	text: string;
	editedAt: number;
}

/** What an accepted update changes, for the relational projection of `messages`. */
export interface UpdateChanges {
	/** envelopes appended, in update order (an envelope the same update deletes is also in `deleted`) */
	added: Envelope[];
	/** ids of envelopes this update deletes */
	deleted: string[];
	/**
	 * edits this update sets, in update order (later entries for the same id win); an edit written
	 * concurrently by another device of the same user may still win inside Yjs: read `edits` after
	 * applying when exactness matters
	 */
	edits: EditChange[];
	/**
	 * message ids the sender marked read (any device key), in update order; the relay keeps the
	 * newest per user as a max-register, so a device reporting an older position never moves it back
	 */
	reads: string[];
	/**
	 * reactions this update sets (not removals), in update order: the message and the emoji the
	 * sender now has on it (for reaction notifications)
	 */
	reactions: ReactionChange[];
}

/** One reaction an accepted update sets. */
export interface ReactionChange {
	messageId: string;
	emoji: string[];
}

/** Rule ids of docs/sync-rules.md. */
export type RuleId =
	| 'R1'
	| 'R2'
	| 'R3'
	| 'R4'
	| 'R5'
	| 'R6'
	| 'R7'
	| 'R8'
	| 'R9'
	| 'R10'
	| 'R11'
	| 'R12'
	| 'R13'
	| 'R14'
	| 'R15'
	| 'R16'
	| 'R17'
	| 'R18'
	| 'R19'
	| 'R20'
	| 'R21'
	| 'R22'
	| 'R23'
	| 'R24'
	| 'R26'
	| 'L1'
	| 'L2'
	| 'L3'
	| 'L4'
	| 'L5'
	| 'L6'
	| 'L7'
	| 'L8'
	| 'R27'
	| 'R28';

/** checkUpdate's verdict: accepted with what it binds and changes, or refused by one rule. */
export type CheckResult = { ok: true; newBindings: number[]; changes: UpdateChanges } | { ok: false; rule: RuleId; reason: string };
