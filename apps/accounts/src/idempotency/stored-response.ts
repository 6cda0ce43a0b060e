/** A response as it was sent, kept so that a retry with the same key gets exactly the same answer. */
export interface StoredResponse {
  readonly status: number;
  /** Only the headers that belong to the outcome (Location, ETag, Content-Type…), not per-connection ones. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Added to a replayed response, as the draft's examples do, so clients and logs can tell it apart. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';
