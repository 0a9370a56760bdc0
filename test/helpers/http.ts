// A small HTTP client for tests that keeps cookies like a browser would.

/** A client bound to one server, with its own cookie jar. */
export class TestClient {
	readonly cookies = new Map<string, string>();
	constructor(
		readonly baseUrl: string,
		readonly headers: Record<string, string> = {}
	) {}

	/** Sends a request; `json` is sent as a JSON body. */
	async request(method: string, path: string, init: { json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {}) {
		const headers: Record<string, string> = { ...this.headers, ...init.headers };
		if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
		let body = init.body;
		if (init.json !== undefined) {
			headers['content-type'] = 'application/json';
			body = JSON.stringify(init.json);
		}
		const response = await fetch(new URL(path, this.baseUrl), { method, headers, body, redirect: 'manual' });
		for (const line of response.headers.getSetCookie()) {
			const [pair] = line.split(';');
			const eq = pair!.indexOf('=');
			const name = pair!.slice(0, eq).trim();
			const value = pair!.slice(eq + 1).trim();
			if (value === '' || /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
		const text = await response.text();
		let data: any;
		try {
			data = text ? JSON.parse(text) : undefined;
		} catch {
			data = text;
		}
		return { status: response.status, headers: response.headers, data, text };
	}

	get = (path: string, init?: Parameters<TestClient['request']>[2]) => this.request('GET', path, init);
	post = (path: string, json?: unknown, init?: Parameters<TestClient['request']>[2]) => this.request('POST', path, { ...init, json });
	patch = (path: string, json?: unknown) => this.request('PATCH', path, { json });
	delete = (path: string) => this.request('DELETE', path);

	/** The Cookie header value, for a WebSocket client. */
	cookieHeader(): string {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}
}
