/**
 * Rooms being loaded, for the per-room sets that events keep current (R27 upload ids, R28 member
 * ids): between a room's construction and the relay listing it as loaded, `peek` does not see it,
 * yet an event heard meanwhile must reach it. `during(room, load)` lists it while its set loads.
 */

/** The rooms an event about `docName` concerns (loaded or loading), and the wrapper that lists a loading one. */
export function loadingRooms<R extends { name: string }>(peek: (docName: string) => R | undefined) {
	const loading = new Map<string, R>();
	return {
		roomsOf(docName: string): R[] {
			return [peek(docName), loading.get(docName)].filter((r, i, all): r is R => !!r && all.indexOf(r) === i);
		},
		async during(room: R, load: () => Promise<void>): Promise<void> {
			loading.set(room.name, room);
			try {
				await load();
			} finally {
				// After the relay lists the room as loaded (it does so right after its onLoad resolves).
				setImmediate(() => {
					if (loading.get(room.name) === room) loading.delete(room.name);
				});
			}
		}
	};
}
