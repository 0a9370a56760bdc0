/**
 * The client layer's public API for pages (see docs/architecture.md, "Client"). Pages get the
 * `SessionHub` through context (`setHub`/`getHub`), never from a module singleton.
 */
export { SessionHub, browserStorage, type SessionHubOptions, type BootResult } from './session-hub.svelte.js';
export { InboxState } from './inbox.svelte.js';
export { ConversationState } from './conversation.svelte.js';
export { ConnectivityState } from './connectivity.svelte.js';
export { DraftsState } from './drafts.svelte.js';
export { setHub, getHub } from './context.js';
export type { Me, Person, InboxItem, MessageView, MessageState, SyncStatus, Connectivity, RemovedReason } from './types.js';
export { StickerState } from './stickers.svelte.js';
