// Group commit, as PostgreSQL commits its WAL, for any work that is cheaper done for many callers at
// once (one statement for the rows of concurrent calls): an item arriving while fewer than
// `maxInFlight` batches run goes out after the current tick, with the items of the same tick; items
// arriving while the limit is reached wait and go together in the next batch. Light load costs no
// waiting, heavy load makes big batches.

export interface GroupBatcherOptions<In, Out> {
  /** Does one batch; answers one result per item, in the items' order. */
  run: (items: In[]) => Promise<Out[]>;
  /** Batches in flight at once (default 1). */
  maxInFlight?: number;
  /** A batch holds at most this many items (default 500). */
  maxItems?: number;
  /** Called after each batch that succeeded, with its size. */
  onDone?: (items: number) => void;
}

interface Pending<In, Out> {
  item: In;
  resolve: (out: Out) => void;
  reject: (err: unknown) => void;
}

export class GroupBatcher<In, Out> {
  #pending: Pending<In, Out>[] = [];
  #scheduled = false;
  #inFlight = new Set<Promise<void>>();
  readonly #maxInFlight: number;
  readonly #maxItems: number;

  constructor(private readonly options: GroupBatcherOptions<In, Out>) {
    this.#maxInFlight = options.maxInFlight ?? 1;
    this.#maxItems = options.maxItems ?? 500;
  }

  /** Resolves with the item's result once its batch is done; rejects if the batch failed. */
  submit(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  /** Runs what is waiting and returns once nothing is in flight. */
  async flush(): Promise<void> {
    while (this.#pending.length || this.#inFlight.size) {
      this.#start();
      await Promise.allSettled([...this.#inFlight]);
    }
  }

  #schedule() {
    if (this.#scheduled || this.#inFlight.size >= this.#maxInFlight) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#start();
      // Several slots free: what is left beyond one batch's worth goes out at once too.
      if (this.#pending.length) this.#schedule();
    });
  }

  #start() {
    if (this.#pending.length === 0) return;
    const batch = this.#pending.splice(0, this.#maxItems);
    const done = (async () => this.options.run(batch.map((p) => p.item)))().then(
      (outs) => {
        batch.forEach((p, i) => {
          p.resolve(outs[i] as Out);
        });
        this.options.onDone?.(batch.length);
      },
      (err) => {
        for (const p of batch) p.reject(err);
      },
    );
    this.#inFlight.add(done);
    void done.finally(() => {
      this.#inFlight.delete(done);
      if (this.#pending.length) this.#schedule();
    });
  }
}
