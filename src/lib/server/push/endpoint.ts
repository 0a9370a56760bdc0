/**
 * Whether a push endpoint may be used, and the one address to connect to. Only `https:` URLs on
 * public addresses, unless the host is in PUSH_ALLOWED_HOSTS (an operator's LAN push service, the
 * tests' loopback one), which may be `http:` and private. The name is resolved once and every
 * address checked; the caller connects to the address returned, so a DNS answer that changes
 * between check and connect (rebinding) cannot swap in a private one.
 */
import { isIP } from 'node:net';
import { isPublicAddress } from './address.js';

/** What decides whether an endpoint is acceptable. */
export interface EndpointPolicy {
	/** PUSH_ALLOWED_HOSTS: `host` (any port) or `host:port`, lower case, IPv6 in brackets. */
	allowedHosts: readonly string[];
	maxLength: number;
}

/** An acceptable endpoint, or the reason it is not. */
export type EndpointCheck = { ok: true; url: URL; allowed: boolean } | { ok: false; problem: string };

/** One resolved address. */
export interface ResolvedAddress {
	address: string;
	family: 4 | 6;
}

/** Resolves a host name to all its addresses (dns.lookup with `all: true`, injected for tests). */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** Whether the endpoint's host (and port) is one the operator allowed. */
export function isAllowedHost(url: URL, allowedHosts: readonly string[]): boolean {
	const host = url.hostname.toLowerCase();
	const port = url.port || DEFAULT_PORTS[url.protocol] || '';
	return allowedHosts.some((entry) => entry === host || entry === `${host}:${port}`);
}

/** The bare address of a URL's hostname when it is an IP literal (brackets removed), else null. */
function literalAddress(hostname: string): string | null {
	const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
	return isIP(bare) ? bare : null;
}

/** Checks what can be checked without the network: length, URL, scheme, credentials, literal addresses. */
export function checkEndpoint(endpoint: string, policy: EndpointPolicy): EndpointCheck {
	if (endpoint.length > policy.maxLength) return { ok: false, problem: `must be at most ${policy.maxLength} characters` };
	let url: URL;
	try {
		url = new URL(endpoint);
	} catch {
		return { ok: false, problem: 'must be a URL' };
	}
	if (url.username || url.password) return { ok: false, problem: 'must not carry credentials' };
	if (url.hash) return { ok: false, problem: 'must not have a fragment' };
	const allowed = isAllowedHost(url, policy.allowedHosts);
	if (allowed) {
		if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: 'must be an http: or https: URL' };
		return { ok: true, url, allowed };
	}
	if (url.protocol !== 'https:') return { ok: false, problem: 'must be an https: URL' };
	const host = url.hostname.toLowerCase();
	if (host === 'localhost' || host.endsWith('.localhost')) return { ok: false, problem: 'must be on a public host' };
	const literal = literalAddress(host);
	if (literal !== null && !isPublicAddress(literal)) return { ok: false, problem: 'must be on a public address' };
	return { ok: true, url, allowed };
}

/**
 * The address to connect to: for an allowed host the first its name resolves to; otherwise the
 * first, provided every address the name resolves to is public (a name that also points inside is
 * refused whole). Throws an Error whose message says why.
 */
export async function resolveTarget(url: URL, allowed: boolean, resolve: Resolve): Promise<ResolvedAddress> {
	const literal = literalAddress(url.hostname);
	const addresses: ResolvedAddress[] = literal ? [{ address: literal, family: isIP(literal) as 4 | 6 }] : await resolve(url.hostname);
	if (addresses.length === 0) throw new Error(`${url.hostname} has no address`);
	if (!allowed) {
		const inside = addresses.find((a) => !isPublicAddress(a.address));
		if (inside) throw new EndpointRefused(`${url.hostname} resolves to ${inside.address}, which is not a public address`);
	}
	return addresses[0]!;
}

/** An endpoint refused by policy (not a network failure: never retried). */
export class EndpointRefused extends Error {
	override name = 'EndpointRefused';
}
