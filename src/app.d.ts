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
			/** The page language: the picked one (cookie), else the browser's, else English. */
			locale: import('$lib/i18n/preferences').Locale;
			/** The picked colour theme. */
			theme: import('$lib/i18n/preferences').Theme;
		}
		interface Platform {
			req: IncomingMessage;
		}
	}
}

export {};
