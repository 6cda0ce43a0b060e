import { ExitCode } from './output';

/** An error the CLI reports as one line and a specific exit code; anything else is a Failure. */
export class OpsError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The command line is wrong or incomplete (an unknown consumer, a bad time, no --execute). */
export class UsageError extends OpsError {
  constructor(message: string) {
    super(message, ExitCode.Usage);
  }
}

/** The cluster is not in a state the command can work with (a topic missing). */
export class PreconditionError extends OpsError {
  constructor(message: string) {
    super(message, ExitCode.Failure);
  }
}

/** Another run of the same replay took over (its transactional id fenced this one). */
export class ReplayFencedError extends OpsError {
  constructor(job: string) {
    super(`another run of replay ${job} started and took over; this one stopped (its progress is kept)`, ExitCode.Failure);
  }
}
