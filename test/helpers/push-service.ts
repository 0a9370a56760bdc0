// A push service on loopback for the tests: the receiving side of RFC 8030. It checks every push's
// VAPID authorisation (RFC 8292: an ES256 JWT whose signature verifies with the key in `k=`, whose
// `aud` is this service's origin and whose `exp` is in the future and within 24 h), and decrypts
// the aes128gcm payload (RFC 8291, with http_ece) using the subscriber keys the test made, as a
// browser would: an ECDH P-256 pair and a 16-byte auth secret per subscriber.
import http from 'node:http';
import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ece from 'http_ece';

/** One decrypted push as the service received it. */
export interface ReceivedPush {
	subscriber: string;
	payload: Record<string, unknown>;
	headers: http.IncomingHttpHeaders;
	at: number;
}

/** How a subscriber's endpoint answers. */
export type Behaviour =
	| { kind: 'accept' }
	| { kind: 'status'; status: number; retryAfter?: string; times?: number }
	/** never answers (a dead push service) */
	| { kind: 'hang' };

/** A browser's subscription: its keys stay here; `toJSON()` is what the browser would post. */
export interface Subscriber {
	id: string;
	endpoint: string;
	ecdh: ECDH;
	auth: string;
	toJSON(): { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
}

export interface TestPushService {
	origin: string;
	/** `127.0.0.1:<port>`, for PUSH_ALLOWED_HOSTS. */
	host: string;
	/** Every push received and accepted (valid VAPID, decrypted). */
	received: ReceivedPush[];
	/** Pushes refused by the checks, with why. */
	rejected: Array<{ subscriber: string; reason: string }>;
	/** Requests answered with a status other than 201 (by behaviour), and those left hanging. */
	answered: Array<{ subscriber: string; status: number | 'hang' }>;
	subscriber(): Subscriber;
	/** Sets how a subscriber's endpoint answers from now on. */
	behave(subscriber: Subscriber, behaviour: Behaviour): void;
	/** The pushes one subscriber received. */
	pushesOf(subscriber: Subscriber): ReceivedPush[];
	/** The server's VAPID public key this service expects (set after the server started). */
	expectKey(publicKey: string): void;
	close(): Promise<void>;
}

const b64 = (buf: Buffer) => buf.toString('base64url');

/** Verifies a VAPID `Authorization: vapid t=<jwt>, k=<key>` header for `audience`; returns why not, or null. */
export function vapidProblem(header: string | undefined, audience: string, expectedKey: string | null, nowS: number): string | null {
	const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
	if (!match) return 'no vapid authorization';
	const [, token, key] = match as unknown as [string, string, string];
	if (expectedKey !== null && key !== expectedKey) return 'k is not the server key';
	const [head, body, signature] = token.split('.');
	if (!head || !body || !signature) return 'malformed jwt';
	const header2 = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string };
	if (header2.alg !== 'ES256') return 'alg is not ES256';
	const point = Buffer.from(key, 'base64url');
	const publicKey = createPublicKey({
		key: { kty: 'EC', crv: 'P-256', x: b64(point.subarray(1, 33)), y: b64(point.subarray(33, 65)) },
		format: 'jwk'
	});
	const ok = verify(
		'sha256',
		Buffer.from(`${head}.${body}`),
		{ key: publicKey, dsaEncoding: 'ieee-p1363' },
		Buffer.from(signature, 'base64url')
	);
	if (!ok) return 'bad signature';
	const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as { aud?: string; exp?: number; sub?: string };
	if (claims.aud !== audience) return `aud ${claims.aud} is not ${audience}`;
	if (typeof claims.exp !== 'number' || claims.exp <= nowS) return 'expired';
	if (claims.exp > nowS + 24 * 3600) return 'exp more than 24 h ahead';
	if (!claims.sub || !/^(mailto:|https:)/.test(claims.sub)) return 'sub is not mailto: or https:';
	return null;
}

/** Starts the service on 127.0.0.1, any port. */
export async function startPushService(): Promise<TestPushService> {
	const subscribers = new Map<string, { sub: Subscriber; behaviour: Behaviour }>();
	const received: ReceivedPush[] = [];
	const rejected: TestPushService['rejected'] = [];
	const answered: TestPushService['answered'] = [];
	const hanging = new Set<http.ServerResponse>();
	let expectedKey: string | null = null;
	let counter = 0;

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const id = /^\/push\/([a-z0-9-]+)$/.exec(req.url ?? '')?.[1] ?? '';
			const entry = subscribers.get(id);
			if (!entry || req.method !== 'POST') return void res.writeHead(404).end();
			const behaviour = entry.behaviour;
			if (behaviour.kind === 'hang') {
				answered.push({ subscriber: id, status: 'hang' });
				hanging.add(res);
				return;
			}
			if (behaviour.kind === 'status') {
				if (behaviour.times !== undefined && --behaviour.times <= 0) entry.behaviour = { kind: 'accept' };
				answered.push({ subscriber: id, status: behaviour.status });
				return void res.writeHead(behaviour.status, behaviour.retryAfter ? { 'retry-after': behaviour.retryAfter } : {}).end();
			}
			const reject = (reason: string) => {
				rejected.push({ subscriber: id, reason });
				res.writeHead(400).end(reason);
			};
			const problem = vapidProblem(req.headers.authorization, service.origin, expectedKey, Math.floor(Date.now() / 1000));
			if (problem) return reject(problem);
			if (req.headers['content-encoding'] !== 'aes128gcm') return reject('content-encoding is not aes128gcm');
			if (!req.headers.ttl) return reject('no TTL');
			let plaintext: Buffer;
			try {
				plaintext = ece.decrypt(Buffer.concat(chunks), { version: 'aes128gcm', privateKey: entry.sub.ecdh, authSecret: entry.sub.auth });
			} catch (error) {
				return reject(`cannot decrypt: ${(error as Error).message}`);
			}
			received.push({ subscriber: id, payload: JSON.parse(plaintext.toString('utf8')), headers: req.headers, at: Date.now() });
			res.writeHead(201).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const service: TestPushService = {
		origin: `http://127.0.0.1:${port}`,
		host: `127.0.0.1:${port}`,
		received,
		rejected,
		answered,
		subscriber() {
			const ecdh = createECDH('prime256v1');
			ecdh.generateKeys();
			const id = `s${++counter}-${randomBytes(4).toString('hex')}`;
			const auth = b64(randomBytes(16));
			const sub: Subscriber = {
				id,
				endpoint: `${service.origin}/push/${id}`,
				ecdh,
				auth,
				toJSON: () => ({ endpoint: sub.endpoint, expirationTime: null, keys: { p256dh: b64(ecdh.getPublicKey()), auth } })
			};
			subscribers.set(id, { sub, behaviour: { kind: 'accept' } });
			return sub;
		},
		behave(sub, behaviour) {
			subscribers.get(sub.id)!.behaviour = behaviour;
		},
		pushesOf: (sub) => received.filter((p) => p.subscriber === sub.id),
		expectKey(publicKey) {
			expectedKey = publicKey;
		},
		async close() {
			for (const res of hanging) res.destroy();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
	return service;
}
