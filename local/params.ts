/**
 * Reading request parameters of the JSON protocols, each endpoint answering a bad one
 * with its own service's error.
 */

/** Builds the error a service answers for a missing or mistyped parameter. */
export type ParameterError = (message: string) => Error;

/**
 * A string parameter, or `undefined` when absent.
 *
 * @throws the service's error when present but not a string
 * @example
 * optionalString({ NamePrefix: 'concord' }, 'NamePrefix', validation); // 'concord'
 */
export function optionalString(body: Record<string, unknown>, field: string, invalid: ParameterError): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`Parameter ${field} must be a string.`);
  return value;
}

/**
 * A required, non-empty string parameter.
 *
 * @throws the service's error when missing, empty or not a string
 * @example
 * requiredString({ Name: 'concord-audit-dev' }, 'Name', validation); // 'concord-audit-dev'
 */
export function requiredString(body: Record<string, unknown>, field: string, invalid: ParameterError): string {
  const value = optionalString(body, field, invalid);
  if (value === undefined || value === '') throw invalid(`The request must contain the parameter ${field}.`);
  return value;
}

/**
 * An optional integer parameter within bounds.
 *
 * @throws the service's error when not an integer in [min, max]
 * @example
 * optionalInteger({ MaxNumberOfMessages: 5 }, 'MaxNumberOfMessages', 1, 10, invalid); // 5
 */
export function optionalInteger(body: Record<string, unknown>, field: string, min: number, max: number, invalid: ParameterError): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`Value ${JSON.stringify(value)} for parameter ${field} is invalid. Reason: must be an integer between ${min} and ${max}.`);
  }
  return value;
}
