/**
 * An error answered by a local endpoint the way the AWS JSON protocols answer errors:
 * an HTTP status, a JSON body `{ "__type": ..., "message": ... }` and, for services
 * that keep their older Query-protocol codes (SQS), extra headers.
 */
export class AwsProtocolError extends Error {
  override readonly name = 'AwsProtocolError';
  constructor(
    /** HTTP status of the response. */
    readonly status: number,
    /** The `__type` of the body, e.g. `ValidationException`. */
    readonly type: string,
    message: string,
    /** Extra response headers, e.g. `x-amzn-query-error`. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  /** The JSON body AWS sends for this error. */
  get body(): { __type: string; message: string } {
    return { __type: this.type, message: this.message };
  }
}
