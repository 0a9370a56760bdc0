// Mentions: the `mentions` field's shape (R10) and who may be mentioned (R28).
import { describe, expect, it } from 'vitest';
import { SYNC_LIMITS } from '$lib/sync/schema';
import { mentionsProblem } from '$lib/sync/validate';
import { both, env, expectAccepted, expectRefused, seededGroup } from './support.js';

describe('checkUpdate: mentions', () => {
	it('[R10] mentions are 1..maxMentions distinct user ids', () => {
		expect(mentionsProblem(['bob', 'carol'])).toBeNull();
		expect(mentionsProblem([])).not.toBeNull();
		expect(mentionsProblem(['bob', 'bob'])).toBe('mention repeated');
		expect(mentionsProblem(['not an id'])).toBe('mention is not a user id');
		expect(mentionsProblem('bob')).not.toBeNull();
		expect(mentionsProblem(Array.from({ length: SYNC_LIMITS.maxMentions + 1 }, (_, i) => `u${i}`))).not.toBeNull();
		const { relay } = seededGroup();
		for (const mentions of [[], ['bob', 'bob'], ['x:y'], 'bob', [1]]) {
			const c = relay.client('carol');
			c.t.messages.push([env('c9', 'carol', { mentions: mentions as never })]);
			expectRefused(relay, 'carol', both(c), 'R10');
		}
	});

	it("[R28] with the conversation's member ids: only members are mentioned", () => {
		const { relay } = seededGroup();
		relay.members = new Set(['alice', 'bob', 'carol', 'dave']);
		const ok = relay.client('carol');
		ok.t.messages.push([env('c2', 'carol', { text: '@bob @alice', mentions: ['bob', 'alice'] })]);
		const accepted = expectAccepted(relay, 'carol', both(ok));
		expect(accepted.changes.added[0]!.mentions).toEqual(['bob', 'alice']);
		const bad = relay.client('carol');
		bad.t.messages.push([env('c3', 'carol', { mentions: ['bob', 'mallory'] })]);
		expectRefused(relay, 'carol', both(bad), 'R28');
		// a former member is no longer mentionable
		relay.members.delete('bob');
		const after = relay.client('carol');
		after.t.messages.push([env('c4', 'carol', { mentions: ['bob'] })]);
		expectRefused(relay, 'carol', both(after), 'R28');
	});

	it("[R28] without a member lookup (other rules' tests) mentions are only shape-checked", () => {
		const { relay } = seededGroup();
		const c = relay.client('carol');
		c.t.messages.push([env('c2', 'carol', { mentions: ['anyone'] })]);
		expectAccepted(relay, 'carol', both(c));
	});

	it('reactions an update sets are reported in its changes (for reaction notifications)', () => {
		const { relay } = seededGroup();
		const c = relay.client('carol');
		c.t.reactions.set('a1:carol', ['👍']);
		expect(expectAccepted(relay, 'carol', both(c)).changes.reactions).toEqual([{ messageId: 'a1', emoji: ['👍'] }]);
	});
});
