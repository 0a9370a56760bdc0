// Users for tests, made through the public API like any client would.
import { expect } from 'vitest';
import { TestClient } from './http.js';

export interface TestUser {
	id: string;
	username: string;
	client: TestClient;
	cookie: string;
}

let counter = 0;

/** Registers a user (and keeps their session cookie). */
export async function signUp(baseUrl: string, name = 'user'): Promise<TestUser> {
	const client = new TestClient(baseUrl);
	const username = `${name}_${process.pid % 1000}_${++counter}`.toLowerCase();
	const res = await client.post('/api/auth/register', { username, password: `correct horse ${username} battery`, displayName: name });
	expect(res.status, JSON.stringify(res.data)).toBe(201);
	return { id: res.data.user.id, username, client, cookie: client.cookieHeader() };
}

/** Creates a conversation as `owner` through the API; returns it. */
export async function createConversation(owner: TestUser, body: Record<string, unknown>) {
	const res = await owner.client.post('/api/conversations', body);
	expect(res.status, JSON.stringify(res.data)).toBeLessThan(300);
	return res.data.conversation as { id: string; kind: string; title: string; docName: string; role: string };
}
