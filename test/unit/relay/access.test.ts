/** A7: the awareness visibility the relay gives a connection, from privacy, contacts and blocks. */
import { describe, expect, it } from 'vitest';
import { awarenessVisibility } from '../../../server/relay/access.js';

const base = { kind: 'group', last_seen: 'everyone', blocks_member: false, non_contact: false } as const;

describe('awarenessVisibility', () => {
	it('[A7] everyone, or contacts with every other member a contact: all', () => {
		expect(awarenessVisibility(base)).toBe('all');
		expect(awarenessVisibility({ ...base, last_seen: 'contacts' })).toBe('all');
	});

	it('[A7] nobody, contacts with a non-contact member, or a block with a member: typing only', () => {
		expect(awarenessVisibility({ ...base, last_seen: 'nobody' })).toBe('typing');
		expect(awarenessVisibility({ ...base, last_seen: 'contacts', non_contact: true })).toBe('typing');
		expect(awarenessVisibility({ ...base, blocks_member: true })).toBe('typing');
		expect(awarenessVisibility({ ...base, kind: 'direct', last_seen: 'nobody' })).toBe('typing');
	});

	it('[A7] a direct conversation under a block: none', () => {
		expect(awarenessVisibility({ ...base, kind: 'direct', blocks_member: true })).toBe('none');
	});
});
