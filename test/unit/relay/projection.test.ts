import { describe, expect, it } from 'vitest';
import { projectMessages } from '../../../server/relay/projection.js';

const envelope = (id: string, text = id, mentions?: string[]) => ({
	id,
	author: 'u1',
	createdAt: 1_700_000_000_000,
	text,
	...(mentions ? { mentions } : {})
});
const item = (
	docName: string,
	extra: {
		added?: ReturnType<typeof envelope>[];
		deleted?: string[];
		edits?: Array<{ messageId: string; text: string; editedAt: number }>;
		reads?: string[];
	}
) => ({
	docName,
	update: new Uint8Array(),
	bindings: [],
	extra: {
		added: extra.added ?? [],
		deleted: extra.deleted ?? [],
		edits: extra.edits ?? [],
		reads: extra.reads ?? [],
		reactions: [],
		userId: 'u1'
	}
});

describe('projection of a batch into messages', () => {
	it('records who each new message mentions, not for a message deleted in the same batch', () => {
		const steps = projectMessages([item('d', { added: [envelope('m1', 'hi', ['a', 'b']), envelope('m2', 'x', ['c'])], deleted: ['m2'] })]);
		const mentions = steps.find((s) => s.sql.includes('message_mentions'))!;
		expect(mentions.params).toEqual([
			['d', 'd'],
			['m1', 'm1'],
			['a', 'b']
		]);
	});

	it('writes nothing for a batch without envelope changes', () => {
		expect(projectMessages([item('d', {})])).toEqual([]);
	});

	it('folds edits and deletes of envelopes added in the same batch into their insert', () => {
		const steps = projectMessages([
			item('d', { added: [envelope('m1'), envelope('m2')] }),
			item('d', { edits: [{ messageId: 'm1', text: 'newer', editedAt: 20 }] }),
			item('d', { edits: [{ messageId: 'm1', text: 'older', editedAt: 10 }], deleted: ['m2'] })
		]);
		expect(steps).toHaveLength(1);
		const [docs, ids, , , texts, , , editedAt, deleted] = steps[0]!.params as unknown[][];
		expect(docs).toEqual(['d', 'd']);
		expect(ids).toEqual(['m1', 'm2']);
		expect(texts).toEqual(['newer', '']);
		expect(editedAt).toEqual([20, null]);
		expect(deleted).toEqual([false, true]);
	});

	it('updates older rows, keeping the newest edit, and a deletion wins over an edit', () => {
		const steps = projectMessages([
			item('d', {
				edits: [
					{ messageId: 'old1', text: 'a', editedAt: 5 },
					{ messageId: 'old1', text: 'b', editedAt: 7 }
				]
			}),
			item('d', { edits: [{ messageId: 'old2', text: 'c', editedAt: 5 }], deleted: ['old2'] }),
			item('e', { edits: [{ messageId: 'old1', text: 'other doc', editedAt: 1 }] })
		]);
		expect(steps).toHaveLength(2);
		expect(steps[0]!.sql).toMatch(/^update messages m set text/);
		expect(steps[0]!.params).toEqual([
			['d', 'e'],
			['old1', 'old1'],
			['b', 'other doc'],
			[7, 1]
		]);
		expect(steps[1]!.sql).toMatch(/set deleted_at/);
		expect(steps[1]!.params).toEqual([['d'], ['old2']]);
	});

	it('moves read markers with the sender as the reader', () => {
		const steps = projectMessages([item('d', { reads: ['m1', 'm3'] }), item('e', { reads: ['x'] })]);
		expect(steps).toHaveLength(1);
		expect(steps[0]!.sql).toMatch(/insert into read_markers/);
		expect(steps[0]!.params).toEqual([
			['d', 'd', 'e'],
			['u1', 'u1', 'u1'],
			['m1', 'm3', 'x']
		]);
	});

	it('records which uploads new envelopes reference (attachments and a poster thumbnail), once each', () => {
		const media = {
			...envelope('m1'),
			kind: 'media' as const,
			attachments: [
				{ id: 'up1', url: '/api/uploads/up1', mime: 'video/mp4', size: 1, thumbUrl: '/api/uploads/poster/thumb' },
				{ id: 'up2', url: '/api/uploads/up2', mime: 'image/png', size: 1, thumbUrl: '/api/uploads/up2/thumb' }
			]
		};
		const steps = projectMessages([item('d', { added: [media as never, envelope('m2')] })]);
		const references = steps.find((s) => s.sql.includes('message_uploads'));
		expect(references?.params).toEqual([
			['d', 'd', 'd'],
			['m1', 'm1', 'm1'],
			['up1', 'poster', 'up2']
		]);
	});
});
