/**
 * Own messages' delivery state, pending → sent → read, never backwards: what is observed can
 * regress for a moment (a recovery puts a confirmed write back in the outbox, a reader's device
 * lags), so the shown state is the highest one ever observed for that message id.
 */
import type { MessageState } from '../state/types.js';

const RANK: Record<MessageState, number> = { pending: 0, sent: 1, read: 2 };

/** What one look at the document and the outbox says about an own message. */
export function observedState(facts: { pending: boolean; readByOthers: boolean }): MessageState {
	if (facts.readByOthers) return 'read';
	return facts.pending ? 'pending' : 'sent';
}

/** The highest state seen per message id. */
export class MonotonicStates {
	#seen = new Map<string, MessageState>();

	/** Records `observed` for `id` and returns the state to show (never lower than before). */
	next(id: string, observed: MessageState): MessageState {
		const previous = this.#seen.get(id);
		if (previous !== undefined && RANK[previous] >= RANK[observed]) return previous;
		this.#seen.set(id, observed);
		return observed;
	}

	/** The state shown so far, if any. */
	get(id: string): MessageState | undefined {
		return this.#seen.get(id);
	}
}
