/**
 * How Lambda reads a function's answer to a stream batch with `ReportBatchItemFailures`
 * (AWS Lambda's 'Configuring partial batch response with DynamoDB and Lambda',
 * https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html):
 * - success is `[]`, `null`, `{}`, `{ batchItemFailures: [] }` or `{ batchItemFailures: null }`;
 * - failures name records by `itemIdentifier`, their sequence numbers; Lambda resumes
 *   from the lowest one named;
 * - an identifier that is not a sequence number of the batch (a number, an empty string,
 *   null, a missing key) fails the whole batch, as a thrown error does.
 */
import { compareSequenceNumbers } from './stream';

/** What a batch response means. */
export type BatchVerdict =
  | { readonly kind: 'success' }
  /** Resume from the record at `index` of the batch. */
  | { readonly kind: 'partial'; readonly index: number; readonly sequenceNumber: string }
  | { readonly kind: 'failure'; readonly reason: string };

/**
 * Interprets a function's response to a batch whose records have `sequenceNumbers`, in order.
 *
 * @example
 * interpretBatchResponse({ batchItemFailures: [{ itemIdentifier: '2' }] }, ['1', '2', '3']);
 * // { kind: 'partial', index: 1, sequenceNumber: '2' }
 */
export function interpretBatchResponse(response: unknown, sequenceNumbers: readonly string[]): BatchVerdict {
  if (response === null || response === undefined) return { kind: 'success' };
  if (Array.isArray(response)) return response.length === 0 ? { kind: 'success' } : { kind: 'failure', reason: 'the response is a non-empty array' };
  if (typeof response !== 'object') return { kind: 'failure', reason: `the response is a ${typeof response}` };
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'success' };
  let lowest: string | undefined;
  for (const failure of failures) {
    const identifier = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof identifier !== 'string' || !sequenceNumbers.includes(identifier)) {
      return { kind: 'failure', reason: `itemIdentifier ${JSON.stringify(identifier ?? null)} is not a sequence number of the batch` };
    }
    if (lowest === undefined || compareSequenceNumbers(identifier, lowest) < 0) lowest = identifier;
  }
  const sequenceNumber = lowest as string;
  return { kind: 'partial', index: sequenceNumbers.indexOf(sequenceNumber), sequenceNumber };
}
