/** What a replay did with the records of its range. */
export interface ReplayCounts {
  /** Records looked at (every record of the range up to where the run stopped). */
  examined: number;
  published: number;
  /** Not matching the filters. */
  skipped: number;
  /** Held back by the loop guard: replayed too often already. */
  refused: number;
}

export function emptyCounts(): ReplayCounts {
  return { examined: 0, published: 0, skipped: 0, refused: 0 };
}
