/**
 * Checks the new items of an update: whose client ids they use (R5), where they land (R8, R9)
 * and what they carry (R10–R20). Every value of a multi-value item is checked.
 */
import * as Y from 'yjs';
import type { EditChange, ReactionChange, WriteContext } from './context.js';
import type { DocIndex } from './doc-index.js';
import type { NewStruct, ReadUpdate } from './read-update.js';
import { refuse } from './refusal.js';
import type { WorkMeter } from './work.js';
import {
	envelopeVerdict,
	isKnownRoot,
	keyVerdict,
	mapValueVerdict,
	postVerdict,
	rootVerdict,
	type AuthorOf,
	type Verdict
} from './rules.js';
import {
	ROOT_TYPES,
	SYNC_LIMITS,
	parseReactionKey,
	type EditValue,
	type Envelope,
	type ReactionValue,
	type ReadValue,
	type RootName
} from './schema.js';

/** An edit set by a new item, with the clock of its value (to drop it if the update deletes it). */
export interface PendingEdit extends EditChange {
	client: number;
	clock: number;
}

/** What the new items add, for the projection and the delete-set check. */
export interface InsertOutcome {
	/** envelopes appended, in update order */
	added: Envelope[];
	/** edits set, in update order */
	edits: PendingEdit[];
	/** read markers the sender set (message ids), in update order */
	reads: string[];
	/** reactions the sender set (not removals), in update order */
	reactions: ReactionChange[];
	/** message author lookup over the server's index and this update's envelopes */
	authorOf: AuthorOf;
}

function orRefuse(verdict: Verdict): void {
	if (verdict !== null) refuse(verdict.rule, verdict.reason);
}

/** R5, L4: every client id with new structs is unbound or the sender's; returns the ids it newly binds. */
export function checkClients(doc: Y.Doc, read: ReadUpdate, ctx: WriteContext, meter: WorkMeter): number[] {
	const newBindings: number[] = [];
	for (const client of read.byClient.keys()) {
		meter.steps++;
		if (ctx.isServerClient?.(client) === true) refuse('R5', `client id ${client} is the server's`);
		const owner = ctx.clientOwner(client);
		if (owner === undefined) {
			// items without an owner: a binding was lost or never made; claiming them would let the
			// sender speak for whoever wrote them
			if (Y.getState(doc.store, client) > 0) refuse('R5', `client id ${client} has history but no owner`);
			newBindings.push(client);
			if (newBindings.length > SYNC_LIMITS.maxNewClients)
				refuse('L4', `more than ${SYNC_LIMITS.maxNewClients} new client ids in one update`);
		} else if (owner !== ctx.userId) {
			refuse('R5', `client id ${client} belongs to another user`);
		}
	}
	return newBindings;
}

/** The values of the new part of an item (empty for ContentDeleted). */
function newValues(ns: NewStruct): unknown[] {
	const content = ns.item.content;
	return content instanceof Y.ContentAny ? content.arr.slice(ns.offset) : [];
}

/** Whether the server holds a live (not deleted) value under `key` of map `root`. */
function hasLiveValue(doc: Y.Doc, root: string, key: string): boolean {
	const type = doc.share.get(root);
	const item = type?._map.get(key);
	return item !== undefined && !item.deleted;
}

/** Checks every new item of `read` (placements must be resolved) and collects what it adds. */
export function checkInserts(doc: Y.Doc, read: ReadUpdate, ctx: WriteContext, index: DocIndex, meter: WorkMeter): InsertOutcome {
	const addedAuthors = new Map<string, string>();
	const authorOf: AuthorOf = (id) => index.author(id) ?? addedAuthors.get(id);
	const added: Envelope[] = [];
	const mapItems: { ns: NewStruct; root: RootName; key: string }[] = [];

	// envelopes first, so that edits/pins/reads of this update may name messages it adds
	for (const ns of read.structs) {
		meter.steps++;
		const placement = ns.placement;
		if (placement === null) refuse('R7', 'unresolved item');
		orRefuse(rootVerdict(ctx, placement.root));
		const root = placement.root;
		if (!isKnownRoot(root)) refuse('R8', `unknown root type "${root}"`);
		if (ROOT_TYPES[root].shape === 'map') {
			if (placement.key === null) refuse('R9', `map "${root}" takes keyed items only`);
			mapItems.push({ ns, root, key: placement.key });
			continue;
		}
		if (placement.key !== null) refuse('R9', `array "${root}" takes no keyed items`);
		orRefuse(postVerdict(ctx));
		for (const value of newValues(ns)) {
			meter.steps++;
			orRefuse(envelopeVerdict(ctx, value));
			const envelope = value as Envelope;
			// ids key edits, pins, reads and the projection: a reused id would hijack them
			if (index.has(envelope.id) || addedAuthors.has(envelope.id)) refuse('R13', `message id ${envelope.id} is taken`);
			addedAuthors.set(envelope.id, envelope.author);
			added.push(envelope);
		}
	}

	const edits: PendingEdit[] = [];
	const reads: string[] = [];
	const reactions: ReactionChange[] = [];
	for (const { ns, root, key } of mapItems) {
		meter.steps++;
		const arrivesDeleted = ns.item.content instanceof Y.ContentDeleted;
		// R20: an item deleted before it was sent still becomes the key's entry and removes the
		// previous value, so the key rule applies; only "the message exists" is waived, and only
		// when there is no live value it could remove (e.g. offline: write, edit, delete, then sync)
		const waiveExistence = arrivesDeleted && !hasLiveValue(doc, root, key);
		orRefuse(keyVerdict(ctx, authorOf, root, key, { waiveExistence }));
		const values = newValues(ns);
		meter.steps += values.length;
		for (const value of values) orRefuse(mapValueVerdict(ctx, authorOf, root, value));
		if (root === 'edits' && values.length > 0) {
			// a map key's current value is the item's last one
			const last = values[values.length - 1] as EditValue;
			edits.push({ messageId: key, text: last.text, editedAt: last.editedAt, client: ns.client, clock: ns.end - 1 });
		}
		// R18 made sure the key names the sender and the value a known message
		if (root === 'reads' && values.length > 0) reads.push((values[values.length - 1] as ReadValue).messageId);
		// R17 made sure the key is <messageId>:<sender>
		if (root === 'reactions' && values.length > 0)
			reactions.push({ messageId: parseReactionKey(key)!.messageId, emoji: values[values.length - 1] as ReactionValue });
	}
	return { added, edits, reads, reactions, authorOf };
}
