/**
 * The limits the relay is given: a typed subset of DEFAULT_LIMITS (src/lib/server/config.ts), each
 * under its name there, so a limit reads the same in the config, the docs and the code that
 * enforces it. `pickRelayLimits` copies just these out of the config.
 */
import type { Limits } from '$lib/server/config';
import type { CommitLimits } from './group-commit.js';
import type { IntakeLimits } from './intake.js';
import type { RoomLimits } from './room.js';
import type { RoomsLimits } from './rooms.js';

export const RELAY_LIMIT_KEYS = [
	// The upgrade and the socket (relay.ts)
	'relayMaxFrameBytes',
	'relayPingIntervalMs',
	'relayMaxBufferedBytes',
	'relayMaxConnectionsPerUser',
	'relayMaxQueuedBeforeReady',
	'relayMaxQueuedBytesBeforeReady',
	// Token buckets per connection and per user, and the penalty after a 4290 close (relay.ts)
	'relayUpdateRatePerSecond',
	'relayUpdateBurst',
	'relayUserUpdateRatePerSecond',
	'relayUserUpdateBurst',
	'relayAwarenessRatePerSecond',
	'relayAwarenessBurst',
	'relayUserAwarenessRatePerSecond',
	'relayUserAwarenessBurst',
	'relayBytesPerSecond',
	'relayBytesBurst',
	'relayUserBytesPerSecond',
	'relayUserBytesBurst',
	'relayUserReplyBytesPerSecond',
	'relayUserReplyBytesBurst',
	'relayRateLimitPenaltyMs',
	// intake.ts
	'relayRateLimitCloseAfterMs',
	'relayMaxHeldBytes',
	'relayMaxFramesPerTurn',
	// group-commit.ts
	'relayGroupCommitMaxBatch',
	'relayGroupCommitMaxBatchBytes',
	'relayCommitsInFlight',
	'relayCommitQueueMaxItems',
	'relayCommitQueueMaxBytes',
	'relayCommitQueueMaxPerDoc',
	'relayCommitQueueMaxBytesPerDoc',
	// room.ts
	'relayDocMaxBytes',
	'relayRefusalsBeforeClose',
	'relayRefusalWindowMs',
	'relayAwarenessQueryMinMs',
	'relayAwarenessEntriesMargin',
	'relayStep1QueueMax',
	'relayAwarenessFlushMs',
	// rooms.ts
	'relayDocIdleUnloadMs',
	'relayCompactAfterUpdates'
] as const satisfies ReadonlyArray<keyof Limits>;

/** What the relay enforces, and nothing else of the config. */
export type RelayLimits = Pick<Limits, (typeof RELAY_LIMIT_KEYS)[number]>;

/** Fails to compile when a part of the relay takes a limit the list above lacks. */
const partsCovered: [keyof (CommitLimits & IntakeLimits & RoomLimits & RoomsLimits)] extends [keyof RelayLimits] ? true : never = true;
void partsCovered;

/** The relay's limits out of the whole config (a copy: the relay reads them at start). */
export function pickRelayLimits(limits: Limits): RelayLimits {
	return Object.fromEntries(RELAY_LIMIT_KEYS.map((key) => [key, limits[key]])) as RelayLimits;
}
