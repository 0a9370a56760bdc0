/** Random identifiers and secrets. */
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** A random id (120 bits, 24 chars of a-z2-7): users, conversations, sessions. Never contains ':'. */
export function randomId(): string {
	return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(15)));
}

/** A random secret token (160 bits) handed to a client once; only its hash is stored. */
export function randomToken(): string {
	return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
}
