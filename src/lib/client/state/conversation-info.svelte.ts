/**
 * The conversation info panel's state: the conversation as the server describes it (title,
 * description, picture, member count, my role and flags), its members and live invite links, and
 * the actions on them (the panel's `ConversationInfoActions`: this object is passed as is).
 * Everything here needs the server; offline the panel says so. After I left or deleted it, the
 * status is `left` (the page goes back to the list).
 */
import type { Api, ApiConversation, ApiInvite, ApiInviteLink, ApiMember, ApiSettings, ApiUser } from '../api/index.js';

/** Members fetched for the panel; a larger conversation shows the first page and the count. */
export const INFO_MEMBERS_PAGE = 200;

export type InfoStatus = 'loading' | 'ready' | 'offline' | 'gone' | 'left';

export class ConversationInfoState {
	readonly id: string;
	#conversation = $state.raw<ApiConversation | null>(null);
	#members = $state.raw<ApiMember[]>([]);
	#invites = $state.raw<ApiInvite[]>([]);
	/** the link made last (its token is known only now) */
	#newLink = $state.raw<ApiInviteLink | null>(null);
	#status = $state<InfoStatus>('loading');
	readonly #api: Api;
	readonly #me: string;
	readonly #remember: (people: ApiUser[]) => void;
	readonly #left: (conversationId: string) => void;

	constructor(id: string, deps: { api: Api; me: string; remember: (people: ApiUser[]) => void; left: (conversationId: string) => void }) {
		this.id = id;
		this.#api = deps.api;
		this.#me = deps.me;
		this.#remember = deps.remember;
		this.#left = deps.left;
	}

	get conversation(): ApiConversation | null {
		return this.#conversation;
	}
	get members(): ApiMember[] {
		return this.#members;
	}
	get invites(): ApiInvite[] {
		return this.#invites;
	}
	get newLink(): ApiInviteLink | null {
		return this.#newLink;
	}
	get status(): InfoStatus {
		return this.#status;
	}

	/** Asks the server for the conversation, its members and (owner/admin) its invite links. */
	async load(): Promise<void> {
		try {
			const conversation = await this.#api.conversation(this.id);
			const manages = conversation.kind !== 'direct' && (conversation.role === 'owner' || conversation.role === 'admin');
			const [members, invites] = await Promise.all([
				this.#api.members(this.id, INFO_MEMBERS_PAGE),
				manages ? this.#api.invites(this.id) : Promise.resolve([])
			]);
			this.#conversation = conversation;
			this.#members = members;
			this.#invites = invites;
			this.#remember(members.map((m) => m.user));
			this.#status = 'ready';
		} catch (error) {
			const e = error as { unreachable?: boolean; status?: number };
			if (e.unreachable) this.#status = 'offline';
			else if (e.status === 403 || e.status === 404) this.#status = 'gone';
			else throw error;
		}
	}

	async edit(changes: { title?: string; description?: string; public?: boolean }): Promise<void> {
		this.#conversation = await this.#api.editConversation(this.id, changes);
	}

	async setPicture(image: Blob): Promise<void> {
		await this.#api.setPicture(this.id, image);
		await this.load();
	}

	async removePicture(): Promise<void> {
		await this.#api.removePicture(this.id);
		await this.load();
	}

	async addMember(userId: string): Promise<void> {
		await this.#api.addMember(this.id, userId);
		await this.load();
	}

	async removeMember(userId: string): Promise<void> {
		await this.#api.removeMember(this.id, userId);
		await this.load();
	}

	async setRole(userId: string, role: ApiMember['role']): Promise<void> {
		await this.#api.setRole(this.id, userId, role);
		await this.load();
	}

	/** Leaves; an owner may name who takes over first (else the server's rule picks, C4). */
	async leave(newOwner?: string): Promise<void> {
		if (newOwner) await this.#api.setRole(this.id, newOwner, 'owner');
		await this.#api.removeMember(this.id, this.#me);
		this.#gone();
	}

	async delete(): Promise<void> {
		await this.#api.deleteConversation(this.id);
		this.#gone();
	}

	#gone(): void {
		this.#status = 'left';
		this.#left(this.id);
	}

	async settings(changes: Partial<ApiSettings>): Promise<void> {
		const next = await this.#api.settings(this.id, changes);
		if (this.#conversation) this.#conversation = { ...this.#conversation, ...next };
	}

	async createInvite(): Promise<ApiInviteLink> {
		const link = await this.#api.createInvite(this.id);
		this.#newLink = link;
		this.#invites = [link, ...this.#invites];
		return link;
	}

	async revokeInvite(inviteId: string): Promise<void> {
		await this.#api.revokeInvite(this.id, inviteId);
		this.#invites = this.#invites.filter((i) => i.id !== inviteId);
		if (this.#newLink?.id === inviteId) this.#newLink = null;
	}
}
