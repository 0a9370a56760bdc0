/** One-time link tokens (password reset, invites): the client gets the token, we store its SHA-256. */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { randomToken } from '../ids.js';

/** The stored form of a link token. */
export function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** A fresh token and its hash. */
export function newLinkToken(): { token: string; hash: string } {
	const token = randomToken();
	return { token, hash: hashToken(token) };
}
