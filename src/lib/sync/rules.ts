/**
 * The write rules of SPEC §5 as predicates: who may post, which map keys a sender may write,
 * and which values are acceptable. Each returns null when allowed, else the rule broken.
 */
import type { Role, RuleId, WriteContext } from './context.js';
import {
	CONVERSATION_DOC_ROOTS,
	CONVERSATION_ROOTS,
	DRAFTS_DOC_ROOTS,
	ROOT_TYPES,
	isValidId,
	parseReactionKey,
	parseReadKey,
	type Envelope,
	type RootName
} from './schema.js';
import { parseUploadUrl, uploadUrl } from './uploads.js';
import {
	draftValueProblem,
	editValueProblem,
	envelopeProblem,
	pinValueProblem,
	reactionValueProblem,
	readValueProblem
} from './validate.js';

/** A broken rule with its reason, or null when the write is allowed. */
export type Verdict = { rule: RuleId; reason: string } | null;

/** Roles that moderate a conversation: delete anyone's message, pin, post in a channel. */
export function isModerator(role: Role): boolean {
	return role === 'owner' || role === 'admin';
}

/** Whether `name` is a root type Parley knows. */
export function isKnownRoot(name: string): name is RootName {
	return Object.prototype.hasOwnProperty.call(ROOT_TYPES, name);
}

/** R8: whether a client may write into root `root` of a document of this kind at all. */
export function rootVerdict(ctx: WriteContext, root: string): Verdict {
	if (ctx.kind === 'inbox') return { rule: 'R8', reason: 'the inbox is written by the server only' };
	// R26: a drafts document holds the drafts map and nothing else (and no conversation holds one)
	if (ctx.kind === 'drafts')
		return isKnownRoot(root) && DRAFTS_DOC_ROOTS.has(root) ? null : { rule: 'R26', reason: `a drafts document has no root "${root}"` };
	if (!isKnownRoot(root) || !CONVERSATION_DOC_ROOTS.has(root)) return { rule: 'R8', reason: `unknown root type "${root}"` };
	if (!ROOT_TYPES[root].clientWritable) return { rule: 'R8', reason: `root type "${root}" is written by the server only` };
	return null;
}

/** R14: whether the sender may append to `messages` (channels: owner/admin; subscribers never). */
export function postVerdict(ctx: WriteContext): Verdict {
	if (ctx.role === 'subscriber') return { rule: 'R14', reason: 'subscribers do not post' };
	if (ctx.kind === 'channel' && !isModerator(ctx.role)) return { rule: 'R14', reason: 'only the owner and admins post in a channel' };
	return null;
}

/**
 * R23, for one message: whether the sender may delete it. Moderators delete any message; anyone
 * else only their own, never a system notice (it names its actor as author, yet is the server's
 * record). The relay applies the same rule to the items of a delete set (delete-set.ts).
 */
export function messageDeleteVerdict(ctx: Pick<WriteContext, 'userId' | 'role'>, envelope: { author?: unknown; kind?: unknown }): Verdict {
	if (isModerator(ctx.role)) return null;
	if (envelope.kind === 'system') return { rule: 'R23', reason: 'delete of a system notice' };
	if (envelope.author !== ctx.userId) return { rule: 'R23', reason: "delete of another user's message" };
	return null;
}

/** Answers "who wrote message X?" from the server's index and this update's new envelopes. */
export type AuthorOf = (messageId: string) => string | undefined;

/** How strictly a map key is checked (see R20). */
export interface KeyCheck {
	/**
	 * skip "the message exists" conditions: only for an item that arrives already deleted while
	 * the server holds no live value for its key, which therefore changes nothing anyone sees
	 */
	waiveExistence: boolean;
}

/**
 * R15–R19: whether the sender may write (set, overwrite or delete) key `key` of map `root`.
 * Overwriting deletes the key's previous value, so this is also the rule for deleting it.
 */
export function keyVerdict(ctx: WriteContext, authorOf: AuthorOf, root: RootName, key: string, check: KeyCheck): Verdict {
	if (ctx.role === 'subscriber' && root !== CONVERSATION_ROOTS.reads) {
		return { rule: 'R15', reason: `subscribers write only their own reads, not "${root}"` };
	}
	switch (root) {
		case 'edits': {
			if (!isValidId(key)) return { rule: 'R16', reason: 'edits key is not a message id' };
			if (check.waiveExistence) return null;
			const author = authorOf(key);
			if (author === undefined) return { rule: 'R16', reason: `edit of unknown message ${key}` };
			if (author !== ctx.userId) return { rule: 'R16', reason: `edit of ${author}'s message` };
			return null;
		}
		case 'reactions': {
			const parsed = parseReactionKey(key);
			if (parsed === null) return { rule: 'R17', reason: 'reactions key is not <messageId>:<userId>' };
			if (parsed.userId !== ctx.userId) return { rule: 'R17', reason: `reaction key of user ${parsed.userId}` };
			return null;
		}
		case 'reads': {
			const parsed = parseReadKey(key);
			if (parsed === null) return { rule: 'R18', reason: 'reads key is not <userId>[:<device>]' };
			if (parsed.userId !== ctx.userId) return { rule: 'R18', reason: `read key of user ${parsed.userId}` };
			// R24: with receipts off nobody may see where I am, so my position never enters the document
			if (ctx.readReceipts === false) return { rule: 'R24', reason: 'read receipts are off: report reads privately' };
			return null;
		}
		case 'pins': {
			if (!isModerator(ctx.role) && ctx.kind !== 'direct') return { rule: 'R19', reason: 'only the owner and admins pin' };
			if (!isValidId(key)) return { rule: 'R19', reason: 'pins key is not a message id' };
			if (!check.waiveExistence && authorOf(key) === undefined) return { rule: 'R19', reason: `pin of unknown message ${key}` };
			return null;
		}
		case 'drafts':
			return isValidId(key) ? null : { rule: 'R26', reason: 'drafts key is not a conversation id' };
		default:
			return { rule: 'R9', reason: `"${root}" has no keys` };
	}
}

/** R10–R12: whether `value` may be appended to `messages` by the sender (R13, uniqueness, is the caller's). */
export function envelopeVerdict(ctx: WriteContext, value: unknown): Verdict {
	const problem = envelopeProblem(value);
	if (problem !== null) return { rule: 'R10', reason: problem };
	const e = value as { author: string; kind?: string };
	if (e.author !== ctx.userId) return { rule: 'R11', reason: `envelope author ${e.author} is not the sender` };
	if (e.kind === 'system') return { rule: 'R12', reason: 'system messages are written by the server only' };
	return uploadsVerdict(ctx, value as Envelope) ?? mentionsVerdict(ctx, value as Envelope);
}

/** R28: everyone an envelope mentions is a member of the conversation. */
export function mentionsVerdict(ctx: WriteContext, envelope: Envelope): Verdict {
	const isMember = ctx.isMember;
	if (!isMember || !envelope.mentions) return null;
	for (const id of envelope.mentions) if (!isMember(id)) return { rule: 'R28', reason: `mention of ${id}, who is not a member` };
	return null;
}

/** R27: an envelope's attachments name uploads made for this conversation, at their own URLs. */
export function uploadsVerdict(ctx: WriteContext, envelope: Envelope): Verdict {
	const isUpload = ctx.isUpload;
	if (!isUpload || !envelope.attachments) return null;
	for (const a of envelope.attachments) {
		if (!isUpload(a.id)) return { rule: 'R27', reason: `attachment ${a.id} is not an upload of this conversation` };
		if (a.url !== uploadUrl(a.id)) return { rule: 'R27', reason: `attachment ${a.id} has another upload's URL` };
		// a thumbnail may be another upload (a video's poster frame), but one of this conversation
		const thumb = a.thumbUrl === undefined ? null : parseUploadUrl(a.thumbUrl);
		if (a.thumbUrl !== undefined && (thumb === null || !isUpload(thumb.id)))
			return { rule: 'R27', reason: `attachment ${a.id} has a thumbnail outside this conversation's uploads` };
	}
	return null;
}

/** R16–R19: whether `value` is acceptable under map `root` from the sender. */
export function mapValueVerdict(ctx: WriteContext, authorOf: AuthorOf, root: RootName, value: unknown): Verdict {
	switch (root) {
		case 'edits': {
			const problem = editValueProblem(value);
			return problem === null ? null : { rule: 'R16', reason: problem };
		}
		case 'reactions': {
			const problem = reactionValueProblem(value);
			return problem === null ? null : { rule: 'R17', reason: problem };
		}
		case 'reads': {
			const problem = readValueProblem(value);
			if (problem !== null) return { rule: 'R18', reason: problem };
			const { messageId } = value as { messageId: string };
			if (authorOf(messageId) === undefined) return { rule: 'R18', reason: `read of unknown message ${messageId}` };
			return null;
		}
		case 'pins': {
			const problem = pinValueProblem(value);
			if (problem !== null) return { rule: 'R19', reason: problem };
			if ((value as { by: string }).by !== ctx.userId) return { rule: 'R19', reason: 'pin "by" is not the sender' };
			return null;
		}
		case 'drafts': {
			const problem = draftValueProblem(value);
			return problem === null ? null : { rule: 'R26', reason: problem };
		}
		default:
			return { rule: 'R9', reason: `"${root}" takes no keyed values` };
	}
}
