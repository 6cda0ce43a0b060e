import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network a signup came from: /24 for IPv4, /64 for IPv6. One subscriber usually holds a whole
 * IPv6 /64 and rotates addresses inside it at will, and a v4 /24 is the usual unit a hosting
 * provider or a botnet's NAT hands out, so counting per range is what makes rotation useless.
 * Returns undefined for anything that is not an IP address.
 */
export function ipRangeKey(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  const ip = raw.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(ip)) return ipv4Range(ip);
  if (!isIPv6(ip)) return undefined;
  const groups = expandIpv6(ip);
  // ::ffff:a.b.c.d is an IPv4 client seen through a dual-stack socket: count it as that IPv4.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return ipv4Range(`${groups[6] >> 8}.${groups[6] & 0xff}.${groups[7] >> 8}.${groups[7] & 0xff}`);
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

function ipv4Range(ip: string): string {
  const [a, b, c] = ip.split('.').map(Number);
  return `${a}.${b}.${c}.0/24`;
}

/** The 8 groups of an IPv6 address, with '::' filled in and a dotted IPv4 tail turned into two groups. */
function expandIpv6(ip: string): number[] {
  let text = ip.toLowerCase();
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail) {
    const [a, b, c, d] = v4Tail[1].split('.').map(Number);
    text = `${text.slice(0, v4Tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail === undefined ? [] : tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : new Array(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].map((g) => parseInt(g, 16));
}
