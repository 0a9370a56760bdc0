/**
 * Validators for the plain values clients write into a conversation document. Each returns
 * null when the value is acceptable, else a short reason. They whitelist: unknown fields are
 * refused, so a value means exactly what the schema says to every reader.
 */
import {
	MESSAGE_KINDS,
	SYNC_LIMITS,
	isValidId,
	type Attachment,
	type EditValue,
	type Envelope,
	type PinValue,
	type ReadValue
} from './schema.js';

/** Problem with a value: a short human-readable reason (null when there is none). */
export type Problem = string | null;

const ENVELOPE_FIELDS: ReadonlySet<string> = new Set([
	'id',
	'author',
	'createdAt',
	'text',
	'kind',
	'attachments',
	'replyTo',
	'sticker',
	'mentions'
]);
const ATTACHMENT_FIELDS: ReadonlySet<string> = new Set([
	'id',
	'url',
	'mime',
	'size',
	'name',
	'width',
	'height',
	'thumbUrl',
	'placeholder',
	'duration'
]);
/** an inert raster image inlined as base64 (never SVG: a data: SVG could carry script) */
const PLACEHOLDER_PATTERN = /^data:image\/(?:webp|png|jpeg);base64,[A-Za-z0-9+/]+={0,2}$/;
const STICKER_FIELDS: ReadonlySet<string> = new Set(['pack', 'id']);
const EDIT_FIELDS: ReadonlySet<string> = new Set(['text', 'editedAt']);
const DRAFT_FIELDS: ReadonlySet<string> = new Set(['text', 'at']);
const READ_FIELDS: ReadonlySet<string> = new Set(['messageId', 'at']);
const PIN_FIELDS: ReadonlySet<string> = new Set(['by', 'at']);
/** `type/subtype` with RFC 6838 restricted-name characters */
const MIME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/;

/** UTF-8 byte length of a string without allocating (lone surrogates count 3, as TextEncoder's U+FFFD). */
export function utf8Length(s: string): number {
	let bytes = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c < 0x80) bytes += 1;
		else if (c < 0x800) bytes += 2;
		else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
			bytes += 4;
			i++;
		} else bytes += 3;
	}
	return bytes;
}

/**
 * Whether `v` is a plain object. lib0's decoder builds `{}` and assigns keys, so a `__proto__`
 * key would swap the prototype: requiring Object.prototype refuses that trick too.
 */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function unknownField(obj: Record<string, unknown>, allowed: ReadonlySet<string>): string | undefined {
	for (const key of Object.keys(obj)) if (!allowed.has(key)) return key;
	return undefined;
}

/** Latest timestamp accepted: 10^13 ms is the year 2286; beyond it dates stop being dates (JS Date, SQL). */
const MAX_TIMESTAMP_MS = 1e13;

/** A timestamp in ms since the epoch: a non-negative integer before MAX_TIMESTAMP_MS. */
export function isTimestamp(v: unknown): v is number {
	return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v < MAX_TIMESTAMP_MS;
}

/** Reason why `text` is not acceptable as message or edit text, or null. */
export function textProblem(text: unknown): Problem {
	if (typeof text !== 'string') return 'text must be a string';
	// cheap pre-check: a string longer in UTF-16 units than the byte limit is over it anyway
	if (text.length > SYNC_LIMITS.maxTextBytes || utf8Length(text) > SYNC_LIMITS.maxTextBytes)
		return `text longer than ${SYNC_LIMITS.maxTextBytes} bytes`;
	// PostgreSQL text cannot hold NUL: accepted, it would fail the whole group commit it rides in
	if (text.includes('\u0000')) return 'text contains a NUL character';
	return null;
}

function dimensionProblem(v: unknown, name: string): Problem {
	if (v === undefined) return null;
	if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0 || v > SYNC_LIMITS.maxMediaDimension)
		return `attachment ${name} out of range`;
	return null;
}

/** A same-origin path ("/…" but not "//host"): a remote URL would let a sender track readers. */
function isSameOriginPath(url: unknown): url is string {
	return (
		typeof url === 'string' && url.length <= SYNC_LIMITS.maxUrlLength && url.startsWith('/') && !url.startsWith('//') && !url.includes('\\')
	);
}

/** Reason why `a` is not a valid Attachment, or null. */
export function attachmentProblem(a: unknown): Problem {
	if (!isPlainObject(a)) return 'attachment must be an object';
	const extra = unknownField(a, ATTACHMENT_FIELDS);
	if (extra !== undefined) return `unknown attachment field "${extra}"`;
	const { id, url, mime, size, name, thumbUrl, placeholder, duration } = a as Partial<Record<keyof Attachment, unknown>>;
	if (!isValidId(id)) return 'attachment id invalid';
	if (!isSameOriginPath(url)) return 'attachment url must be a same-origin path';
	if (typeof mime !== 'string' || mime.length > SYNC_LIMITS.maxMimeLength || !MIME_PATTERN.test(mime)) return 'attachment mime invalid';
	if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return 'attachment size invalid';
	if (name !== undefined && (typeof name !== 'string' || name.length === 0 || name.length > SYNC_LIMITS.maxFileNameLength))
		return 'attachment name invalid';
	if (thumbUrl !== undefined && !isSameOriginPath(thumbUrl)) return 'attachment thumbUrl must be a same-origin path';
	if (
		placeholder !== undefined &&
		(typeof placeholder !== 'string' || placeholder.length > SYNC_LIMITS.maxPlaceholderLength || !PLACEHOLDER_PATTERN.test(placeholder))
	)
		return 'attachment placeholder must be a small base64 data URL of a raster image';
	if (
		duration !== undefined &&
		(typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0 || duration > SYNC_LIMITS.maxMediaDurationSeconds)
	)
		return 'attachment duration out of range';
	return dimensionProblem(a.width, 'width') ?? dimensionProblem(a.height, 'height');
}

/**
 * Reason why `v` is not a well-formed Envelope (shape and SYNC_LIMITS only; who may write it is
 * decided by the rules), or null.
 */
export function envelopeProblem(v: unknown): Problem {
	if (!isPlainObject(v)) return 'envelope must be a plain object';
	const extra = unknownField(v, ENVELOPE_FIELDS);
	if (extra !== undefined) return `unknown envelope field "${extra}"`;
	const e = v as Partial<Record<keyof Envelope, unknown>>;
	if (!isValidId(e.id)) return 'envelope id invalid';
	if (!isValidId(e.author)) return 'envelope author invalid';
	if (!isTimestamp(e.createdAt)) return 'envelope createdAt must be a timestamp';
	const textIssue = textProblem(e.text);
	if (textIssue !== null) return textIssue;
	if (e.kind !== undefined && (typeof e.kind !== 'string' || !MESSAGE_KINDS.has(e.kind))) return 'envelope kind unknown';
	if (e.replyTo !== undefined && !isValidId(e.replyTo)) return 'envelope replyTo invalid';
	if (e.attachments !== undefined) {
		if (!Array.isArray(e.attachments) || e.attachments.length === 0 || e.attachments.length > SYNC_LIMITS.maxAttachments) {
			return `attachments must be 1..${SYNC_LIMITS.maxAttachments} items`;
		}
		for (const a of e.attachments) {
			const issue = attachmentProblem(a);
			if (issue !== null) return issue;
		}
	}
	if (e.mentions !== undefined) {
		const issue = mentionsProblem(e.mentions);
		if (issue !== null) return issue;
	}
	const kind = e.kind ?? 'text';
	if (kind === 'sticker') {
		if (!isPlainObject(e.sticker) || unknownField(e.sticker, STICKER_FIELDS) !== undefined) return 'sticker must be {pack, id}';
		if (!isValidId(e.sticker.pack) || !isValidId(e.sticker.id)) return 'sticker ids invalid';
		if (e.attachments !== undefined) return 'a sticker message has no attachments';
	} else if (e.sticker !== undefined) return 'sticker only on kind "sticker"';
	if (kind === 'media' && e.attachments === undefined) return 'a media message needs attachments';
	return null;
}

/** Reason why `v` is not a valid `mentions` list (1..maxMentions distinct user ids), or null. */
export function mentionsProblem(v: unknown): Problem {
	if (!Array.isArray(v) || v.length === 0 || v.length > SYNC_LIMITS.maxMentions)
		return `mentions must be 1..${SYNC_LIMITS.maxMentions} user ids`;
	const seen = new Set<string>();
	for (const id of v) {
		if (!isValidId(id)) return 'mention is not a user id';
		if (seen.has(id)) return 'mention repeated';
		seen.add(id);
	}
	return null;
}

/** Whether `v` is a well-formed Envelope. */
export function isEnvelope(v: unknown): v is Envelope {
	return envelopeProblem(v) === null;
}

/** Reason why `v` is not a valid `edits` value, or null. */
export function editValueProblem(v: unknown): Problem {
	if (!isPlainObject(v) || unknownField(v, EDIT_FIELDS) !== undefined) return 'edit must be {text, editedAt}';
	const e = v as Partial<Record<keyof EditValue, unknown>>;
	if (!isTimestamp(e.editedAt)) return 'editedAt must be a timestamp';
	return textProblem(e.text);
}

/** Reason why `v` is not a valid drafts value (`{text, at}`, R26), or null. */
export function draftValueProblem(v: unknown): Problem {
	if (!isPlainObject(v) || unknownField(v, DRAFT_FIELDS) !== undefined) return 'draft must be {text, at}';
	const d = v as Record<string, unknown>;
	if (!isTimestamp(d.at)) return 'at must be a timestamp';
	return textProblem(d.text);
}

/** Reason why `v` is not a valid `reactions` value (1..max distinct emoji strings), or null. */
export function reactionValueProblem(v: unknown): Problem {
	if (!Array.isArray(v) || v.length === 0 || v.length > SYNC_LIMITS.maxEmojiPerReaction) {
		return `reaction must be 1..${SYNC_LIMITS.maxEmojiPerReaction} emoji`;
	}
	const seen = new Set<string>();
	for (const emoji of v) {
		if (typeof emoji !== 'string' || emoji.length === 0 || emoji.length > SYNC_LIMITS.maxEmojiLength) return 'emoji invalid';
		if (seen.has(emoji)) return 'emoji repeated';
		seen.add(emoji);
	}
	return null;
}

/** Reason why `v` is not a valid `reads` value (shape only; existence is a rule), or null. */
export function readValueProblem(v: unknown): Problem {
	if (!isPlainObject(v) || unknownField(v, READ_FIELDS) !== undefined) return 'read must be {messageId, at}';
	const r = v as Partial<Record<keyof ReadValue, unknown>>;
	if (!isValidId(r.messageId)) return 'read messageId invalid';
	if (!isTimestamp(r.at)) return 'read at must be a timestamp';
	return null;
}

/** Reason why `v` is not a valid `pins` value (shape only; `by` is a rule), or null. */
export function pinValueProblem(v: unknown): Problem {
	if (!isPlainObject(v) || unknownField(v, PIN_FIELDS) !== undefined) return 'pin must be {by, at}';
	const p = v as Partial<Record<keyof PinValue, unknown>>;
	if (!isValidId(p.by)) return 'pin by invalid';
	if (!isTimestamp(p.at)) return 'pin at must be a timestamp';
	return null;
}
