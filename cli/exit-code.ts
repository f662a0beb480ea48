/**
 * The exit codes of every `concord` command, as the README's "Operating Concord"
 * section documents them.
 */

/** What a command's exit status says. */
export const ExitCode = {
  /** Done, and nothing wrong was found. */
  Ok: 0,
  /**
   * Done, and the answer is "not all is well": replicas disagree, rules break a law,
   * escalations are open, outcomes would change, an item is missing, or some of the
   * work failed and was left for another run.
   */
  Problems: 1,
  /** The command line is wrong (an unknown flag, a missing or malformed argument). */
  Usage: 2,
  /** A setting is missing or unusable: an environment variable, a rules module. */
  Configuration: 3,
  /** An AWS call failed: an endpoint that does not answer, a missing table or queue, a denied permission. */
  Unavailable: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
