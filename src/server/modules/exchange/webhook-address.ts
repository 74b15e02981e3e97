import { lookup } from 'node:dns/promises';
import net from 'node:net';

// A webhook is a POST the server makes to an address a subscriber chose. Unless the operator allows
// it (CIVITAS_EXCHANGE_WEBHOOK_ALLOW_PRIVATE), addresses inside the network — loopback, private,
// link-local (cloud metadata), unique-local, multicast, unspecified — are refused when subscribing
// and again before every attempt, so a subscription cannot make the server probe internal services.
// The same ranges as the harvester's guard (catalog/harvest/harvest-address.ts, not exported by the
// catalog module); DNS answers changing between check and connect remain for an egress firewall.

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
export function isPrivateAddress(ip: string): boolean {
  const family = net.isIP(ip);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return BLOCKED.check(mapped[1], 'ipv4');
  return BLOCKED.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why a webhook address may not be called, or undefined when it may. */
export async function webhookAddressProblem(url: URL, allowPrivate: boolean): Promise<string | undefined> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https addresses';
  if (url.username || url.password) return 'no credentials in the address';
  if (allowPrivate) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = net.isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch (err) {
    return `cannot resolve ${host}: ${(err as { code?: string }).code ?? (err as Error).message}`;
  }
  const inside = addresses.find(isPrivateAddress);
  return inside ? `${host} is an address inside the network (${inside})` : undefined;
}
