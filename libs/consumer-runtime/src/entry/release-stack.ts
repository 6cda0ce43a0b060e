export type Release = () => Promise<unknown> | unknown;

/**
 * What a consumer opened, closed in reverse order of opening: what was opened later may still use
 * what was opened before it (a feed writes to the inbox pool) until it is closed.
 */
export class ReleaseStack {
  private readonly releases: Release[] = [];

  push(release: Release): void {
    this.releases.push(release);
  }

  /** Closes everything even when one close fails, then throws the first failure. */
  async releaseAll(): Promise<void> {
    const failures: unknown[] = [];
    for (let release = this.releases.pop(); release; release = this.releases.pop()) {
      try {
        await release();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }
}
