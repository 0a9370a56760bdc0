/**
 * One push, end to end: the payload encrypted for the subscription (RFC 8291 aes128gcm, by
 * web-push's `generateRequestDetails`; no crypto of ours), signed with our VAPID key (RFC 8292),
 * sent by the transport, and the answer classified for the delivery queue.
 */
import webpush from 'web-push';
import type { Send, SendOutcome } from './delivery.js';
import { EndpointRefused, isAllowedHost } from './endpoint.js';
import type { Transport } from './transport.js';
import type { VapidSigner } from './vapid.js';

/** What sending needs. */
export interface SenderOptions {
	signer: VapidSigner;
	transport: Transport;
	allowedHosts: readonly string[];
	ttlSeconds: number;
}

/** What a push service's status means for the queue. */
export function classifyStatus(status: number, retryAfterMs: number | null): SendOutcome {
	if (status >= 200 && status < 300) return { kind: 'sent' };
	if (status === 404 || status === 410) return { kind: 'gone' };
	if (status === 429 || status >= 500) return { kind: 'retry', afterMs: retryAfterMs, reason: `push service answered ${status}` };
	// 3xx: redirects are not followed; 400/401/403/413: our request is wrong for this service
	return { kind: 'failed', reason: `push service answered ${status}` };
}

/** The `Send` the delivery queue uses. */
export function createSender(options: SenderOptions): Send {
	return async (target, payload, signal) => {
		let details: { headers: Record<string, string | number>; body: Buffer | null; endpoint: string };
		try {
			details = webpush.generateRequestDetails(
				{ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
				JSON.stringify(payload),
				{
					contentEncoding: 'aes128gcm',
					TTL: options.ttlSeconds,
					// signed by us (cached per push service): no vapidDetails, so web-push signs nothing
					headers: { Authorization: options.signer.authorization(target.endpoint) }
				}
			) as typeof details;
		} catch (error) {
			return { kind: 'failed', reason: `cannot encrypt for this subscription: ${(error as Error).message}` };
		}
		try {
			const answer = await options.transport({
				endpoint: details.endpoint,
				headers: details.headers,
				body: details.body,
				allowed: isAllowedHost(new URL(target.endpoint), options.allowedHosts),
				signal
			});
			return classifyStatus(answer.status, answer.retryAfterMs);
		} catch (error) {
			if (error instanceof EndpointRefused) return { kind: 'failed', reason: error.message };
			return { kind: 'retry', afterMs: null, reason: (error as Error).message };
		}
	};
}
