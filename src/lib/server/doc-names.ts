/** Document names live in `$lib/sync/doc-names` (the browser needs them too); re-exported for server code. */
export * from '../sync/doc-names.js';
