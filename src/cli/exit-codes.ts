/** Process exit codes of the CLI, documented in the README. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  partialInput: 3,
  deadLettered: 4,
  rulesNotLoaded: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
