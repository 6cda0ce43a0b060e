/**
 * What the consumer's group membership looks like right now, fed by kafkajs instrumentation
 * events. Ready means records can flow: connected, in the group, and owning partitions.
 */
export class Readiness {
  private connected = false;
  private joined = false;
  private assignedPartitions = 0;
  private crashedForGood = false;
  private closing = false;

  onConnect(): void {
    this.connected = true;
  }

  onGroupJoin(assignment: Record<string, readonly number[]>): void {
    this.joined = true;
    this.assignedPartitions = Object.values(assignment).reduce((sum, partitions) => sum + partitions.length, 0);
  }

  onRebalancing(): void {
    this.joined = false;
  }

  onDisconnect(): void {
    this.connected = false;
    this.joined = false;
  }

  /** kafkajs restarts after retriable crashes by itself; one it will not restart from needs a new process. */
  onCrash(willRestart: boolean): void {
    this.joined = false;
    if (!willRestart) this.crashedForGood = true;
  }

  onClosing(): void {
    this.closing = true;
  }

  get live(): boolean {
    return !this.crashedForGood;
  }

  snapshot(): { ready: boolean; connected: boolean; joined: boolean; assignedPartitions: number; closing: boolean } {
    const ready = this.connected && this.joined && this.assignedPartitions > 0 && !this.closing && !this.crashedForGood;
    return { ready, connected: this.connected, joined: this.joined, assignedPartitions: this.assignedPartitions, closing: this.closing };
  }
}
