// Which addresses a push may go to (src/lib/server/push/address.ts, endpoint.ts): public unicast
// only, however the address is spelled; allowed hosts are the operator's exception.
import { describe, expect, it } from 'vitest';
import { ipv6Groups, isPublicAddress } from '$lib/server/push/address';
import { checkEndpoint, resolveTarget, EndpointRefused } from '$lib/server/push/endpoint';

describe('push addresses', () => {
	it('refuses loopback, private, shared, link-local, multicast, reserved and documentation IPv4', () => {
		for (const a of [
			'0.0.0.0',
			'10.1.2.3',
			'100.64.0.1',
			'127.0.0.1',
			'127.255.0.9',
			'169.254.169.254',
			'172.16.0.1',
			'172.31.255.255',
			'192.0.0.8',
			'192.0.2.1',
			'192.168.1.1',
			'198.18.0.1',
			'198.51.100.7',
			'203.0.113.9',
			'224.0.0.1',
			'240.0.0.1',
			'255.255.255.255'
		])
			expect(isPublicAddress(a), a).toBe(false);
		for (const a of ['8.8.8.8', '1.1.1.1', '93.184.215.14', '172.32.0.1', '100.128.0.1', '192.169.0.1'])
			expect(isPublicAddress(a), a).toBe(true);
	});

	it('refuses loopback, unique-local, link-local, multicast and documentation IPv6, and private IPv4 hidden inside IPv6', () => {
		for (const a of [
			'::',
			'::1',
			'fc00::1',
			'fd12:3456::1',
			'fe80::1',
			'fe80::1%eth0',
			'fec0::1',
			'ff02::1',
			'2001:db8::1',
			'2001::1',
			'3fff::1',
			'::ffff:127.0.0.1',
			'::ffff:7f00:1',
			'::ffff:10.0.0.1',
			'::127.0.0.1',
			'64:ff9b::a00:1',
			'64:ff9b::127.0.0.1',
			'2002:7f00:1::1',
			'2002:a00:1::',
			'100::1'
		])
			expect(isPublicAddress(a), a).toBe(false);
		for (const a of ['2a00:1450:4001:80b::200a', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])
			expect(isPublicAddress(a), a).toBe(true);
		expect(isPublicAddress('not an address')).toBe(false);
		expect(isPublicAddress('1:2:3')).toBe(false);
	});

	it('expands IPv6 spellings to their groups', () => {
		expect(ipv6Groups('::1')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
		expect(ipv6Groups('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
		expect(ipv6Groups('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
		expect(ipv6Groups('1::2::3')).toBeNull();
	});

	it('checks endpoints: https on public hosts, or an allowed host (which may be http and private)', () => {
		const policy = { allowedHosts: ['127.0.0.1:9000', 'push.lan'], maxLength: 100 };
		expect(checkEndpoint('https://fcm.googleapis.com/fcm/send/abc', policy)).toMatchObject({ ok: true, allowed: false });
		expect(checkEndpoint('http://127.0.0.1:9000/push/1', policy)).toMatchObject({ ok: true, allowed: true });
		expect(checkEndpoint('http://push.lan:8080/x', policy)).toMatchObject({ ok: true, allowed: true });
		expect(checkEndpoint('http://127.0.0.1:9001/push/1', policy)).toEqual({ ok: false, problem: 'must be an https: URL' });
		expect(checkEndpoint('https://127.0.0.1:9001/push/1', policy)).toEqual({ ok: false, problem: 'must be on a public address' });
		expect(checkEndpoint('https://[fd00::1]/x', policy)).toEqual({ ok: false, problem: 'must be on a public address' });
		expect(checkEndpoint('https://app.localhost/x', policy)).toEqual({ ok: false, problem: 'must be on a public host' });
		expect(checkEndpoint('ftp://push.lan/x', policy)).toEqual({ ok: false, problem: 'must be an http: or https: URL' });
		expect(checkEndpoint(`https://a.example/${'x'.repeat(100)}`, policy)).toMatchObject({ ok: false });
		expect(checkEndpoint('https://u:p@a.example/x', policy)).toMatchObject({ ok: false });
	});

	it('resolves to one checked address: a name with any private address is refused whole', async () => {
		const resolve = async (host: string) =>
			host === 'mixed.example'
				? [
						{ address: '93.184.215.14', family: 4 as const },
						{ address: '10.0.0.5', family: 4 as const }
					]
				: [{ address: '2606:4700::1111', family: 6 as const }];
		await expect(resolveTarget(new URL('https://mixed.example/x'), false, resolve)).rejects.toBeInstanceOf(EndpointRefused);
		expect(await resolveTarget(new URL('https://good.example/x'), false, resolve)).toEqual({ address: '2606:4700::1111', family: 6 });
		// an allowed host may resolve inside
		expect(await resolveTarget(new URL('http://mixed.example/x'), true, resolve)).toEqual({ address: '93.184.215.14', family: 4 });
	});
});
