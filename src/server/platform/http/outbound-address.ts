import { lookup } from 'node:dns/promises';
import net from 'node:net';

// Addresses the server calls on someone else's say-so (harvest sources, webhook subscribers) must
// not let that someone probe internal services. Unless the operator allows it, addresses inside the
// network — loopback, private ranges, link-local (cloud metadata at 169.254.169.254), unique-local,
// multicast, unspecified — are refused. The name is resolved here and again by the HTTP client, so
// a DNS answer that changes in between is not covered: an egress firewall remains the stronger
// control (docs/operations.md).

const BLOCKED = new net.BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  BLOCKED.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  BLOCKED.addSubnet(address, prefix, 'ipv6');

/** True when an IP address lies inside the network (loopback, private, link-local …). */
export function isInternalAddress(ip: string): boolean {
  const family = net.isIP(ip);
  if (family === 0) return false;
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is the IPv4 address in disguise.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return BLOCKED.check(mapped[1], 'ipv4');
  return BLOCKED.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Why the URL's host may not be called — it does not resolve, or resolves inside the network —
 * or undefined when every address it resolves to is outside.
 */
export async function internalHostProblem(url: URL): Promise<string | undefined> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = net.isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch (err) {
    return `cannot resolve ${host}: ${(err as { code?: string }).code ?? (err as Error).message}`;
  }
  const internal = addresses.find(isInternalAddress);
  return internal ? `${host} is an address inside the network (${internal})` : undefined;
}
