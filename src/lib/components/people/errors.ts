// What to tell a person when an action around the chats failed.
import * as m from '$lib/i18n/paraglide/messages.js';

/** "Needs the network" when there was no answer, else the server's reason. */
export function failureText(error: unknown): string {
	const e = error as { unreachable?: boolean; message?: string };
	return e.unreachable ? m.people_needs_network() : m.people_failed({ message: e.message ?? String(error) });
}
