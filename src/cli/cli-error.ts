/**
 * A failure the operator can act on: printed as one plain line, without a stack.
 * Exit code 2 for usage mistakes (unknown command, missing flag), 1 for everything else.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }

  static usage(message: string): CliError {
    return new CliError(message, 2);
  }
}
