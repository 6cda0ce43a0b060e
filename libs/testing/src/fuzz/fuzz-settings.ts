import fc from 'fast-check';

/**
 * The knobs every fuzz spec shares. The suite runs a few cases per property so it stays fast; a
 * long run raises FUZZ_RUNS (`npm run fuzz -- --runs 5000`), and FUZZ_SEED replays a run that
 * failed. The seed is always printed, since a failure nobody can replay is only an anecdote.
 */
export interface FuzzSettings {
  readonly seed: number;
  /** Cases per property: FUZZ_RUNS when set, else the property's own bounded default. */
  runs(defaultRuns: number): number;
  /** A jest timeout for a property whose case takes about `perRunMs`: generous, since the machine may be slow. */
  timeoutMs(defaultRuns: number, perRunMs: number): number;
  /** fast-check parameters for one property: the seed, the runs and a report that names both. */
  parameters<T>(defaultRuns: number): fc.Parameters<T>;
}

export function fuzzSettings(label: string, env: NodeJS.ProcessEnv = process.env): FuzzSettings {
  const seed = parseSeed(env.FUZZ_SEED) ?? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  const scale = parseRuns(env.FUZZ_RUNS);
  // Printed once per spec file, before anything can fail, so even a crash of the runner leaves it.
  process.stdout.write(`[fuzz] ${label}: seed ${seed}${scale ? `, ${scale} runs per property` : ''} (replay with FUZZ_SEED=${seed})\n`);
  const runs = (defaultRuns: number) => scale ?? defaultRuns;
  return {
    seed,
    runs,
    timeoutMs: (defaultRuns: number, perRunMs: number) => Math.max(60_000, runs(defaultRuns) * perRunMs * 4),
    parameters: <T>(defaultRuns: number): fc.Parameters<T> => ({
      seed,
      numRuns: runs(defaultRuns),
      reporter: (details) => {
        if (!details.failed) return;
        const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
        throw new Error(`${label}: ${fc.defaultReportMessage(details)}\n${cause}\nReplay: FUZZ_SEED=${details.seed} (path ${details.counterexamplePath})`);
      },
    }),
  };
}

function parseSeed(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const seed = Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${JSON.stringify(raw)}`);
  return seed | 0;
}

function parseRuns(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`FUZZ_RUNS must be a positive integer, got ${JSON.stringify(raw)}`);
  return runs;
}
