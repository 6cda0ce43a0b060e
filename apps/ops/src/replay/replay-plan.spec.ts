import { PartitionRange } from '../reading/partition-range';
import { PlanInput, planReplay } from './replay-plan';
import type { SavedProgress } from './replay-progress';

const topic = 'src.g.dlt';
const initial: PartitionRange[] = [
  { topic, partition: 0, start: 0n, end: 100n },
  { topic, partition: 1, start: 0n, end: 50n },
];
const now = new Map([
  [`${topic}:0`, { low: 0n, high: 100n }],
  [`${topic}:1`, { low: 0n, high: 50n }],
]);
const saved = (entries: [number, bigint, bigint][], run = 'run-1') =>
  new Map<string, SavedProgress>(entries.map(([partition, next, end]) => [`${topic}:${partition}`, { topic, partition, next, end, run }]));
const input = (overrides: Partial<PlanInput>): PlanInput => ({ kind: 'dlt', restart: false, saved: new Map(), initial, now, newRun: 'run-2', ...overrides });

describe('planReplay', () => {
  it('starts fresh without saved progress, or on --restart', () => {
    expect(planReplay(input({}))).toEqual({ mode: 'fresh', run: 'run-2', ranges: initial });
    expect(planReplay(input({ restart: true, saved: saved([[0, 40n, 80n]]) }))).toEqual({ mode: 'fresh', run: 'run-2', ranges: initial });
  });

  it('resumes an unfinished run up to its own end, with its run id', () => {
    const plan = planReplay(input({ saved: saved([[0, 40n, 80n], [1, 30n, 30n]]) }));
    expect(plan).toEqual({
      mode: 'resume',
      run: 'run-1',
      ranges: [
        { topic, partition: 0, start: 40n, end: 80n },
        { topic, partition: 1, start: 30n, end: 30n },
      ],
    });
  });

  it('skips records deleted since the run stopped', () => {
    const plan = planReplay(input({ saved: saved([[0, 40n, 80n], [1, 30n, 30n]]), now: new Map([...now, [`${topic}:0`, { low: 60n, high: 100n }]]) }));
    expect(plan.ranges[0]).toEqual({ topic, partition: 0, start: 60n, end: 80n });
  });

  it('continues a finished dead-letter replay with what arrived since', () => {
    const plan = planReplay(input({ saved: saved([[0, 80n, 80n], [1, 30n, 30n]]) }));
    expect(plan).toEqual({
      mode: 'continue',
      run: 'run-2',
      ranges: [
        { topic, partition: 0, start: 80n, end: 100n },
        { topic, partition: 1, start: 30n, end: 50n },
      ],
    });
    expect(planReplay(input({ saved: saved([[0, 100n, 100n], [1, 50n, 50n]]) })).mode).toBe('complete');
  });

  it('never extends a finished topic replay: its range was fixed when it started', () => {
    expect(planReplay(input({ kind: 'topic', saved: saved([[0, 80n, 80n], [1, 30n, 30n]]) }))).toEqual({ mode: 'complete', run: 'run-1', ranges: [] });
  });
});
