import type { Fetched } from './harvest-fetch.ts';
import type { RemoteDataset } from './harvest-mapping.ts';

// What the run gives a gatherer, and what a gatherer yields: pages of remote datasets.

export interface GatherEnv {
  /**
   * Fetches one page of the listing within the source's limits (response size, page count, time),
   * refusing an address already read in this run (a next-page loop).
   */
  fetchPage(url: string, accept: string): Promise<Fetched>;
}

/** A remote dataset, or a dataset the source lists but that could not be read. */
export type GatherItem = RemoteDataset | { remoteId?: string | undefined; error: string };

export interface GatherPage {
  items: GatherItem[];
}

/** Reads a source page by page. */
export type Gatherer = (sourceUrl: string, env: GatherEnv) => AsyncGenerator<GatherPage>;
