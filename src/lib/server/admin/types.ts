/** Shapes the admin area shares with the relay and the routes. */

/** What the relay of this process reports about itself (`relay.stats()`). */
export interface RelayStats {
	/** Sync WebSockets open on this instance. */
	openSockets: number;
	/** Users with at least one sync socket open on this instance. */
	onlineUsers: number;
	/** Yjs documents held in memory. */
	loadedDocuments: number;
	/** Updates committed per second, averaged over the last minute. */
	updatesPerSecond: number;
	/** 99th percentile of group-commit time over the last minute (ms); null with no commit. */
	commitP99Ms: number | null;
	/** Commits in the last minute. */
	commitsLastMinute: number;
}
