/**
 * The typed error hierarchy of Concord. Every error sets `name` to a literal (class
 * names do not survive minification), carries the context needed to act on it, and
 * keeps its `cause`.
 */

/** Base class of every error Concord throws on purpose. */
export class ConcordError extends Error {
  override readonly name: string = 'ConcordError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A DynamoDB attribute value that is not one of the ten wire types, or breaks a type's rules. */
export class MalformedAttributeError extends ConcordError {
  override readonly name = 'MalformedAttributeError';
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`malformed attribute value at ${path}: ${reason}`, options);
  }
}

/** The `_cc` envelope of an item is missing a field or holds a value of the wrong shape. */
export class EnvelopeError extends ConcordError {
  override readonly name = 'EnvelopeError';
  constructor(
    readonly key: string,
    readonly field: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`malformed envelope on item ${key} at ${field}: ${reason}`, options);
  }
}

/** A stream record that lacks what every DynamoDB stream record carries. */
export class MalformedRecordError extends ConcordError {
  override readonly name = 'MalformedRecordError';
  constructor(
    readonly eventId: string | undefined,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`malformed stream record ${eventId ?? '(no eventID)'}: ${reason}`, options);
  }
}

/** A rule set that fails validation when it is loaded. */
export class RuleValidationError extends ConcordError {
  override readonly name = 'RuleValidationError';
  constructor(
    readonly entity: string,
    readonly attribute: string | undefined,
    readonly reason: string,
  ) {
    super(`invalid rules: entity "${entity}"${attribute === undefined ? '' : ` attribute "${attribute}"`}: ${reason}`);
  }
}

/** A rule that cannot be applied to the data it meets (a throwing custom merge, a counter holding a string). */
export class RuleApplicationError extends ConcordError {
  override readonly name = 'RuleApplicationError';
  constructor(
    readonly entity: string,
    readonly attribute: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`rule of entity "${entity}" attribute "${attribute}" failed: ${reason}`, options);
  }
}

/** A write whose change the rule set forbids, or whose clock does not advance the item. */
export class InvalidWriteError extends ConcordError {
  override readonly name = 'InvalidWriteError';
  constructor(
    readonly attribute: string | undefined,
    readonly reason: string,
  ) {
    super(attribute === undefined ? `invalid write: ${reason}` : `invalid write of "${attribute}": ${reason}`);
  }
}

/** A clock string that is not `<13 digits>.<5 digits>.<region>`. */
export class ClockFormatError extends ConcordError {
  override readonly name = 'ClockFormatError';
  constructor(readonly value: unknown) {
    super(`not a Concord clock (want <13-digit ms>.<5-digit counter>.<region>): ${JSON.stringify(value)}`);
  }
}
