// A role's name in the UI language.
import * as m from '$lib/i18n/paraglide/messages.js';
import type { Role } from '../types';

export const ROLE_NAMES: Record<Role, () => string> = {
	owner: m.people_role_owner,
	admin: m.people_role_admin,
	member: m.people_role_member,
	subscriber: m.people_role_subscriber
};
