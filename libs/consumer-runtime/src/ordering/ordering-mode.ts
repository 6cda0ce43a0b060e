/**
 * How per-key order survives a failing record.
 * - `park` (default): the failing record goes to the retry topics and the partition moves on;
 *   later records of the same key are parked behind it in the retry topics and released in order.
 * - `strict-in-place`: the partition blocks on the failing record (in-process retries, then the
 *   retry delays waited out in place with heartbeats) and only then moves on. Simple and strictly
 *   ordered, but one bad record stalls every key on its partition for the whole retry schedule.
 */
export type OrderingMode = 'park' | 'strict-in-place';

export const ORDERING_MODES: readonly OrderingMode[] = ['park', 'strict-in-place'];
