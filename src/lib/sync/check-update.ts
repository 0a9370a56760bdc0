/**
 * checkUpdate: may a client's Yjs update be applied to the server's copy of a document?
 * A whitelist that refuses the whole update on anything unexpected (R1): Yjs's own threat model
 * warns that applying part of an update is exploitable. Rules: docs/sync-rules.md.
 */
import type * as Y from 'yjs';
import { checkClients, checkInserts } from './check-inserts.js';
import type { CheckResult, WriteContext } from './context.js';
import { normalizeDeleteSet } from './delete-ranges.js';
import { checkDeleteSet } from './delete-set.js';
import { DocIndex } from './doc-index.js';
import { checkIntegrationCost } from './integration-cost.js';
import { readUpdate } from './read-update.js';
import { Refusal, refuse } from './refusal.js';
import { resolvePlacements } from './resolve-parent.js';
import type { WorkMeter } from './work.js';

export type { CheckResult, DocKind, EditChange, ReactionChange, Role, RuleId, UpdateChanges, WriteContext } from './context.js';
export type { WorkMeter } from './work.js';

/**
 * Decides whether `update` (Yjs v1, as y-websocket sends it) from `ctx.userId` may be applied to
 * `doc`, the server's current copy, which is only read. Pass the document's `DocIndex`: without
 * one, an index is built by scanning every message (O(n) per call) and knows no tombstones.
 * `meter`, when given, counts the steps taken (tests bound them by the input's size, L1–L7).
 * On `ok`, the relay applies the update, persists `newBindings` as owned by `ctx.userId`, and
 * mirrors `changes`; on refusal nothing of it may be applied or passed on.
 */
export function checkUpdate(
	doc: Y.Doc,
	update: Uint8Array,
	ctx: WriteContext,
	index?: DocIndex,
	meter: WorkMeter = { steps: 0 }
): CheckResult {
	try {
		const read = readUpdate(doc, update, meter);
		// L1, L2 first: the delete set's shape costs nothing to check and bounds everything after
		const ranges = normalizeDeleteSet(read.ds, meter);
		// R8: the inbox takes no client structs at all; say so before resolving anything
		if (ctx.kind === 'inbox' && read.structs.length > 0) refuse('R8', 'the inbox is written by the server only');
		const newBindings = checkClients(doc, read, ctx, meter);
		resolvePlacements(doc, read, meter);
		checkIntegrationCost(doc, read, meter);
		const idx = index ?? new DocIndex(doc, { follow: false });
		const inserts = checkInserts(doc, read, ctx, idx, meter);
		const deletes = checkDeleteSet(doc, read, ranges, ctx, inserts.authorOf, meter);
		const edits = inserts.edits
			.filter((e) => !deletes.deletesNew(e.client, e.clock))
			.map(({ messageId, text, editedAt }) => ({ messageId, text, editedAt }));
		return {
			ok: true,
			newBindings,
			changes: { added: inserts.added, deleted: [...new Set(deletes.deleted)], edits, reads: inserts.reads, reactions: inserts.reactions }
		};
	} catch (e) {
		if (e instanceof Refusal) return { ok: false, rule: e.rule, reason: e.message };
		// anything unforeseen while reading attacker-controlled bytes: refuse rather than guess
		return { ok: false, rule: 'R2', reason: `malformed update: ${e instanceof Error ? e.message : String(e)}` };
	}
}
