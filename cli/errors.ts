/**
 * What a command's failure tells a person, and its exit status: a wrong command line
 * (2), a missing or unusable setting (3), an AWS call that failed, named by service and
 * operation (4), or a refusal the command explains (1).
 */
import { CommandLineError, ConcordError, ConfigurationError } from '../shared/errors';
import { failedCallOf } from './clients';
import { ExitCode } from './exit-code';

/** A failure as a person reads it and a script tests it. */
export interface FailureReport {
  readonly exitCode: ExitCode;
  readonly message: string;
  /** The error's name and its own fields, for `--json`. */
  readonly data: { readonly error: Readonly<Record<string, unknown>> };
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH']);

/**
 * The report of an error a command threw.
 *
 * @example
 * const { exitCode, message } = reportFailure(error);
 */
export function reportFailure(error: unknown): FailureReport {
  const failure = error instanceof Error ? error : new Error(String(error));
  const call = failedCallOf(failure);
  const code = (failure as { code?: unknown }).code;
  if (failure instanceof CommandLineError) return report(ExitCode.Usage, `${failure.message} (see --help)`, failure);
  // Node's "Require stack:" after a module that cannot be found says nothing to an operator.
  if (failure instanceof ConfigurationError) return report(ExitCode.Configuration, failure.message.split('\nRequire stack:')[0] as string, failure);
  if (call !== undefined) {
    const unreachable = typeof code === 'string' && UNREACHABLE_CODES.has(code);
    const hint = unreachable ? ' (no answer: is the endpoint up? for the local stack, run `npm run local` and paste its exports)' : '';
    return report(ExitCode.Unavailable, `${call.service} ${call.operation} failed: ${failure.name}: ${failure.message}${hint}`, failure, { service: call.service, operation: call.operation });
  }
  if (failure instanceof ConcordError) return report(ExitCode.Problems, failure.message, failure);
  return report(ExitCode.Problems, `unexpected ${failure.name}: ${failure.message}\n${failure.stack ?? ''}`, failure);
}

function report(exitCode: ExitCode, message: string, error: Error, extra: Record<string, unknown> = {}): FailureReport {
  const fields: Record<string, unknown> = { name: error.name, message: error.message, ...extra };
  for (const [name, value] of Object.entries(error)) if (name !== 'cause' && name !== '$metadata' && name !== '$response' && isPlain(value)) fields[name] = value;
  return { exitCode, message, data: { error: fields } };
}

function isPlain(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}
