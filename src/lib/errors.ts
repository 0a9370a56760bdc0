/**
 * The API's error contract, shared by the server (which answers with it) and by pages and
 * clients (which read it): `{"error": {"code", "message", "field"?}}` (SPEC §3). `field` names the
 * input at fault, so nobody has to parse it out of `message`. Imports neither `$app` nor Node.
 */

/** Every machine-readable code an error answer may carry. */
export const ERROR_CODES = [
	'account_disabled',
	'already_member',
	'backup_running',
	'bad_origin',
	'blocked',
	'busy',
	'code_required',
	'confirmation_required',
	'conversation_full',
	'database_unavailable',
	'email_taken',
	'forbidden',
	'internal',
	'invalid_code',
	'invalid_credentials',
	'invalid_input',
	'invalid_invite',
	'invalid_json',
	'invalid_token',
	'invite_required',
	'last_admin',
	'length_required',
	'limit_reached',
	'no_setup',
	'not_found',
	'not_pending',
	'password_required',
	'quota_exceeded',
	'rate_limited',
	'registration_closed',
	'self',
	'storage_full',
	'too_large',
	'too_many_conversations',
	'too_many_invites',
	'too_many_streams',
	'two_factor_enabled',
	'unauthenticated',
	'unsupported_media_type',
	'unsupported_type',
	'username_taken',
	'weak_password',
	'wrong_code',
	'wrong_password'
] as const;

/** A machine-readable error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The `error` object of an error answer. */
export interface ErrorBody {
	code: ErrorCode;
	message: string;
	/** The input at fault (a body key such as `displayName`, a query parameter `q`, a path part `id`). */
	field?: string;
}

/** A whole error answer, as sent. */
export interface ErrorAnswer {
	error: ErrorBody;
}

const KNOWN = new Set<string>(ERROR_CODES);

/** True for a code this version knows. */
export function isErrorCode(value: unknown): value is ErrorCode {
	return typeof value === 'string' && KNOWN.has(value);
}

/** The message text of a field's error: `field: problem` (what people reading raw answers expect). */
export function fieldMessage(field: string, problem: string): string {
	return `${field}: ${problem}`;
}

/** The `error` of a parsed answer body, or null when it is not one (a client reading any answer). */
export function readErrorAnswer(body: unknown): ErrorBody | null {
	if (typeof body !== 'object' || body === null) return null;
	const error = (body as { error?: unknown }).error;
	if (typeof error !== 'object' || error === null) return null;
	const { code, message, field } = error as Record<string, unknown>;
	if (typeof code !== 'string' || typeof message !== 'string') return null;
	// An unknown code (a newer server) still reads as an error; callers fall back to a generic text.
	return { code: code as ErrorCode, message, ...(typeof field === 'string' ? { field } : {}) };
}

/** A zod-like issue path as the field name (`members.2` for an array item); `fallback` when empty. */
export function fieldOfPath(path: readonly PropertyKey[], fallback: string): string {
	return path.length ? path.map(String).join('.') : fallback;
}
