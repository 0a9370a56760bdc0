/** Builds the account services the runtime carries (wired once in `createRuntime`). */
import type { Config, Limits } from '../config.js';
import type { Queryable } from '../db/index.js';
import { createMailer, type Mailer } from '../mail/index.js';
import { RateLimiter, type RateRule } from '../rate-limit/index.js';
import type { Runtime } from '../runtime.js';

/** The mailer (when SMTP_URL is set) and the shared rate limiter. */
export function createAccountServices(input: { config: Config; db: Queryable; now: () => number }): {
	mailer: Mailer | null;
	rateLimiter: RateLimiter;
} {
	return {
		mailer: createMailer({ smtpUrl: input.config.smtpUrl, from: input.config.mailFrom }),
		rateLimiter: new RateLimiter(input.db, input.now)
	};
}

/** The rate rules of the account flows, read from the configured limits. */
export function rateRules(limits: Limits) {
	const rule = (max: number, windowMs: number): RateRule => ({ max, windowMs });
	return {
		loginAccount: rule(limits.rateLoginAccountMax, limits.rateLoginAccountWindowMs),
		loginAddress: rule(limits.rateLoginAddressMax, limits.rateLoginAddressWindowMs),
		twoFactor: rule(limits.rateTwoFactorMax, limits.rateTwoFactorWindowMs),
		registerAddress: rule(limits.rateRegisterAddressMax, limits.rateRegisterAddressWindowMs),
		resetAddress: rule(limits.rateResetAddressMax, limits.rateResetAddressWindowMs),
		resetAccount: rule(limits.rateResetAccountMax, limits.rateResetAccountWindowMs),
		passwordCheck: rule(limits.ratePasswordCheckMax, limits.ratePasswordCheckWindowMs)
	};
}

/** What the account flows use of the runtime. */
export type AccountRuntime = Pick<Runtime, 'db' | 'config' | 'events' | 'now' | 'log' | 'mailer' | 'rateLimiter'>;

/** Who is making a request: for rate limits and the sessions list. */
export interface ClientInfo {
	address: string;
	userAgent: string | null;
}
