/** R26: a drafts document holds only `drafts`: conversation id → {text, at}; nothing else, in no other document. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { draftEntries } from '../../../src/lib/sync/schema.js';
import { TestRelay, env } from './support.js';

const relay = () => new TestRelay('drafts', { alice: 'member' });

describe('[R26] drafts document', () => {
	it('[R26] accepts {text, at} per conversation id; overwrites and deletes by another device of the owner', () => {
		const r = relay();
		const phone = r.client('alice');
		draftEntries(phone.doc).set('c1', { text: 'hello', at: 1 });
		expect(r.submit('alice', phone.diff()).ok).toBe(true);
		const laptop = r.client('alice');
		draftEntries(laptop.doc).set('c1', { text: 'hello there', at: 2 });
		expect(r.submit('alice', laptop.diff()).ok).toBe(true);
		draftEntries(laptop.doc).delete('c1');
		expect(r.submit('alice', laptop.diff()).ok).toBe(true);
		expect(draftEntries(r.doc).has('c1')).toBe(false);
	});

	it('[R26] refuses other roots, keys that are not ids, and values that are not {text, at} within limits', () => {
		const cases: [string, (doc: Y.Doc) => void][] = [
			['messages', (d) => d.getArray('messages').push([env('m1', 'alice')])],
			['other map', (d) => d.getMap('notes').set('x', 1)],
			['bad key', (d) => draftEntries(d).set('not an id!', { text: 'x', at: 1 })],
			['extra field', (d) => draftEntries(d).set('c1', { text: 'x', at: 1, html: '<b>' } as never)],
			['no at', (d) => draftEntries(d).set('c1', { text: 'x' } as never)],
			['too long', (d) => draftEntries(d).set('c1', { text: 'x'.repeat(17 * 1024), at: 1 })],
			['nested type', (d) => draftEntries(d).set('c1', new Y.Text('x') as never)]
		];
		for (const [name, write] of cases) {
			const r = relay();
			const device = r.client('alice');
			write(device.doc);
			const result = r.check('alice', device.diff());
			expect(result.ok, name).toBe(false);
			expect(result.ok ? null : result.rule, name).toMatch(/^R(26|6)$/);
		}
	});

	it('[R26] a conversation document takes no drafts map (R8: unknown root there)', () => {
		const r = new TestRelay('group', { alice: 'owner' });
		const device = r.client('alice');
		draftEntries(device.doc).set('c1', { text: 'x', at: 1 });
		const result = r.check('alice', device.diff());
		expect(result.ok ? null : result.rule).toBe('R8');
	});
});
