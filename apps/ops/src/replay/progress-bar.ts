import type { ReplayCounts } from './replay-counts';

const WIDTH = 24;
const REDRAW_MS = 100;

/**
 * One line on a terminal, redrawn at most ten times a second: how far through the range, how
 * many published, the publish rate, and the time left at the current pace.
 */
export class ProgressBar {
  private lastDraw = Number.NEGATIVE_INFINITY;
  private readonly started: number;

  constructor(
    private readonly stream: { write(text: string): unknown; columns?: number },
    private readonly total: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  update(counts: ReplayCounts, force = false): void {
    const now = this.now();
    if (!force && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.stream.write(`\r${renderProgress(counts, this.total, (now - this.started) / 1000)}\x1b[K`);
  }

  finish(counts: ReplayCounts): void {
    this.update(counts, true);
    this.stream.write('\n');
  }
}

export function renderProgress(counts: ReplayCounts, total: number, seconds: number): string {
  const fraction = total > 0 ? Math.min(1, counts.examined / total) : 1;
  const filled = Math.round(fraction * WIDTH);
  const rate = seconds > 0 ? counts.published / seconds : 0;
  const examineRate = seconds > 0 ? counts.examined / seconds : 0;
  const eta = examineRate > 0 ? (total - counts.examined) / examineRate : undefined;
  return (
    `[${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${Math.floor(fraction * 100)}% ` +
    `${counts.examined.toLocaleString('en-US')}/${total.toLocaleString('en-US')} · published ${counts.published.toLocaleString('en-US')} · ` +
    `${Math.round(rate).toLocaleString('en-US')}/s · ETA ${eta === undefined ? '--:--' : clock(eta)}`
  );
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
