/** Input rules for account fields, shared by the API routes and the page actions (built on `$lib/text`). */
import { z } from 'zod';
import { textSchema } from '$lib/text';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';

/** Username: 3–32 of a-z 0-9 _ after lower-casing (SPEC §3). */
export const usernameSchema = z
	.string()
	.trim()
	.toLowerCase()
	.regex(/^[a-z0-9_]{3,32}$/, 'must be 3–32 characters of a-z, 0-9 and _');

/** What sign-in and reset requests take as the login: a username or an e-mail address. */
export const loginSchema = textSchema({ max: 254, min: 1, requiredMessage: 'is required' });

/** A new password: 8–256 characters (SPEC §3), no control characters; the common-list check comes after. */
export const newPasswordSchema = textSchema({ max: PASSWORD_MAX_LENGTH, min: PASSWORD_MIN_LENGTH, trim: false });

/** A password being checked (any length up to the maximum; checking costs the same). */
export const passwordSchema = textSchema({ max: PASSWORD_MAX_LENGTH, min: 1, trim: false, requiredMessage: 'is required' });

/** Longest display name, in characters. */
export const DISPLAY_NAME_MAX = 64;

/** Display name: 1–64 characters with a visible one; no control or bidi-override characters. */
export const displayNameSchema = textSchema({ max: DISPLAY_NAME_MAX, min: 1, name: true });

/** Optional e-mail for password-reset mail, stored lower-cased. */
export const emailSchema = textSchema({ max: 254 }).toLowerCase().pipe(z.email('must be an e-mail address'));

/** A TOTP code (6 digits) or a recovery code (10 letters/digits, dashes and spaces ignored). */
export const codeSchema = textSchema({ max: 32, min: 6, requiredMessage: 'must be a 6-digit code or a recovery code' });

/** Random tokens issued by this server (reset and invite links). */
export const tokenSchema = z
	.string()
	.trim()
	.regex(/^[a-z2-7]{16,64}$/, 'is not a valid link token');

/** A public id the server issued (sessions, invites, users): 404 for anything else, 400 for control characters. */
export const publicIdSchema = textSchema({ max: 64, min: 1 });
