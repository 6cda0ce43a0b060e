import { ProgressBar, renderProgress } from './progress-bar';

describe('progress bar', () => {
  it('shows how far, how many published, the rate and the time left', () => {
    const line = renderProgress({ examined: 2_500, published: 2_000, skipped: 500, refused: 0 }, 10_000, 2);
    expect(line).toBe('[██████░░░░░░░░░░░░░░░░░░] 25% 2,500/10,000 · published 2,000 · 1,000/s · ETA 0:06');
    expect(renderProgress({ examined: 0, published: 0, skipped: 0, refused: 0 }, 10, 0)).toContain('ETA --:--');
  });

  it('redraws one line at most ten times a second and ends it with a newline', () => {
    let clock = 0;
    const written: string[] = [];
    const bar = new ProgressBar({ write: (t: string) => written.push(t) }, 10, () => clock);
    const counts = { examined: 1, published: 1, skipped: 0, refused: 0 };
    bar.update(counts);
    clock = 50;
    bar.update(counts);
    clock = 150;
    bar.update(counts);
    bar.finish(counts);
    expect(written.filter((t) => t.startsWith('\r'))).toHaveLength(3);
    expect(written[written.length - 1]).toBe('\n');
  });
});
