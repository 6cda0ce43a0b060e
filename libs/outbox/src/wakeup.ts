/**
 * A wait that something else can cut short. A signal that arrives while nobody waits is kept, so
 * a NOTIFY received during a batch makes the next wait return at once instead of being lost.
 */
export class Wakeup {
  private pending = false;
  private release: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  signal(): void {
    if (this.release) this.finish();
    else this.pending = true;
  }

  /** Forgets a signal received so far; called right before looking for work. */
  clear(): void {
    this.pending = false;
  }

  /** Resolves after `ms`, or as soon as signal() is called; true when signalled. */
  wait(ms: number): Promise<boolean> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve(true);
    }
    if (this.release) throw new Error('Wakeup supports one waiter at a time');
    return new Promise<boolean>((resolve) => {
      this.timer = setTimeout(() => {
        this.release = undefined;
        this.timer = undefined;
        resolve(false);
      }, ms);
      this.release = () => resolve(true);
    });
  }

  private finish(): void {
    clearTimeout(this.timer);
    const release = this.release;
    this.release = undefined;
    this.timer = undefined;
    release?.();
  }
}
