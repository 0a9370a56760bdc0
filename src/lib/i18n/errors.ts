/** Localised texts for the API's error codes, for pages that show a failed form's reason. */
import * as m from './paraglide/messages.js';

/** A field-specific text for a 400 naming that field. */
const FIELD_MESSAGES: Record<string, () => string> = {
	username: m.error_username,
	password: m.error_password_length,
	newPassword: m.error_password_length,
	currentPassword: m.error_required,
	displayName: m.error_display_name,
	email: m.error_email,
	code: m.error_invalid_code,
	login: m.error_required,
	invite: m.error_invite,
	token: m.reset_invalid,
	file: m.error_file_type
};

/** By error code. */
const CODE_MESSAGES: Record<string, () => string> = {
	invalid_credentials: m.error_invalid_credentials,
	username_taken: m.error_username_taken,
	email_taken: m.error_email_taken,
	weak_password: m.error_password_weak,
	invalid_code: m.error_invalid_code,
	wrong_password: m.error_wrong_password,
	invite_required: m.register_invite_only,
	invalid_invite: m.error_invite,
	registration_closed: m.register_closed,
	invalid_token: m.reset_invalid,
	unsupported_type: m.error_file_type,
	too_large: m.error_file_size,
	quota_exceeded: m.error_quota_exceeded,
	storage_full: m.error_storage_full
};

/** The text to show for an API error (`$lib/errors` shape: code and field; Retry-After for 429 and 503). */
export function errorText(error: { code: string; field?: string; headers?: Record<string, string> }): string {
	if (error.code === 'rate_limited') return m.error_rate_limited({ seconds: error.headers?.['retry-after'] ?? '60' });
	if (error.code === 'busy') return m.error_busy({ seconds: error.headers?.['retry-after'] ?? '1' });
	const byCode = CODE_MESSAGES[error.code];
	if (byCode) return byCode();
	const byField = error.field ? FIELD_MESSAGES[error.field] : undefined;
	return byField ? byField() : m.error_generic();
}
