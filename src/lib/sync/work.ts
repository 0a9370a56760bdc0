/**
 * A count of the checker's elementary steps (structs visited, ranges compared, values checked,
 * binary-search probes). Tests use it to prove that the work of checking an update stays linear
 * in the update's size and the document's, without timing anything on a shared machine.
 */

/** Steps counted so far; pass one to checkUpdate to read it afterwards. */
export interface WorkMeter {
	steps: number;
}

/** The probes of a binary search over `n` entries (⌈log2(n + 1)⌉, at least 1). */
export function searchSteps(n: number): number {
	return n <= 0 ? 1 : 32 - Math.clz32(n);
}
