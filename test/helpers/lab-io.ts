/**
 * Streams for running the lab's command (lab/command.ts) in the test process, keeping
 * what it writes.
 */
import type { CommandIo } from '../../lab/command';

/** A CommandIo and what was written to each stream. */
export interface CapturedIo {
  readonly io: CommandIo;
  readonly out: () => string;
  readonly err: () => string;
}

/**
 * Captures what the command writes.
 *
 * @example
 * const { io, out } = capture();
 * await runLabCommand(['--help'], io);
 * out(); // the usage
 */
export function capture(): CapturedIo {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (text: string) => Boolean((out += text)) },
      stderr: { write: (text: string) => Boolean((err += text)) },
    },
    out: () => out,
    err: () => err,
  };
}
