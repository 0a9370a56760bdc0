// See https://svelte.dev/docs/kit/types#app.d.ts
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';

declare global {
	namespace App {
		interface Error {
			code?: string;
		}
		interface Locals {
			requestId: string;
			log: Logger;
			/** The signed-in user, or null. */
			user: import('$lib/server/auth/types').SessionUser | null;
			/** The session of this request, or null. */
			session: import('$lib/server/auth/types').SessionInfo | null;
		}
		interface Platform {
			req: IncomingMessage;
		}
	}
}

export {};
