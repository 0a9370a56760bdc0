// The signed-in app renders only in the browser and has no server load anywhere above it: it
// boots from the cached shell with no network, and takes its data from IndexedDB, then the relay.
export const ssr = false;
export const prerender = false;
