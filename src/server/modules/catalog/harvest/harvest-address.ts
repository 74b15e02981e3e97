import { internalHostProblem } from '../../../platform/http/outbound-address.ts';
import { HarvestFetchError } from './harvest-fetch.ts';

// A harvest source is an address on the internet: every hop (redirects, next-page links) is checked
// against the platform's guard for addresses inside the network.

export { isInternalAddress } from '../../../platform/http/outbound-address.ts';

/** Throws unless every address the URL's host resolves to is outside the internal ranges. */
export async function assertPublicAddress(url: URL): Promise<void> {
  const problem = await internalHostProblem(url);
  if (problem)
    throw new HarvestFetchError(
      problem.startsWith('cannot resolve')
        ? problem
        : `${problem}; harvesting inside the network needs CIVITAS_HARVEST_ALLOW_INTERNAL=true`,
    );
}
