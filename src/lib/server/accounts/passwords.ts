/** Password hashing with argon2id at OWASP's recommended parameters, and the password policy. */
import { hash, verify } from '@node-rs/argon2';
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

/** Why a new password is refused beyond its length, or null when it is acceptable. */
export function passwordProblem(password: string, username?: string): string | null {
	if (isCommonPassword(password)) return 'is too common; choose a less guessable password';
	if (username && password.toLowerCase() === username.toLowerCase()) return 'must not be the username';
	return null;
}
