/** Pure helpers for the contacts screen: names as I see them, order, and search input. */

/** A contact as the client keeps it (also the shape cached on the device). */
export interface ContactItem {
	id: string;
	username: string;
	displayName: string;
	avatarUrl?: string;
	alias: string | null;
}

/** The name I see: my alias for them, else their display name. */
export function shownName(contact: Pick<ContactItem, 'alias' | 'displayName'>): string {
	return contact.alias || contact.displayName;
}

/** Contacts by the name I see (locale-aware, case ignored), then username. */
export function sortContacts<T extends ContactItem>(contacts: readonly T[], locale?: string): T[] {
	const collator = new Intl.Collator(locale, { sensitivity: 'base' });
	return [...contacts].sort((a, b) => collator.compare(shownName(a), shownName(b)) || a.username.localeCompare(b.username));
}

/** Contacts whose shown name, display name or username contains `query` (case ignored). */
export function filterContacts<T extends ContactItem>(contacts: readonly T[], query: string): T[] {
	const q = query.trim().toLowerCase();
	if (!q) return [...contacts];
	return contacts.filter((c) => [shownName(c), c.displayName, c.username].some((s) => s.toLowerCase().includes(q)));
}

/** A username as typed ("@Bob " → "bob"): the server ignores case and has no "@". */
export function normalUsername(input: string): string {
	return input.trim().replace(/^@/, '').toLowerCase();
}
