/** Password hashing with argon2id at OWASP's recommended parameters, and the password policy. */
import { hash, verify } from '@node-rs/argon2';
import { ApiError } from '../http-errors.js';
import type { WorkQueue } from '../work-queue.js';
import { isCommonPassword } from './common-passwords.js';

/** `Algorithm.Argon2id` of @node-rs/argon2 (a const enum, which isolated modules cannot import). */
const ARGON2ID = 2;

/** OWASP Password Storage Cheat Sheet, argon2id option 2: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_OPTIONS = {
	algorithm: ARGON2ID,
	memoryCost: 19_456,
	timeCost: 2,
	parallelism: 1
} as const;

/** Password length bounds (SPEC §3). */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

/** Seconds a caller refused by a full argon2 queue is told to wait (the queue drains in well under that). */
const BUSY_RETRY_AFTER_S = 1;

/** Hashes a password; the PHC string carries salt and parameters. */
export function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2_OPTIONS);
}

/** Checks a password against a stored hash (false for a malformed hash). */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
	try {
		return await verify(storedHash, password);
	} catch {
		return false;
	}
}

/** A hash of nothing anyone knows: verifying against it costs the same as a real check. */
let dummyHash: Promise<string> | undefined;

/** Spends the time of one verification, so "no such user" answers as slowly as "wrong password". */
export async function verifyAgainstDummy(password: string): Promise<void> {
	dummyHash ??= hashPassword(crypto.randomUUID());
	await verifyPassword(await dummyHash, password);
}

/** Runs argon2 work through the process's bounded queue; 503 `busy` with Retry-After when it is full. */
async function queued<T>(queue: Pick<WorkQueue, 'run'>, task: () => Promise<T>): Promise<T> {
	const result = await queue.run(task);
	if (result.busy)
		throw new ApiError(503, 'busy', 'The server is busy checking passwords; try again in a moment', {
			headers: { 'retry-after': String(BUSY_RETRY_AFTER_S) }
		});
	return result.value;
}

/** What the queued functions need: the process's argon2 queue. */
export interface PasswordWork {
	passwordWork: Pick<WorkQueue, 'run'>;
}

/** `hashPassword` through the queue. */
export function hashQueued(rt: PasswordWork, password: string): Promise<string> {
	return queued(rt.passwordWork, () => hashPassword(password));
}

/** `verifyPassword` through the queue. */
export function verifyQueued(rt: PasswordWork, storedHash: string, password: string): Promise<boolean> {
	return queued(rt.passwordWork, () => verifyPassword(storedHash, password));
}

/** `verifyAgainstDummy` through the queue. */
export function verifyDummyQueued(rt: PasswordWork, password: string): Promise<void> {
	return queued(rt.passwordWork, () => verifyAgainstDummy(password));
}

/** Why a new password is refused beyond its length, or null when it is acceptable. */
export function passwordProblem(password: string, username?: string): string | null {
	if (isCommonPassword(password)) return 'is too common; choose a less guessable password';
	if (username && password.toLowerCase() === username.toLowerCase()) return 'must not be the username';
	return null;
}
