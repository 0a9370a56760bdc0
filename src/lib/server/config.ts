/**
 * The one configuration object of a Parley process, built from the environment by the entry
 * point only (everything else receives it as an argument). Every limit the server enforces is
 * named here, so an operator reads them in one place.
 */
import path from 'node:path';
import { createECDH } from 'node:crypto';
import { z } from 'zod';
import { SEARCH_QUERY_LIMITS } from '../search/query.js';
import { SHARED_LIMITS } from '../shared/limits.js';

/** Limits the server enforces; not all are configurable from the environment yet. */
export const DEFAULT_LIMITS = {
	/** Largest JSON body accepted by an API route (bytes). */
	jsonBodyMaxBytes: 64 * 1024,
	/**
	 * Largest body of any request that is not an upload (page form actions included), refused
	 * before it is read: a form or JSON body is a few KiB, and 32 posts of the upload size at once
	 * took the process to 2 GB. Above `jsonBodyMaxBytes`, so JSON routes answer their own 413.
	 * Upload routes (`UPLOAD_ROUTES` in server/body-limit.ts) get UPLOAD_MAX_BYTES instead.
	 */
	requestBodyMaxBytes: 128 * 1024,
	/** Bytes of log lines waiting for a slow or stuck stdout before new lines are dropped (never block). */
	logBufferMaxBytes: 4 * 1024 * 1024,
	/** Largest WebSocket frame the relay accepts (bytes); larger frames close the connection. */
	relayMaxFrameBytes: 1024 * 1024,
	/** Keep-alive ping interval; a connection that missed one pong is closed. */
	relayPingIntervalMs: 30_000,
	/** Bytes a slow client may have buffered before it is dropped (protects the server's memory). */
	relayMaxBufferedBytes: 8 * 1024 * 1024,
	/** Open sync connections one user may hold at once, over all documents and devices. */
	relayMaxConnectionsPerUser: 64,
	/** Messages a connection may send before its authorisation and document load finish. */
	relayMaxQueuedBeforeReady: 64,
	/** Bytes a connection may send before its document load finishes (frames may be 1 MiB each). */
	relayMaxQueuedBytesBeforeReady: 2 * 1024 * 1024,
	/** How long an unused document stays in memory after its last connection closed. */
	relayDocIdleUnloadMs: 30_000,
	/** Log rows after which a document's update log is compacted into a snapshot. */
	relayCompactAfterUpdates: 500,
	/** Most updates one group commit writes in a transaction (and at most relayGroupCommitMaxBatchBytes). */
	relayGroupCommitMaxBatch: 512,
	/** Group-commit transactions in flight at once (each holds one pooled connection). */
	relayCommitsInFlight: 3,
	/**
	 * Bounds of the group-commit queue (updates accepted, waiting for a transaction). Past a bound
	 * the relay stops reading the writers concerned instead of buffering (server/relay/intake.ts).
	 * Per document: one document's flood stops at its own bound, far below the total, so it never
	 * blocks other documents' writers; batches are filled round-robin over documents (fair-queue.ts).
	 */
	relayCommitQueueMaxItems: 8192,
	relayCommitQueueMaxBytes: 32 * 1024 * 1024,
	relayCommitQueueMaxPerDoc: 1024,
	relayCommitQueueMaxBytesPerDoc: 4 * 1024 * 1024,
	/** Bytes of frames a paused connection may still hand over (ws parses what it had read already). */
	relayMaxHeldBytes: 4 * 1024 * 1024,
	/**
	 * Frames of one connection checked and applied per turn of the event loop; the rest wait (the
	 * socket paused) while other sockets are read. ws hands over a whole socket read at once,
	 * hundreds of small frames from a flooder, which would hold everyone else up meanwhile.
	 */
	relayMaxFramesPerTurn: 32,
	/**
	 * Least time between two awareness broadcasts of one document: changes in between are coalesced
	 * per client id (latest state wins), so a listener gets at most 5 awareness frames a second
	 * from a document, however fast anyone sends. The first change after a quiet spell goes at once.
	 */
	relayAwarenessFlushMs: 200,

	// ── Relay rate limits (token buckets; SYNC_RATE_LIMITS=off lifts these and nothing else) ──
	/**
	 * Sync frames (updates, sync requests) one connection may send: per second sustained, and a
	 * burst. A person sends a few a second at most; a reconnecting stock client sends two; the
	 * burst covers a pasted batch or a queue of offline writes sent one by one.
	 */
	relayUpdateRatePerSecond: 20,
	relayUpdateBurst: 100,
	/** The same over all connections of one user (several devices, many conversations open). */
	relayUserUpdateRatePerSecond: 60,
	relayUserUpdateBurst: 300,
	/**
	 * Awareness frames (and awareness queries) one connection may send. A stock client echoes each
	 * awareness frame it hears (at most 1000 / relayAwarenessFlushMs a second per document), so this
	 * is a few times that, plus its own typing changes.
	 */
	relayAwarenessRatePerSecond: 15,
	relayAwarenessBurst: 60,
	/** The same over all connections of one user. */
	relayUserAwarenessRatePerSecond: 100,
	relayUserAwarenessBurst: 500,
	/** A connection over its rate this long without a break is closed (CloseCode.RateLimited): a script, not a person. */
	relayRateLimitCloseAfterMs: 10_000,
	/** After such a close the user's new sync connections are refused (429) this long, so stock clients back off. */
	relayRateLimitPenaltyMs: 10_000,
	/** Longest first start of the embedded PostgreSQL (initdb ~0.6 s idle; a small, busy box is far slower). */
	embeddedStartTimeoutMs: 60_000,
	/** How long the embedded PostgreSQL gets for a fast shutdown before an immediate one (WAL makes both safe). */
	embeddedStopTimeoutMs: 10_000,
	/**
	 * L8: the largest a conversation document may grow (bytes of its stored updates, re-measured at
	 * each compaction); an update that would take it past this is refused. Every new device and
	 * every sync step 1 of an empty client gets the whole document in one reply, held in memory
	 * until sent: a 42 MiB document asked for 28 times a second took the process from 1 to 2.1 GB.
	 * A 10 000-message chat is 1–2 MiB (attachments are uploads, only referenced), so 32 MiB is
	 * room for well over 100 000 messages; past that a conversation should be archived anyway.
	 */
	relayDocMaxBytes: 32 * 1024 * 1024,
	/**
	 * Bytes of frames (any kind) one connection may send, per second sustained and as a burst; the
	 * frame buckets above count frames, so ~1 MiB frames of valid messages made 15 MiB commit batches.
	 * A person's messages are a few hundred bytes; the burst takes a reconnect's sync step 2 of a
	 * device that was offline for days (a few MiB). A frame passes while the bucket is not in debt
	 * and then takes its whole size (so a frame larger than the burst still passes, then waits).
	 */
	relayBytesPerSecond: 256 * 1024,
	relayBytesBurst: 8 * 1024 * 1024,
	/** The same over all connections of one user. */
	relayUserBytesPerSecond: 1024 * 1024,
	relayUserBytesBurst: 16 * 1024 * 1024,
	/**
	 * Bytes of sync step 2 replies (the server's answers to sync step 1) one user may cause, over all
	 * their connections: a step 1 is a few bytes but makes the server encode and hold up to the whole
	 * document. The burst is two full-size documents (opening the app syncs every conversation once;
	 * most are small); past it, further step 1 frames wait (backpressure) until the debt is repaid.
	 */
	relayUserReplyBytesPerSecond: 2 * 1024 * 1024,
	relayUserReplyBytesBurst: 64 * 1024 * 1024,
	/** Most bytes of updates one group commit writes (each batch is one transaction that holds its documents' broadcasts). */
	relayGroupCommitMaxBatchBytes: 2 * 1024 * 1024,
	/**
	 * Refused updates (permission denied, any rule) after which a connection is closed (CloseCode.
	 * PolicyViolation), within `relayRefusalWindowMs`. A stock client never sends what the rules
	 * refuse except once after a role change it did not hear of yet; a script probing the checker
	 * sends refused frames back to back, each costing a full check.
	 */
	relayRefusalsBeforeClose: 5,
	/**
	 * Sync step 1 frames a connection may have waiting while its previous reply waits for commits:
	 * each is answered in order (the client's receipts), but none is encoded before the one ahead
	 * has gone. A person's client sends one per burst of writes; past this the socket is closed.
	 */
	relayStep1QueueMax: 16,
	relayRefusalWindowMs: 60_000,
	/** Least time between two answers to a connection's query-awareness (the room's awareness is broadcast at this rate anyway). */
	relayAwarenessQueryMinMs: 200,
	/**
	 * Entries one awareness frame may carry beyond the states the room holds: a stock client echoes
	 * every state it heard (at most the room's), so more is a forged frame made to cost parsing.
	 */
	relayAwarenessEntriesMargin: 16,

	// ── HTTP server (server/http.ts) ─────────────────────────────────────────────────────────
	/** Time a client has to send a request's headers: half-open sockets are closed after it (slowloris). */
	httpHeadersTimeoutMs: 10_000,
	/**
	 * Time a client has to send a whole request, body included: an upload of UPLOAD_MAX_BYTES on a
	 * slow mobile link (1 Mbit/s: ~7 min for 50 MB) must fit, so this is long; slow bodies are bounded
	 * by the per-address cap below instead.
	 */
	httpRequestTimeoutMs: 10 * 60_000,
	/** An idle keep-alive socket is closed after this (Node's default is 5 s; a little longer spares reconnects behind proxies). */
	httpKeepAliveTimeoutMs: 10_000,
	/**
	 * Connections (HTTP and WebSocket) open at once from one client address. One address opened
	 * 19 900 half-open sockets and exhausted file descriptors. A person has a few tabs and devices
	 * behind one NAT; a household or office more. Behind a reverse proxy every client has the
	 * proxy's address: raise this (or set it to 0 to disable) and let the proxy limit per client.
	 */
	httpMaxConnectionsPerAddress: 256,
	/** File descriptors kept free below the process's limit (database, files, logs): `maxConnections` is the limit minus this. */
	httpFdReserve: 256,
	/** Least time between two writes of one member's inbox entry for a large conversation. */
	inboxCoalesceMs: 1000,
	/**
	 * Inbox entries computed and written per pass: server writes skip the commit queue's bounds, so
	 * a pass is bounded here (one 1000-member group's message is one pass; more waits for the next).
	 */
	inboxWriteMaxPairs: 1000,
	/** Conversations up to this many members update their members' inboxes at once (no coalescing). */
	inboxImmediateMaxMembers: 50,
	/** Session lifetime, and the window before expiry in which use renews it. */
	sessionTtlMs: 30 * 24 * 3600 * 1000,
	sessionRenewWithinMs: 15 * 24 * 3600 * 1000,

	// ── Accounts ──────────────────────────────────────────────────────────────────────────────
	/** Rate limits: at most `…Max` attempts per `…WindowMs`, counted in PostgreSQL so they hold across instances. */
	/**
	 * Sign-in attempts per account and client address (slows guessing one person's password; the
	 * owner signing in from their own address is not locked out by someone else's guesses).
	 */
	rateLoginPairMax: 10,
	rateLoginPairWindowMs: 15 * 60_000,
	/** Sign-in attempts per account over all addresses: the ceiling on guessing from many addresses. */
	rateLoginAccountMax: 100,
	rateLoginAccountWindowMs: 15 * 60_000,
	/** Sign-in attempts per client address (slows spraying one password over many accounts). */
	rateLoginAddressMax: 50,
	rateLoginAddressWindowMs: 15 * 60_000,
	/** Second-factor attempts per user: 10 tries cover typos; a million codes stay out of reach. */
	rateTwoFactorMax: 10,
	rateTwoFactorWindowMs: 15 * 60_000,
	/** Accounts created per client address (slows bulk sign-ups). */
	rateRegisterAddressMax: 20,
	rateRegisterAddressWindowMs: 3600_000,
	/** Reset requests per client address, and reset mails per account (no mail bombing). */
	rateResetAddressMax: 10,
	rateResetAddressWindowMs: 3600_000,
	rateResetAccountMax: 3,
	rateResetAccountWindowMs: 3600_000,
	/** Reset confirmations per client address (each valid one costs an argon2 hash; tokens are not guessable). */
	rateResetConfirmAddressMax: 10,
	rateResetConfirmAddressWindowMs: 15 * 60_000,
	/** User searches per user: a person types a few a second at most; a script enumerating people is slowed. */
	rateUserSearchMax: 60,
	rateUserSearchWindowMs: 60_000,
	/** Public-channel searches per user, for the same reason. */
	rateChannelSearchMax: 60,
	rateChannelSearchWindowMs: 60_000,
	/**
	 * Conversations one user starts (`POST /api/conversations`, directs included): a person starts a
	 * few a day; each is a document, memberships and inbox entries for everyone named in it.
	 */
	rateConversationCreateMax: 60,
	rateConversationCreateWindowMs: 3600_000,
	/** Groups and channels one user creates per day: each may name up to `groupMaxMembers` people, whose inboxes all change. */
	rateGroupCreateMax: 50,
	rateGroupCreateWindowMs: 24 * 3600_000,
	/** Member additions by one user (`POST …/members`): an admin filling a group adds dozens; a spammer adding strangers everywhere is slowed. */
	rateMemberAddMax: 300,
	rateMemberAddWindowMs: 3600_000,
	/** Argon2 hashes and verifications running at once (each holds a libuv thread and 19 MiB): the rest of the pool stays free. */
	argon2Concurrency: 2,
	/** Argon2 tasks waiting for a slot; past this, sign-in, registration and resets answer 503 with Retry-After. */
	argon2MaxQueued: 16,
	/** Current-password checks per user (password change, 2FA disable). */
	ratePasswordCheckMax: 10,
	ratePasswordCheckWindowMs: 15 * 60_000,
	/** How long a mailed or admin-issued password-reset link works. */
	resetTokenTtlMs: 3600_000,
	/** How long an invite link works. */
	inviteTtlMs: 7 * 24 * 3600_000,
	/** How long a started 2FA setup waits for its confirming code. */
	totpSetupTtlMs: 15 * 60_000,
	/** Recovery codes issued when 2FA is enabled. */
	recoveryCodeCount: 10,
	/** Largest avatar upload (bytes); the stored WebP is far smaller. The browser checks it too (src/lib/shared/limits.ts). */
	avatarMaxBytes: SHARED_LIMITS.avatarMaxBytes,
	/**
	 * Image conversions (sharp: avatars, upload thumbnails) running at once, and waiting; past the
	 * queue the request answers 503 `busy` with Retry-After. Each conversion holds a libuv thread and
	 * up to `uploadMaxImagePixels` × 4 bytes decoded: on a small box one at a time keeps sign-in,
	 * argon2 and the relay responsive while someone uploads a gallery.
	 */
	imageWorkConcurrency: 1,
	imageWorkMaxQueued: 16,
	/** Uploads (`POST /api/uploads`) per user: a person sharing an album sends dozens; a script filling the disk is slowed. */
	rateUploadMax: 120,
	rateUploadWindowMs: 10 * 60_000,
	/** Avatar and conversation-picture changes per user (each is an image conversion). */
	rateAvatarMax: 20,
	rateAvatarWindowMs: 3600_000,
	/** Largest decoded avatar (pixels): refuses decompression bombs before they fill memory. */
	avatarMaxInputPixels: 40_000_000,
	/** Side of the stored square avatar (px). */
	avatarSizePx: 256,
	/** Most users one search answers. */
	userSearchMaxResults: 20,

	// ── Conversations and contacts ───────────────────────────────────────────────────────────
	/**
	 * Conversations one person belongs to (directs, groups, channels): each is an inbox entry, a row of
	 * `GET /api/conversations` and a document their devices keep. Others add people to groups, so
	 * without it strangers could grow someone's inbox without end. Checked before each insert; two
	 * adds racing may pass it by one or two, which bounds nothing less.
	 */
	userConversationsMax: 5000,
	/** Members of a group, owner included: every message fans out to each (inbox, unread counts). */
	groupMaxMembers: 1000,
	/** Members of a channel, subscribers included: only the owner and admins post, so fan-out is rare. */
	channelMaxMembers: 100_000,
	/** Title of a group or channel (characters): shown in every member's list and in `meta`. */
	conversationTitleMaxLength: 128,
	/** Description of a group or channel (characters): stored in `meta`, which every member syncs. */
	conversationDescriptionMaxLength: 2000,
	/** Invite links alive at once in one conversation (each is a row and a way in to watch over). */
	conversationInvitesMax: 50,
	/** Members one page of `GET /api/conversations/:id/members` answers (channels can be large; src/lib/shared/limits.ts). */
	conversationMembersPageMax: SHARED_LIMITS.conversationMembersPageMax,
	/** Most public channels one search answers. */
	channelSearchMaxResults: 20,
	/** Alias I give a contact (characters). */
	contactAliasMaxLength: 64,

	// ── Uploads (docs/uploads.md) ──────────────────────────────────────────────────────────────
	/** Largest decoded image (pixels, all frames of an animation): refuses decompression bombs before they fill memory (64 MP ≈ 256 MB decoded RGBA). */
	uploadMaxImagePixels: 64_000_000,
	/** Long side of an image's thumbnail (px): what the chat shows before the full image is opened. */
	uploadThumbSizePx: 320,
	/** Long side of the blur placeholder inlined in envelopes (px): a few hundred bytes of base64. */
	uploadPlaceholderSizePx: 16,
	/** How long an upload no message has referenced yet is kept: a phone offline for days still sends its message. */
	uploadPendingGraceMs: 3 * 24 * 3600_000,
	/** How long a stored file nobody references stays on disk: longer than any upload's final step, so a new upload of the same bytes never loses them. */
	uploadBlobGraceMs: 10 * 60_000,
	/** How often the sweeper looks for unreferenced uploads and files. */
	uploadSweepIntervalMs: 10 * 60_000,
	/** Uploads (and files) one sweep removes at most: one sweep stays a short transaction. */
	uploadSweepBatch: 500,
	// ── Storage quota, free disk and the image queue's shares (issue 21; docs/uploads.md) ────────
	/**
	 * Bytes of uploads one person may keep (UPLOAD_QUOTA_BYTES; 0: no quota): the sum of the sizes
	 * of their uploads, each counted as sent. Registration is open and referenced uploads are kept
	 * forever: without it one account fills the disk the database shares. 2 GiB is some thousand photos.
	 */
	uploadQuotaBytes: 2 * 1024 ** 3,
	/**
	 * Free bytes under DATA_DIR below which uploads are refused (DISK_FREE_FLOOR_BYTES; 507
	 * `storage_full`): what is left keeps PostgreSQL (same disk, embedded) and so messages going.
	 */
	diskFreeFloorBytes: 1024 ** 3,
	/**
	 * Image conversions one person may have in the queue at once (running and waiting): one account
	 * cannot fill `imageWorkMaxQueued` and make everyone else's photos, avatars and stickers wait or
	 * fail; past it only that person is told `busy`.
	 */
	imageWorkMaxPerUser: 3,
	/** Upload ids a loaded document keeps for R27 (newest first); older uploads are sent again (deduplicated, so cheaply). */
	relayRoomUploadIdsMax: 10_000,
	/**
	 * Member ids a loaded conversation keeps for R28 (mentions name members): every member of a
	 * group (`groupMaxMembers`); in a larger channel its moderators first, then by joining.
	 */
	relayRoomMemberIdsMax: 2000,

	// ── Stickers (docs/stickers.md) ─────────────────────────────────────────────────────────────
	/** Largest sticker image sent (bytes): the app sends a 512 px WebP of tens of KiB; anything bigger is not a sticker. */
	stickerMaxBytes: 512 * 1024,
	/** Largest decoded sticker input (pixels): refuses decompression bombs (a 512 KiB PNG can claim gigapixels). */
	stickerMaxInputPixels: 16_000_000,
	/** Side of the stored sticker (px): fits inside this square, never enlarged. */
	stickerSizePx: 512,
	/** Personal packs one person may own. */
	stickerPacksPerUserMax: 20,
	/** Stickers in one pack: a picker tab stays one screen of scrolling. */
	stickersPerPackMax: 120,
	/** Packs of others one person may add. */
	stickerAddedPacksPerUserMax: 50,
	/** Length of a pack title and of a sticker's name (characters). */
	stickerTitleMaxLength: 64,
	/** Packs and stickers created per person (each sticker is an image conversion): a script filling the disk is slowed. */
	rateStickerCreateMax: 60,
	rateStickerCreateWindowMs: 10 * 60_000,

	// ── Operations (admin panel, backups) ───────────────────────────────────────────────────────
	/** Heap blocks (8 KiB) a backup reads per query: bounds its memory to about 256 KiB of rows (plus their large values) whatever the table size. */
	backupBatchBlocks: 32,
	/** Bytes per file-data record of a backup: bounds memory while files are copied. */
	backupFileChunkBytes: 1024 * 1024,
	/** Open live-figure streams (SSE) per process: each polls the database every few seconds. */
	adminStatsStreamsMax: 20,
	/** How often the live-figure stream pushes new figures (ms). */
	adminStatsIntervalMs: 3000,
	/** Entries one audit-log page answers. */
	adminAuditPageMax: 200,
	/** Messages one moderation page answers. */
	adminMessagesPageMax: 100,

	// ── Wire (server/compression.ts; static assets are precompressed at build) ──────────────────
	/**
	 * Smallest JSON answer (its Content-Length, bytes) compressed with br or gzip for a client that
	 * accepts one. Below it the headers and the compressor's start cost more than they save.
	 */
	httpCompressMinBytes: 1024,

	// ── Notifications: web push (docs/notifications.md) ─────────────────────────────────────────
	/**
	 * Deliveries waiting to leave, one per device and conversation (later messages coalesce into
	 * the waiting one, retries included). Past it the fan-out waits: memory stays bounded however
	 * large a group or busy the server, and the relay never waits for any of it.
	 */
	pushQueueMaxEntries: 20_000,
	/**
	 * Committed batches of new messages (one per conversation, merged while waiting) not yet turned
	 * into deliveries. Past it the newest is dropped and counted (notifications are best effort;
	 * every message is stored and synced whatever happens here).
	 */
	pushFanoutMaxPending: 10_000,
	/** Messages one waiting batch holds (the rest of a burst starts the next batch): bounds its memory. */
	pushFanoutMaxMessages: 64,
	/** Recipients read per query while a batch fans out: a 100 000-subscriber channel is read in pages. */
	pushFanoutPageSize: 500,
	/** Requests to push services in flight at once (each is a socket and an encryption). */
	pushConcurrency: 16,
	/**
	 * Least time between two pushes to one device about one conversation: what arrives meanwhile
	 * replaces the waiting push ("3 new messages"), so a burst of 50 messages is two or three pushes.
	 */
	pushCoalesceMs: 2000,
	/** A push request (DNS, connect, TLS, answer) that takes longer is abandoned and retried. */
	pushRequestTimeoutMs: 10_000,
	/** Bytes of a push service's answer read at most (the status is what matters): a hostile endpoint cannot make us buffer. */
	pushResponseMaxBytes: 4096,
	/** Tries of one push (first included) on 429, 5xx, timeouts and network errors. */
	pushMaxAttempts: 5,
	/** First retry delay; doubled per try (with jitter), unless the service sent Retry-After. */
	pushRetryBaseMs: 1000,
	/** Longest wait before a retry, Retry-After included (a service asking for a day is asked again sooner, or given up on). */
	pushRetryMaxMs: 10 * 60_000,
	/** How long a push service keeps a push for a device that is offline (the TTL header, seconds). */
	pushTtlSeconds: 24 * 3600,
	/** Largest plaintext of a push (bytes): under 3 KB, well within the 4 KiB push services take after encryption. */
	pushPayloadMaxBytes: 3000,
	/** Characters of a message's text a push carries at most (the rest is cut with "…"). */
	pushPreviewMaxChars: 200,
	/** Push subscriptions one person keeps (a device each); a new one past it replaces their oldest. */
	pushSubscriptionsPerUserMax: 20,
	/** Longest push endpoint URL accepted (browsers' are 100–500 characters). */
	pushEndpointMaxLength: 2048,
	/**
	 * Read-position moves waiting to be checked for a "read" push (one statement per flush); past it
	 * a read closes no notification elsewhere (that device's next sync does). Flushed every `pushReadsFlushMs`.
	 */
	pushReadsMaxPending: 10_000,
	pushReadsFlushMs: 100,
	/** Subscriptions one person may make per window (each is a row and, at subscribe time, a DNS lookup). */
	ratePushSubscribeMax: 30,
	ratePushSubscribeWindowMs: 3600_000,

	// ── Search (docs/search.md) ─────────────────────────────────────────────────────────────────
	/** Characters of a search query (`q`): a search box holds a few words; more is a 400. */
	searchQueryMaxLength: SEARCH_QUERY_LIMITS.maxLength,
	/** Distinct words in one query: each is a GIN lookup and all must match; more is a 400. */
	searchQueryMaxTerms: SEARCH_QUERY_LIMITS.maxTerms,
	/** Shortest last word searched as a prefix (shorter ones must match whole): a 1–2 letter prefix is thousands of index entries. */
	searchPrefixMinLength: SEARCH_QUERY_LIMITS.prefixMinLength,
	/** Messages one page of `GET /api/search` answers (each gets a snippet: ts_headline over its text). */
	searchPageSize: 20,
	/** Message searches per user: typing sends one per pause (the box waits for a pause); a script reading everyone's history through search is slowed. */
	rateMessageSearchMax: 120,
	rateMessageSearchWindowMs: 60_000,
	/** Searches running at once per process (each holds a pooled connection, of 10) and waiting; past the queue: 503 `busy`. */
	searchConcurrency: 3,
	searchMaxQueued: 32,
	/**
	 * Longest a search may run in PostgreSQL (statement_timeout); past it: 503 `busy`. Ranking reads
	 * every match in the caller's conversations, so a common word over a huge archive is the cost
	 * bounded here (the bench's typical queries take a few ms).
	 */
	searchStatementTimeoutMs: 5000
} as const;

export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

export type RegistrationMode = 'open' | 'invite' | 'closed';

/** The validated, typed configuration of one process. */
export interface Config {
	port: number;
	host: string;
	origin: string;
	/** True when ORIGIN is https: cookies get `Secure`. */
	secureCookies: boolean;
	databaseUrl: string | undefined;
	dataDir: string;
	redisUrl: string | undefined;
	/** Prefix of the Redis channels (not from the environment: tests set their own to keep runs apart). */
	redisPrefix: string;
	smtpUrl: string | undefined;
	mailFrom: string;
	uploadMaxBytes: number;
	registration: RegistrationMode;
	/** SYNC_RATE_LIMITS: false lifts the relay's token buckets (benchmarks of raw capacity). */
	syncRateLimits: boolean;
	logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
	/** SIGTERM/SIGINT: the process is gone within this many ms, whatever is pending (SPEC §2). */
	shutdownTimeoutMs: number;
	limits: Limits;
	/** Bearer token `/metrics` requires; unset: `/metrics` answers 404. */
	metricsToken: string | undefined;
	/** Scheduled backups: every this many hours (0: off), keeping the newest `backupKeep`. */
	backupIntervalHours: number;
	backupKeep: number;
	/** VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY (base64url); unset: a pair made once and kept in the database. */
	vapidKeys: { publicKey: string; privateKey: string } | undefined;
	/** VAPID_SUBJECT: who push services contact (`mailto:` or `https:`); default ORIGIN when https, else a mailto at its host. */
	vapidSubject: string;
	/** PUSH_ALLOWED_HOSTS: push endpoint hosts (`host` or `host:port`, lower case) allowed besides public https hosts. */
	pushAllowedHosts: string[];
}

/** Thrown for a bad environment value; its message is the one line start-up prints. */
export class ConfigError extends Error {
	constructor(
		readonly variable: string,
		problem: string
	) {
		super(`${variable}: ${problem}`);
		this.name = 'ConfigError';
	}
}

const port = z.coerce.number().int().min(0).max(65535);
const url = (protocols: string[]) =>
	z.string().refine(
		(value) => {
			try {
				return protocols.includes(new URL(value).protocol);
			} catch {
				return false;
			}
		},
		`must be a URL starting with ${protocols.map((p) => p + '//').join(' or ')}`
	);

/** One schema per variable, so an error names exactly one variable. */
const VARIABLES = {
	PORT: port.default(3000),
	HOST: z.string().min(1).default('127.0.0.1'),
	ORIGIN: url(['http:', 'https:'])
		.refine((value) => /^[a-z]+:\/\/[^/?#]+\/?$/i.test(value), 'must be an origin: scheme, host and port, no path')
		.optional(),
	DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
	DATA_DIR: z.string().min(1).default('./data'),
	REDIS_URL: url(['redis:', 'rediss:']).optional(),
	SMTP_URL: url(['smtp:', 'smtps:']).optional(),
	MAIL_FROM: z.string().min(3).optional(),
	UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(52_428_800),
	REGISTRATION: z.enum(['open', 'invite', 'closed']).default('open'),
	SYNC_RATE_LIMITS: z.enum(['on', 'off']).default('on'),
	// Behind a reverse proxy all clients share its address: raise this, or 0 to leave it to the proxy.
	CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(0).optional(),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	// At least a second: closing sockets and committing what was accepted needs a moment.
	SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(10_000),
	// A bearer token long enough not to be guessed: /metrics is off without it.
	METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
	// Scheduled backups into DATA_DIR/backups: every N hours (0: off), keeping the newest BACKUP_KEEP.
	BACKUP_INTERVAL_HOURS: z.coerce
		.number()
		.min(0)
		.max(24 * 365)
		.default(0),
	BACKUP_KEEP: z.coerce.number().int().min(1).max(10_000).default(7),
	// Storage (issue 21): per-user upload quota (0: none) and the free-disk floor under DATA_DIR.
	UPLOAD_QUOTA_BYTES: z.coerce.number().int().min(0).optional(),
	DISK_FREE_FLOOR_BYTES: z.coerce.number().int().min(0).optional(),
	// Web push (docs/notifications.md): both keys or neither; checked to be one P-256 pair below.
	VAPID_PUBLIC_KEY: z
		.string()
		.refine((v) => isVapidPublicKey(v), 'must be an uncompressed P-256 public key, base64url (87 characters)')
		.optional(),
	VAPID_PRIVATE_KEY: z
		.string()
		.refine((v) => isBase64Url(v) && Buffer.from(v, 'base64url').length === 32, 'must be a P-256 private key, base64url (43 characters)')
		.optional(),
	VAPID_SUBJECT: z
		.string()
		.refine((v) => /^(mailto:[^\s@]+@[^\s@]+|https:\/\/[^\s/]+\S*)$/i.test(v), 'must be a mailto: address or an https: URL')
		.optional(),
	PUSH_ALLOWED_HOSTS: z
		.string()
		.transform((v) =>
			v
				.split(',')
				.map((h) => h.trim().toLowerCase())
				.filter(Boolean)
		)
		.refine((hosts) => hosts.every(isHostEntry), 'must be a comma-separated list of host or host:port')
		.optional()
} as const;

/** Whether `v` is unpadded base64url. */
function isBase64Url(v: string): boolean {
	return /^[A-Za-z0-9_-]+$/.test(v);
}

/** An uncompressed P-256 point: 65 bytes starting 0x04 (what browsers and VAPID use). */
function isVapidPublicKey(v: string): boolean {
	if (!isBase64Url(v)) return false;
	const bytes = Buffer.from(v, 'base64url');
	return bytes.length === 65 && bytes[0] === 4;
}

/** `host` or `host:port`: a DNS name, an IPv4 address, or a bracketed IPv6 address; port 1–65535. */
function isHostEntry(entry: string): boolean {
	const match = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/.exec(entry);
	if (!match) return false;
	const port = match[2] === undefined ? 1 : Number(match[2]);
	return port >= 1 && port <= 65535;
}

/** The public key of a P-256 private key (both base64url), to check that a configured pair is one. */
function publicKeyOf(privateKey: string): string {
	const ecdh = createECDH('prime256v1');
	ecdh.setPrivateKey(Buffer.from(privateKey, 'base64url'));
	return ecdh.getPublicKey().toString('base64url');
}

type Variable = keyof typeof VARIABLES;

function read<V extends Variable>(env: Record<string, string | undefined>, name: V): z.output<(typeof VARIABLES)[V]> {
	const raw = env[name];
	// An empty variable means "unset", as in most shells' `VAR= command`.
	const result = VARIABLES[name].safeParse(raw === '' ? undefined : raw);
	if (!result.success) {
		const issue = result.error.issues[0];
		throw new ConfigError(name, `${issue?.message ?? 'invalid value'} (got ${JSON.stringify(raw)})`);
	}
	return result.data as z.output<(typeof VARIABLES)[V]>;
}

/** Builds the configuration from environment variables; throws ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined>, overrides: Partial<Config> = {}): Config {
	const portValue = read(env, 'PORT');
	// Normalised as browsers send it (lower-case host, no default port, no path): compared verbatim.
	const origin = new URL(read(env, 'ORIGIN') ?? `http://localhost:${portValue}`).origin;
	const smtpUrl = read(env, 'SMTP_URL');
	const publicKey = read(env, 'VAPID_PUBLIC_KEY');
	const privateKey = read(env, 'VAPID_PRIVATE_KEY');
	if ((publicKey === undefined) !== (privateKey === undefined))
		throw new ConfigError(publicKey ? 'VAPID_PRIVATE_KEY' : 'VAPID_PUBLIC_KEY', 'set both VAPID keys, or neither');
	if (publicKey && privateKey) {
		let derived: string | null = null;
		try {
			derived = publicKeyOf(privateKey);
		} catch {
			// not a valid scalar for the curve: reported below like a mismatch
		}
		if (derived !== publicKey) throw new ConfigError('VAPID_PUBLIC_KEY', 'is not the public key of VAPID_PRIVATE_KEY');
	}
	const config: Config = {
		port: portValue,
		host: read(env, 'HOST'),
		origin,
		secureCookies: origin.startsWith('https:'),
		databaseUrl: read(env, 'DATABASE_URL'),
		dataDir: path.resolve(read(env, 'DATA_DIR')),
		redisUrl: read(env, 'REDIS_URL'),
		redisPrefix: 'parley:',
		smtpUrl,
		mailFrom: read(env, 'MAIL_FROM') ?? `Parley <no-reply@${new URL(origin).hostname}>`,
		uploadMaxBytes: read(env, 'UPLOAD_MAX_BYTES'),
		registration: read(env, 'REGISTRATION'),
		syncRateLimits: read(env, 'SYNC_RATE_LIMITS') === 'on',
		logLevel: read(env, 'LOG_LEVEL'),
		shutdownTimeoutMs: read(env, 'SHUTDOWN_TIMEOUT_MS'),
		limits: { ...DEFAULT_LIMITS },
		metricsToken: read(env, 'METRICS_TOKEN'),
		backupIntervalHours: read(env, 'BACKUP_INTERVAL_HOURS'),
		backupKeep: read(env, 'BACKUP_KEEP'),
		vapidKeys: publicKey && privateKey ? { publicKey, privateKey } : undefined,
		vapidSubject: read(env, 'VAPID_SUBJECT') ?? (origin.startsWith('https:') ? origin : `mailto:no-reply@${new URL(origin).hostname}`),
		pushAllowedHosts: read(env, 'PUSH_ALLOWED_HOSTS') ?? [],
		...overrides
	};
	const perAddress = read(env, 'CONNECTIONS_PER_ADDRESS');
	if (perAddress !== undefined) config.limits = { ...config.limits, httpMaxConnectionsPerAddress: perAddress };
	const quota = read(env, 'UPLOAD_QUOTA_BYTES');
	if (quota !== undefined) config.limits = { ...config.limits, uploadQuotaBytes: quota };
	const floor = read(env, 'DISK_FREE_FLOOR_BYTES');
	if (floor !== undefined) config.limits = { ...config.limits, diskFreeFloorBytes: floor };
	return config;
}
