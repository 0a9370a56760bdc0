// The chat view's row model: day separators, author groups and the "new messages" divider.
import { describe, expect, it } from 'vitest';
import { GROUP_GAP_MS, buildRows } from '$lib/components/chat/rows';
import type { MessageItem } from '$lib/components/chat/types';

const day = new Date(2026, 10, 20, 9, 0).getTime();
function msg(id: string, authorId: string, createdAt: number, extra: Partial<MessageItem> = {}): MessageItem {
	return { id, authorId, authorName: authorId, createdAt, text: id, own: authorId === 'me', ...extra };
}

describe('buildRows', () => {
	it('groups one author’s close messages and starts a group on a new author, a gap or a new day', () => {
		const rows = buildRows(
			[
				msg('a1', 'ann', day),
				msg('a2', 'ann', day + 60_000),
				msg('b1', 'bob', day + 120_000),
				msg('b2', 'bob', day + 120_000 + GROUP_GAP_MS + 1),
				msg('b3', 'bob', day + 24 * 3600_000)
			],
			null
		);
		expect(rows.map((r) => r.groupStart)).toEqual([true, false, true, true, true]);
		expect(rows.map((r) => r.newDay)).toEqual([true, false, false, false, true]);
		expect(rows.some((r) => r.firstUnread)).toBe(false);
	});

	it('marks the first unread message, which also starts a group', () => {
		const rows = buildRows([msg('a1', 'ann', day), msg('a2', 'ann', day + 1000), msg('a3', 'ann', day + 2000)], 'a2');
		expect(rows.map((r) => r.firstUnread)).toEqual([false, true, false]);
		expect(rows.map((r) => r.groupStart)).toEqual([true, true, false]);
	});

	it('never groups system notices with messages', () => {
		const rows = buildRows([msg('s', 'ann', day, { kind: 'system' }), msg('a1', 'ann', day + 1000)], null);
		expect(rows.map((r) => r.groupStart)).toEqual([true, true]);
	});
});
