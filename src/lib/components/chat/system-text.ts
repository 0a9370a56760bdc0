// The sentence for a system notice ("Ann added Bob"); names are resolved by the caller.
import * as m from '$lib/i18n/paraglide/messages.js';
import type { MessageItem, People } from './types';

const ROLES: Record<string, () => string> = {
	owner: m.role_owner,
	admin: m.role_admin,
	member: m.role_member,
	subscriber: m.role_subscriber
};

/** What a system message says, in the page's language. */
export function systemText(message: MessageItem, people: People): string {
	const s = message.system;
	const name = message.authorName;
	const user = s?.userId ? people.name(s.userId) : '';
	switch (s?.event) {
		case 'created':
			return m.system_created({ name });
		case 'member_added':
			return m.system_member_added({ name, user });
		case 'member_joined':
			return m.system_member_joined({ name });
		case 'member_removed':
			return m.system_member_removed({ name, user });
		case 'member_left':
			return m.system_member_left({ name });
		case 'role_changed':
			return m.system_role_changed({ user, role: ROLES[s.role ?? '']?.() ?? s.role ?? '' });
		case 'title_changed':
			return m.system_title_changed({ name, title: s.title ?? '' });
		default:
			return '';
	}
}
