/** Internal: how checks deep inside checkUpdate stop it with one rule's verdict. */
import type { RuleId } from './context.js';

/** Thrown by a check; checkUpdate turns it into `{ ok: false, rule, reason }`. */
export class Refusal extends Error {
	/** the rule of docs/sync-rules.md that the update breaks */
	readonly rule: RuleId;
	constructor(rule: RuleId, reason: string) {
		super(reason);
		this.rule = rule;
	}
}

/** Stops the check: the update breaks `rule`. */
export function refuse(rule: RuleId, reason: string): never {
	throw new Refusal(rule, reason);
}
