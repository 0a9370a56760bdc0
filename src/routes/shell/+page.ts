// The offline app shell: prerendered at build, rendered in the browser. The service worker
// precaches it and answers app navigations (e.g. /c/<id>) with it; the client router then renders
// the page the address names. See src/lib/client/pwa/navigation.ts.
export const prerender = true;
export const ssr = false;
