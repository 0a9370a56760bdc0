/** Request ids: accepted from a trusted proxy's header when well-formed, else made here. */

/** The header that carries the request id in and out. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** A sane incoming id (a proxy's), or a fresh one. */
export function requestIdFrom(incoming: string | string[] | undefined): string {
	const value = Array.isArray(incoming) ? incoming[0] : incoming;
	return value && /^[A-Za-z0-9._-]{8,128}$/.test(value) ? value : crypto.randomUUID();
}
