import { internalHostProblem } from '../../platform/http/outbound-address.ts';

// A webhook is a POST the server makes to an address a subscriber chose. Unless the operator allows
// it (CIVITAS_EXCHANGE_WEBHOOK_ALLOW_PRIVATE), addresses inside the network are refused when
// subscribing and again before every attempt (platform/http/outbound-address.ts).

export { isInternalAddress as isPrivateAddress } from '../../platform/http/outbound-address.ts';

/** Why a webhook address may not be called, or undefined when it may. */
export async function webhookAddressProblem(url: URL, allowPrivate: boolean): Promise<string | undefined> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https addresses';
  if (url.username || url.password) return 'no credentials in the address';
  return allowPrivate ? undefined : internalHostProblem(url);
}
