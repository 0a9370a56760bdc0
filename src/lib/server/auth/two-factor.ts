/**
 * TOTP two-factor (RFC 6238: SHA-1, 6 digits, 30 s steps, one step of drift either way) and
 * recovery codes. The secret leaves the server once, in the setup answer; a code is accepted at
 * most once (the last accepted step is stored), and each recovery code works once.
 */
import { generateHOTP, createTOTPKeyURI } from '@oslojs/otp';
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import {
	decodeBase32IgnorePadding,
	encodeBase32LowerCaseNoPadding,
	encodeBase32UpperCaseNoPadding,
	encodeHexLowerCase
} from '@oslojs/encoding';
import type { Db, Queryable } from '../db/index.js';
import type { Limits } from '../config.js';
import { ApiError, fieldError } from '../http-errors.js';

/** TOTP parameters every authenticator app defaults to (SPEC §3). */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps of clock drift tolerated either side of now. */
const TOTP_DRIFT_STEPS = 1;
/** Secret length: 160 bits, as RFC 4226 recommends for SHA-1. */
const TOTP_SECRET_BYTES = 20;
/** Recovery code: 10 base32 characters (50 bits), shown as two groups of five. */
const RECOVERY_CODE_BYTES = 7;
const RECOVERY_CODE_LENGTH = 10;
/** Name shown in authenticator apps. */
const TOTP_ISSUER = 'Parley';

const SQL = {
	state: `select totp_secret, totp_pending_secret, totp_pending_since, totp_last_step from users where id = $1`,
	startSetup: `update users set totp_pending_secret = $2, totp_pending_since = $3 where id = $1`,
	enable: `update users set totp_secret = totp_pending_secret, totp_pending_secret = null, totp_pending_since = null,
		totp_last_step = $2 where id = $1 and totp_pending_secret is not null`,
	disable: `update users set totp_secret = null, totp_pending_secret = null, totp_pending_since = null, totp_last_step = null where id = $1`,
	// Only a step newer than the last accepted one may be used: this is the replay guard, and it
	// is one atomic update, so two requests racing with the same code cannot both win.
	claimStep: `update users set totp_last_step = $2 where id = $1 and (totp_last_step is null or totp_last_step < $2) returning id`,
	deleteCodes: `delete from recovery_codes where user_id = $1`,
	insertCode: `insert into recovery_codes (user_id, code_hash) values ($1, $2)`,
	useCode: `update recovery_codes set used_at = $3 where user_id = $1 and code_hash = $2 and used_at is null returning user_id`,
	remainingCodes: `select count(*)::int as n from recovery_codes where user_id = $1 and used_at is null`
};

interface TotpState {
	totp_secret: string | null;
	totp_pending_secret: string | null;
	totp_pending_since: Date | null;
	totp_last_step: string | number | null;
}

async function stateOf(db: Queryable, userId: string): Promise<TotpState> {
	const [row] = await db.query<TotpState>(SQL.state, [userId]);
	if (!row) throw new ApiError(404, 'not_found', 'No such user');
	return row;
}

/** The 30-second step containing `now`. */
function stepAt(now: number): number {
	return Math.floor(now / 1000 / TOTP_PERIOD_SECONDS);
}

/** The step within ±drift whose code equals `code`, or null. */
function matchingStep(secret: string, code: string, now: number): number | null {
	if (!/^\d{6}$/.test(code)) return null;
	const key = decodeBase32IgnorePadding(secret);
	const given = new TextEncoder().encode(code);
	const current = stepAt(now);
	for (let step = current - TOTP_DRIFT_STEPS; step <= current + TOTP_DRIFT_STEPS; step++) {
		const expected = new TextEncoder().encode(generateHOTP(key, BigInt(step), TOTP_DIGITS));
		if (constantTimeEqual(expected, given)) return step;
	}
	return null;
}

/** Starts a setup: a new secret kept pending until `enableTotp` confirms a code. 409 if enabled. */
export async function startTotpSetup(
	db: Queryable,
	input: { userId: string; username: string; now: number }
): Promise<{ secret: string; uri: string }> {
	const state = await stateOf(db, input.userId);
	if (state.totp_secret) throw new ApiError(409, 'two_factor_enabled', 'Two-factor is already on; turn it off first');
	const key = crypto.getRandomValues(new Uint8Array(TOTP_SECRET_BYTES));
	const secret = encodeBase32UpperCaseNoPadding(key);
	await db.query(SQL.startSetup, [input.userId, secret, new Date(input.now)]);
	return { secret, uri: createTOTPKeyURI(TOTP_ISSUER, input.username, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS) };
}

/** Enables 2FA after a correct code for the pending secret; returns the new recovery codes once. */
export async function enableTotp(
	db: Db,
	input: { userId: string; code: string; now: number; limits: Pick<Limits, 'totpSetupTtlMs' | 'recoveryCodeCount'> }
): Promise<string[]> {
	const state = await stateOf(db, input.userId);
	if (state.totp_secret) throw new ApiError(409, 'two_factor_enabled', 'Two-factor is already on');
	const since = state.totp_pending_since ? new Date(state.totp_pending_since).getTime() : 0;
	if (!state.totp_pending_secret || input.now - since > input.limits.totpSetupTtlMs)
		throw new ApiError(409, 'no_setup', 'Start the two-factor setup first (it expires after a while)');
	const step = matchingStep(state.totp_pending_secret, input.code.trim(), input.now);
	if (step === null) throw fieldError('code', 'does not match; check the time on your device', 'invalid_code');
	const codes = Array.from({ length: input.limits.recoveryCodeCount }, newRecoveryCode);
	await db.transaction(async (tx) => {
		await tx.query(SQL.enable, [input.userId, step]);
		await tx.query(SQL.deleteCodes, [input.userId]);
		for (const code of codes) await tx.query(SQL.insertCode, [input.userId, hashRecoveryCode(code)]);
	});
	return codes;
}

/** Turns 2FA off and drops the recovery codes (the caller checked the password). */
export async function disableTotp(db: Db, userId: string): Promise<void> {
	await db.transaction(async (tx) => {
		await tx.query(SQL.disable, [userId]);
		await tx.query(SQL.deleteCodes, [userId]);
	});
}

/** Checks a TOTP or recovery code and uses it up; false if wrong, reused or 2FA is off. */
export async function verifySecondFactor(db: Queryable, input: { userId: string; code: string; now: number }): Promise<boolean> {
	const state = await stateOf(db, input.userId);
	if (!state.totp_secret) return false;
	const code = input.code.trim();
	const step = matchingStep(state.totp_secret, code, input.now);
	if (step !== null) return (await db.query(SQL.claimStep, [input.userId, step])).length === 1;
	const normalized = normalizeRecoveryCode(code);
	if (normalized.length !== RECOVERY_CODE_LENGTH) return false;
	return (await db.query(SQL.useCode, [input.userId, hashRecoveryCode(normalized), new Date(input.now)])).length === 1;
}

/** Unused recovery codes left. */
export async function remainingRecoveryCodes(db: Queryable, userId: string): Promise<number> {
	return (await db.query<{ n: number }>(SQL.remainingCodes, [userId]))[0]!.n;
}

function newRecoveryCode(): string {
	const raw = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(RECOVERY_CODE_BYTES))).slice(0, RECOVERY_CODE_LENGTH);
	return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

/** Lower-case, without the dash and spaces people type. */
function normalizeRecoveryCode(code: string): string {
	return code.toLowerCase().replace(/[\s-]/g, '');
}

function hashRecoveryCode(code: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(normalizeRecoveryCode(code))));
}
