/**
 * My contacts and the people I blocked, as runes state. The lists are cached on the device (the
 * user's key-value store), so the contacts page reads offline; changes need the server and say so
 * (`ApiError.unreachable`) instead of pretending.
 */
import type { Api, ApiBlocked, ApiContact, ApiUser } from '../api/index.js';
import type { KeyValueStore } from '../storage/types.js';
import { sortContacts, type ContactItem } from '../people/contacts.js';
import type { Person } from './types.js';
import { toPerson } from '../../shared/people.js';

/** Keys of the device cache. */
const CACHE = { contacts: 'contacts', blocked: 'blocked' } as const;

export type ContactsStatus = 'loading' | 'ready' | 'offline';

const item = (c: ApiContact): ContactItem => ({ ...toPerson(c.user), alias: c.alias });

export class ContactsState {
	#contacts = $state.raw<ContactItem[]>([]);
	#blocked = $state.raw<Person[]>([]);
	#status = $state<ContactsStatus>('loading');
	readonly #api: Api;
	readonly #kv: KeyValueStore;
	readonly #remember: (people: ApiUser[]) => void;
	#loaded: Promise<void> | null = null;

	constructor(deps: { api: Api; kv: KeyValueStore; remember: (people: ApiUser[]) => void }) {
		this.#api = deps.api;
		this.#kv = deps.kv;
		this.#remember = deps.remember;
	}

	/** By the name I see. */
	get contacts(): ContactItem[] {
		return this.#contacts;
	}
	get blocked(): Person[] {
		return this.#blocked;
	}
	/** `offline`: the lists are the device's copy (the server did not answer). */
	get status(): ContactsStatus {
		return this.#status;
	}

	contact(userId: string): ContactItem | undefined {
		return this.#contacts.find((c) => c.id === userId);
	}
	isBlocked(userId: string): boolean {
		return this.#blocked.some((p) => p.id === userId);
	}

	/** The cached lists at once, then the server's (once per hub unless `force`). */
	load(force = false): Promise<void> {
		if (!this.#loaded || force) this.#loaded = this.#load();
		return this.#loaded;
	}

	async #load(): Promise<void> {
		if (this.#status === 'loading') {
			const [contacts, blocked] = await Promise.all([
				this.#kv.get<ContactItem[]>(CACHE.contacts).catch(() => undefined),
				this.#kv.get<Person[]>(CACHE.blocked).catch(() => undefined)
			]);
			if (contacts) this.#contacts = contacts;
			if (blocked) this.#blocked = blocked;
		}
		try {
			const [contacts, blocked] = await Promise.all([this.#api.contacts(), this.#api.blocked()]);
			this.#setContacts(contacts.map(item));
			this.#setBlocked(blocked.map((b: ApiBlocked) => toPerson(b.user)));
			this.#remember([...contacts.map((c) => c.user), ...blocked.map((b) => b.user)]);
			this.#status = 'ready';
		} catch (error) {
			this.#status = 'offline';
			// a refusal other than "no answer" (signed out) is not an offline copy: let the caller see it
			if (!(error as { unreachable?: boolean }).unreachable) throw error;
		}
	}

	/** Adds by username (or id); the contact. */
	async add(who: { username: string } | { userId: string }, alias?: string): Promise<ContactItem> {
		const added = item(await this.#api.addContact(who, alias));
		this.#remember([toPerson(added)]);
		this.#setContacts([...this.#contacts.filter((c) => c.id !== added.id), added]);
		return added;
	}

	/** Sets (or clears, with "") the name I see for a contact. */
	async setAlias(userId: string, alias: string): Promise<void> {
		const changed = item(await this.#api.setAlias(userId, alias.trim() || null));
		this.#setContacts(this.#contacts.map((c) => (c.id === userId ? changed : c)));
	}

	async remove(userId: string): Promise<void> {
		await this.#api.removeContact(userId);
		this.#setContacts(this.#contacts.filter((c) => c.id !== userId));
	}

	async block(user: Omit<Person, 'avatarUrl'> & { avatarUrl?: string | null }): Promise<void> {
		await this.#api.block(user.id);
		const blocked = toPerson({ ...user, avatarUrl: user.avatarUrl ?? undefined });
		this.#setBlocked([...this.#blocked.filter((p) => p.id !== user.id), blocked]);
	}

	async unblock(userId: string): Promise<void> {
		await this.#api.unblock(userId);
		this.#setBlocked(this.#blocked.filter((p) => p.id !== userId));
	}

	#setContacts(next: ContactItem[]): void {
		this.#contacts = sortContacts(next);
		void this.#kv.set(CACHE.contacts, this.#contacts).catch(() => {});
	}

	#setBlocked(next: Person[]): void {
		this.#blocked = next;
		void this.#kv.set(CACHE.blocked, this.#blocked).catch(() => {});
	}
}
