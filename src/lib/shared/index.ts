/**
 * Contracts shared by the server, the relay and the browser (issue 17): roles, kinds and message
 * permissions built from the relay's rules; one person shape and its mapping; link and token
 * formats with the open-redirect guard; the limits the browser needs. No Svelte, no Node APIs.
 */
export * from './roles.js';
export * from './people.js';
export * from './links.js';
export * from './limits.js';
