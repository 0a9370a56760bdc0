/** Parley's sync core, shared by the browser and the relay: schema, client write helpers, update and awareness checks. */
export * from './schema.js';
export * from './validate.js';
export * from './doc-ops.js';
export { DocIndex, type DocIndexOptions, type Tombstone } from './doc-index.js';
export { checkUpdate } from './check-update.js';
export type { WorkMeter } from './work.js';
export type { CheckResult, DocKind, EditChange, Role, RuleId, UpdateChanges, WriteContext } from './context.js';
export { AWARENESS_LIMITS, filterAwarenessUpdate, type AwarenessFilterResult, type AwarenessSender } from './awareness-filter.js';
