/**
 * Which addresses a push may be sent to. A push endpoint is a URL a user gave us, so the server
 * must not become their way into the host's network: only public unicast addresses pass, never
 * loopback, private, shared (CGNAT), link-local, unique-local, multicast, documentation or
 * reserved ranges, and never such an address hidden in an IPv4-mapped, IPv4-compatible, NAT64 or
 * 6to4 IPv6 address. Pure: the caller resolves names and connects to the address checked here.
 */
import { BlockList, isIP } from 'node:net';

/** IPv4 ranges that are not globally reachable (IANA special-purpose registry). */
const IPV4_NOT_PUBLIC: ReadonlyArray<[string, number]> = [
	['0.0.0.0', 8], // "this network"
	['10.0.0.0', 8], // private
	['100.64.0.0', 10], // shared address space (carrier-grade NAT)
	['127.0.0.0', 8], // loopback
	['169.254.0.0', 16], // link-local (cloud metadata services live here)
	['172.16.0.0', 12], // private
	['192.0.0.0', 24], // IETF protocol assignments
	['192.0.2.0', 24], // documentation
	['192.88.99.0', 24], // 6to4 relay anycast (deprecated)
	['192.168.0.0', 16], // private
	['198.18.0.0', 15], // benchmarking
	['198.51.100.0', 24], // documentation
	['203.0.113.0', 24], // documentation
	['224.0.0.0', 4], // multicast
	['240.0.0.0', 4] // reserved, and the broadcast address
];

/** IPv6 ranges inside global unicast (2000::/3) that are not public. */
const IPV6_NOT_PUBLIC: ReadonlyArray<[string, number]> = [
	['2001::', 23], // IETF protocol assignments (Teredo, ORCHID, …)
	['2001:db8::', 32], // documentation
	['2002::', 16], // 6to4: an IPv4 address inside (checked as such below)
	['3fff::', 20] // documentation
];

const v4Blocked = new BlockList();
for (const [net, prefix] of IPV4_NOT_PUBLIC) v4Blocked.addSubnet(net, prefix, 'ipv4');
const v6Blocked = new BlockList();
for (const [net, prefix] of IPV6_NOT_PUBLIC) v6Blocked.addSubnet(net, prefix, 'ipv6');
const v6GlobalUnicast = new BlockList();
v6GlobalUnicast.addSubnet('2000::', 3, 'ipv6');

/** The eight 16-bit groups of an IPv6 address (zone id dropped), or null. */
export function ipv6Groups(address: string): number[] | null {
	let text = address.replace(/%.*$/, '');
	// a dotted IPv4 tail (::ffff:1.2.3.4) becomes two groups
	const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (tail) {
		const bytes = tail[1]!.split('.').map(Number);
		if (bytes.some((b) => b > 255)) return null;
		text =
			text.slice(0, -tail[1]!.length) + `${((bytes[0]! << 8) | bytes[1]!).toString(16)}:${((bytes[2]! << 8) | bytes[3]!).toString(16)}`;
	}
	const halves = text.split('::');
	if (halves.length > 2) return null;
	const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
	const head = parse(halves[0]!);
	const rest = halves.length === 2 ? parse(halves[1]!) : [];
	const fill = 8 - head.length - rest.length;
	if (halves.length === 1 ? head.length !== 8 : fill < 1) return null;
	const groups = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...rest];
	return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** The IPv4 address in groups 6–7 (mapped, compatible, NAT64) or 1–2 (6to4) of an IPv6 address. */
function embeddedIpv4(groups: number[], at: number): string {
	const hi = groups[at]!;
	const lo = groups[at + 1]!;
	return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

/** Whether `address` (a literal IPv4 or IPv6 address) is a public unicast address. */
export function isPublicAddress(address: string): boolean {
	const family = isIP(address.replace(/%.*$/, ''));
	if (family === 4) return !v4Blocked.check(address, 'ipv4');
	if (family !== 6) return false;
	const groups = ipv6Groups(address);
	if (!groups) return false;
	const zeroes = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
	// ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible, deprecated; :: and ::1 fall in here too)
	if (zeroes(0, 5) && (groups[5] === 0xffff || groups[5] === 0)) return isPublicAddress(embeddedIpv4(groups, 6));
	// 64:ff9b::/96, the well-known NAT64 prefix: public only when the IPv4 address inside is
	if (groups[0] === 0x64 && groups[1] === 0xff9b && zeroes(2, 6)) return isPublicAddress(embeddedIpv4(groups, 6));
	// 2002:a.b.c.d::/48 (6to4)
	if (groups[0] === 0x2002) return isPublicAddress(embeddedIpv4(groups, 1));
	const normal = groups.map((g) => g.toString(16)).join(':');
	return v6GlobalUnicast.check(normal, 'ipv6') && !v6Blocked.check(normal, 'ipv6');
}
