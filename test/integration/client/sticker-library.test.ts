// StickerLibrary (src/lib/client/stickers/library.ts) in Node against a real Parley: the picker is
// kept on the device and read back with the server gone; a pack seen in a chat is looked up once,
// names its stickers, and an unknown pack or sticker resolves as unavailable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { createStickerApi } from '$lib/client/api';
import { MemoryDeviceStorage } from '$lib/client/storage/memory';
import { StickerLibrary } from '$lib/client/stickers/library';
import { BUILTIN_PACK_ID } from '$lib/stickers/builtin';
import { testDatabaseKind } from '../../helpers/database.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { waitFor } from '../../helpers/sync.js';
import { signUp, type TestUser } from '../../helpers/users.js';
import { fetchAs } from './helpers.js';

describe(`client: sticker library (${testDatabaseKind()})`, () => {
	let server: TestServer;
	let alice: TestUser, bob: TestUser;

	const library = (user: TestUser, storage: MemoryDeviceStorage, origin = server.url, locale = 'en') =>
		new StickerLibrary({
			api: createStickerApi({ origin, fetch: fetchAs(user, server) }),
			kv: storage.user(user.id).kv,
			locale: () => locale
		});
	const png = () =>
		sharp({ create: { width: 64, height: 64, channels: 4, background: '#3a6' } })
			.png()
			.toBuffer();

	beforeAll(async () => {
		server = await startTestServer();
		[alice, bob] = await Promise.all([signUp(server.url, 'alice'), signUp(server.url, 'bob')]);
	});
	afterAll(() => server?.close());

	it('makes a sticker into a new pack, and the picker is read back from the device with the server unreachable', async () => {
		const storage = new MemoryDeviceStorage();
		const online = library(alice, storage);
		await online.load();
		expect(online.packs.map((p) => p.id)).toEqual([BUILTIN_PACK_ID]);
		const made = await online.addSticker({ newPackTitle: 'Mine' }, new Blob([await png()], { type: 'image/png' }), 'Leaf');
		expect(online.ownPacks).toMatchObject([{ id: made.packId, title: 'Mine', stickers: [{ id: made.id, name: 'Leaf' }] }]);
		expect(online.resolve(made.packId, made.id)).toMatchObject({ status: 'ready', name: 'Leaf' });

		const offline = library(alice, storage, 'http://127.0.0.1:9');
		await offline.load();
		expect(offline.packs.map((p) => p.title)).toEqual(['Parley', 'Mine']);
		expect(offline.has(made.packId)).toBe(true);
		expect(offline.resolve(made.packId, made.id)).toMatchObject({ status: 'ready', name: 'Leaf' });
	});

	it('looks up a pack seen in a chat once, adds it, and resolves unknown packs and stickers as unavailable', async () => {
		const mine = library(alice, new MemoryDeviceStorage());
		const made = await mine.addSticker({ newPackTitle: 'Shared' }, new Blob([await png()]), 'Wave');

		const storage = new MemoryDeviceStorage();
		const lib = library(bob, storage, server.url, 'ru');
		await lib.load();
		expect(lib.resolve(BUILTIN_PACK_ID, 'hello')).toMatchObject({ status: 'ready', name: 'Привет' });
		expect(lib.resolve(BUILTIN_PACK_ID, 'nope')).toEqual({ status: 'unavailable' });
		expect(lib.resolve(made.packId, made.id)).toMatchObject({ status: 'loading', url: `/api/stickers/${made.packId}/${made.id}` });
		await waitFor(() => lib.resolve(made.packId, made.id).status === 'ready', { what: 'the pack looked up' });
		expect(lib.resolve(made.packId, made.id)).toMatchObject({ name: 'Wave' });
		expect(lib.resolve(made.packId, 'aaaaaaaaaaaaaaaaaaaaaaaa')).toEqual({ status: 'unavailable' });
		expect(lib.has(made.packId)).toBe(false);

		const missing = 'bbbbbbbbbbbbbbbbbbbbbbbb';
		expect(lib.resolve(missing, made.id).status).toBe('loading');
		await waitFor(() => lib.resolve(missing, made.id).status === 'unavailable', { what: 'a 404 remembered' });

		await lib.addPack(made.packId);
		expect(lib.has(made.packId)).toBe(true);
		// another library on the same device knows the seen pack's names before any request
		const later = library(bob, storage, 'http://127.0.0.1:9');
		await later.load();
		expect(later.resolve(made.packId, made.id)).toMatchObject({ status: 'ready', name: 'Wave' });
		await lib.removePack(made.packId);
		expect(lib.has(made.packId)).toBe(false);
	});
});
