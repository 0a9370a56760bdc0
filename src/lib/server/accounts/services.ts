/** Builds the account services the runtime carries (wired once in `createRuntime`). */
import type { Config, Limits } from '../config.js';
import type { Queryable } from '../db/index.js';
import { createMailer, type Mailer } from '../mail/index.js';
import { RateLimiter, type RateRule } from '../rate-limit/index.js';
import type { Runtime } from '../runtime.js';
import { WorkQueue } from '../work-queue.js';

/** The mailer (when SMTP_URL is set), the shared rate limiter and the process's argon2 queue. */
export function createAccountServices(input: { config: Config; db: Queryable; now: () => number }): {
	mailer: Mailer | null;
	rateLimiter: RateLimiter;
	passwordWork: WorkQueue;
	imageWork: WorkQueue;
	searchWork: WorkQueue;
} {
	const { limits } = input.config;
	return {
		mailer: createMailer({ smtpUrl: input.config.smtpUrl, from: input.config.mailFrom }),
		rateLimiter: new RateLimiter(input.db, input.now),
		passwordWork: new WorkQueue({ concurrency: limits.argon2Concurrency, maxQueued: limits.argon2MaxQueued }),
		imageWork: new WorkQueue({
			concurrency: limits.imageWorkConcurrency,
			maxQueued: limits.imageWorkMaxQueued,
			maxPerKey: limits.imageWorkMaxPerUser
		}),
		searchWork: new WorkQueue({ concurrency: limits.searchConcurrency, maxQueued: limits.searchMaxQueued })
	};
}

/** The rate rules of the account flows, read from the configured limits. */
export function rateRules(limits: Limits) {
	const rule = (max: number, windowMs: number): RateRule => ({ max, windowMs });
	return {
		loginPair: rule(limits.rateLoginPairMax, limits.rateLoginPairWindowMs),
		loginAccount: rule(limits.rateLoginAccountMax, limits.rateLoginAccountWindowMs),
		loginAddress: rule(limits.rateLoginAddressMax, limits.rateLoginAddressWindowMs),
		twoFactor: rule(limits.rateTwoFactorMax, limits.rateTwoFactorWindowMs),
		registerAddress: rule(limits.rateRegisterAddressMax, limits.rateRegisterAddressWindowMs),
		resetAddress: rule(limits.rateResetAddressMax, limits.rateResetAddressWindowMs),
		resetAccount: rule(limits.rateResetAccountMax, limits.rateResetAccountWindowMs),
		resetConfirmAddress: rule(limits.rateResetConfirmAddressMax, limits.rateResetConfirmAddressWindowMs),
		userSearch: rule(limits.rateUserSearchMax, limits.rateUserSearchWindowMs),
		channelSearch: rule(limits.rateChannelSearchMax, limits.rateChannelSearchWindowMs),
		passwordCheck: rule(limits.ratePasswordCheckMax, limits.ratePasswordCheckWindowMs),
		upload: rule(limits.rateUploadMax, limits.rateUploadWindowMs),
		conversationCreate: rule(limits.rateConversationCreateMax, limits.rateConversationCreateWindowMs),
		groupCreate: rule(limits.rateGroupCreateMax, limits.rateGroupCreateWindowMs),
		memberAdd: rule(limits.rateMemberAddMax, limits.rateMemberAddWindowMs),
		avatar: rule(limits.rateAvatarMax, limits.rateAvatarWindowMs),
		stickerCreate: rule(limits.rateStickerCreateMax, limits.rateStickerCreateWindowMs),
		messageSearch: rule(limits.rateMessageSearchMax, limits.rateMessageSearchWindowMs)
	};
}

/** What the account flows use of the runtime. */
export type AccountRuntime = Pick<Runtime, 'db' | 'config' | 'events' | 'now' | 'log' | 'mailer' | 'rateLimiter' | 'passwordWork'>;

/** Who is making a request: for rate limits and the sessions list. */
export interface ClientInfo {
	address: string;
	userAgent: string | null;
}
