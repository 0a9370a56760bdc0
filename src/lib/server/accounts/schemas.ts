/** Input rules for account fields, shared by the API routes and the page actions. */
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';

/** Username: 3–32 of a-z 0-9 _ after lower-casing (SPEC §3). */
export const usernameSchema = z
	.string()
	.trim()
	.toLowerCase()
	.regex(/^[a-z0-9_]{3,32}$/, 'must be 3–32 characters of a-z, 0-9 and _');

/** A new password: 8–256 characters (SPEC §3); the common-list check comes after. */
export const newPasswordSchema = z
	.string()
	.min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
	.max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

/** A password being checked (any length up to the maximum; checking costs the same). */
export const passwordSchema = z.string().min(1, 'is required').max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

/** Longest display name, in characters. */
export const DISPLAY_NAME_MAX = 64;

/** Display name: 1–64 characters, no control characters, surrounding space trimmed. */
export const displayNameSchema = z
	.string()
	.trim()
	// Control and bidi-override characters would let a name disguise itself or break layouts.
	.regex(/^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u, 'must not contain control characters')
	.min(1, 'must not be empty')
	.max(DISPLAY_NAME_MAX, `must be at most ${DISPLAY_NAME_MAX} characters`);

/** Optional e-mail for password-reset mail, stored lower-cased. */
export const emailSchema = z.string().trim().toLowerCase().max(254, 'is too long').pipe(z.email('must be an e-mail address'));

/** A TOTP code (6 digits) or a recovery code (10 letters/digits, dashes and spaces ignored). */
export const codeSchema = z.string().trim().min(6, 'must be a 6-digit code or a recovery code').max(32, 'is too long');

/** Random tokens issued by this server (reset and invite links). */
export const tokenSchema = z.string().trim().regex(/^[a-z2-7]{16,64}$/, 'is not a valid link token');
