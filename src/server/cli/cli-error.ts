// Kept apart from the commands so that run.ts can report errors without loading every command.

/** Where a command writes: stdout for results (scripts read it), stderr for notes. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

/** A failure the user can act on: printed as one line, no stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
