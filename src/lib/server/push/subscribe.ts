/**
 * The subscription routes' logic: the browser's `PushSubscription.toJSON()` checked field by field
 * (a bad one answers 400 naming it), the endpoint checked against the policy and, unless its host
 * is allowed, resolved once (a name pointing inside is refused here, and again at every send).
 */
import { createECDH } from 'node:crypto';
import { z } from 'zod';
import type { Runtime } from '../runtime.js';
import { fieldError } from '../http-errors.js';
import { enforceRate } from '../rate-limit/index.js';
import { checkEndpoint, EndpointRefused, resolveTarget } from './endpoint.js';
import { getSettings, saveSubscription, updateSettings, type NotificationSettings } from './store.js';

/** How long the subscribe-time lookup of an endpoint's host may take; a slow resolver does not refuse it (sends check again). */
const SUBSCRIBE_RESOLVE_MS = 3000;

const base64url = /^[A-Za-z0-9_-]+={0,2}$/;

/** Whether `key` is a P-256 public point (the browser's `p256dh`). */
function isP256Point(key: string): boolean {
	const bytes = Buffer.from(key, 'base64url');
	if (bytes.length !== 65 || bytes[0] !== 4) return false;
	try {
		// computeSecret refuses a point that is not on the curve (it needs a key pair of its own first)
		const ecdh = createECDH('prime256v1');
		ecdh.generateKeys();
		ecdh.computeSecret(bytes);
		return true;
	} catch {
		return false;
	}
}

/** `POST /api/push/subscriptions`: `PushSubscription.toJSON()`. */
export const subscriptionSchema = z.object({
	endpoint: z.string().min(1, 'is required'),
	expirationTime: z.number().nonnegative().nullable().optional(),
	keys: z.object({
		p256dh: z
			.string()
			.max(200)
			.refine((v) => base64url.test(v) && isP256Point(v), 'must be a P-256 public key (base64url, 65 bytes)'),
		auth: z
			.string()
			.max(64)
			.refine((v) => base64url.test(v) && Buffer.from(v, 'base64url').length === 16, 'must be a 16-byte secret (base64url)')
	})
});

/** `DELETE /api/push/subscriptions`: `{endpoint}`. */
export const unsubscribeSchema = z.object({ endpoint: z.string().min(1, 'is required').max(4096) });

/** `PATCH /api/push/settings`: any of the settings, at least one. */
export const settingsPatchSchema = z
	.object({ preview: z.enum(['full', 'name', 'none']), mentionsInMuted: z.boolean(), reactions: z.boolean() })
	.partial()
	.strict()
	.refine((v) => Object.keys(v).length > 0, { message: 'give preview, mentionsInMuted or reactions' });

type Rt = Pick<Runtime, 'db' | 'config' | 'push' | 'rateLimiter'>;

/** Checks and stores a subscription for the caller's session: 'created' (201) or 'updated' (200). */
export async function subscribe(
	rt: Rt,
	who: { userId: string; sessionId: string },
	body: z.output<typeof subscriptionSchema>
): Promise<'created' | 'updated'> {
	const check = checkEndpoint(body.endpoint, rt.push.policy);
	if (!check.ok) throw fieldError('endpoint', check.problem);
	// Counted before the lookup: each attempt may cost a DNS query.
	await enforceRate(rt.rateLimiter, `push-subscribe:${who.userId}`, {
		max: rt.config.limits.ratePushSubscribeMax,
		windowMs: rt.config.limits.ratePushSubscribeWindowMs
	});
	if (!check.allowed) {
		try {
			let timer: NodeJS.Timeout | undefined;
			const slow = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), SUBSCRIBE_RESOLVE_MS)));
			await Promise.race([resolveTarget(check.url, false, rt.push.resolve), slow]).finally(() => clearTimeout(timer));
		} catch (error) {
			if (error instanceof EndpointRefused) throw fieldError('endpoint', 'must be on a public address');
			// Not resolvable now (a resolver hiccup): kept; every send resolves and checks again.
		}
	}
	const outcome = await saveSubscription(rt.db, {
		userId: who.userId,
		sessionId: who.sessionId,
		endpoint: body.endpoint,
		p256dh: body.keys.p256dh.replace(/=+$/, ''),
		auth: body.keys.auth.replace(/=+$/, ''),
		expiresAt: body.expirationTime ? new Date(body.expirationTime) : null,
		maxPerUser: rt.config.limits.pushSubscriptionsPerUserMax
	});
	if (outcome === 'taken') throw fieldError('endpoint', 'is subscribed by another account; sign out there first', 'invalid_input', 409);
	return outcome;
}

/** My settings. */
export const readSettings = (rt: Pick<Runtime, 'db'>, userId: string): Promise<NotificationSettings> => getSettings(rt.db, userId);

/** Changes my settings. */
export const changeSettings = (
	rt: Pick<Runtime, 'db'>,
	userId: string,
	patch: Partial<NotificationSettings>
): Promise<NotificationSettings> => updateSettings(rt.db, userId, patch);
