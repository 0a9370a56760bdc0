/**
 * The server's VAPID identity (RFC 8292): one P-256 key pair that every instance uses, so a
 * subscription made through one instance is pushed to by any other. From VAPID_PUBLIC_KEY /
 * VAPID_PRIVATE_KEY when set; otherwise made once and kept in `server_meta` (the first instance to
 * start writes it, the others read the same row). Authorization headers are signed once per push
 * service origin and reused until close to their expiry (an ECDSA signature per push otherwise).
 */
import webpush from 'web-push';
import type { Queryable } from '../db/index.js';

/** A VAPID key pair (base64url) and the subject push services may contact. */
export interface VapidKeys {
	publicKey: string;
	privateKey: string;
	subject: string;
}

const META_KEY = 'vapid_keys';

const SQL = {
	insert: `insert into server_meta (key, value) values ($1, $2) on conflict (key) do nothing`,
	select: `select value from server_meta where key = $1`
};

/** The configured pair, or the one kept in the database (made now if there is none yet). */
export async function loadVapidKeys(
	db: Queryable,
	config: { vapidKeys: { publicKey: string; privateKey: string } | undefined; vapidSubject: string }
): Promise<VapidKeys> {
	if (config.vapidKeys) return { ...config.vapidKeys, subject: config.vapidSubject };
	// Two instances starting at once: both insert, one wins, both read the winner.
	const made = webpush.generateVAPIDKeys();
	await db.query(SQL.insert, [META_KEY, JSON.stringify(made)]);
	const [row] = await db.query<{ value: string }>(SQL.select, [META_KEY]);
	const stored = JSON.parse(row!.value) as { publicKey: string; privateKey: string };
	return { publicKey: stored.publicKey, privateKey: stored.privateKey, subject: config.vapidSubject };
}

/** How long a signed VAPID token is valid (RFC 8292 allows at most 24 h). */
const TOKEN_LIFETIME_S = 12 * 3600;
/** A cached token is replaced this long before it expires (clock skew, slow delivery). */
const TOKEN_RENEW_BEFORE_S = 3600;
/** Push service origins whose tokens are kept (each a few hundred bytes; browsers use a handful). */
const TOKEN_CACHE_MAX = 256;

/** Signs (and caches) the `Authorization` header for a push service origin. */
export class VapidSigner {
	readonly #cache = new Map<string, { header: string; expiresAt: number }>();

	constructor(
		readonly keys: VapidKeys,
		private readonly now: () => number = Date.now
	) {}

	/** `vapid t=<jwt>, k=<public key>` for the endpoint's origin. */
	authorization(endpoint: string): string {
		const audience = new URL(endpoint).origin;
		const nowS = Math.floor(this.now() / 1000);
		const cached = this.#cache.get(audience);
		if (cached && cached.expiresAt - TOKEN_RENEW_BEFORE_S > nowS) return cached.header;
		const expiresAt = nowS + TOKEN_LIFETIME_S;
		const { Authorization } = webpush.getVapidHeaders(
			audience,
			this.keys.subject,
			this.keys.publicKey,
			this.keys.privateKey,
			'aes128gcm',
			expiresAt
		) as { Authorization: string };
		this.#cache.delete(audience);
		this.#cache.set(audience, { header: Authorization, expiresAt });
		if (this.#cache.size > TOKEN_CACHE_MAX) this.#cache.delete(this.#cache.keys().next().value!);
		return Authorization;
	}
}
