/**
 * The partial batch contract as AWS Lambda documents it (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html):
 * what counts as success, where Lambda resumes, and which answers fail the whole batch.
 */
import { interpretBatchResponse } from '../../lab/batch-response';

const BATCH = ['1000000000000000000000007', '1000000000000000000000009', '1000000000000000000000012'];

describe('interpretBatchResponse', () => {
  it.each([[[]], [null], [undefined], [{}], [{ batchItemFailures: [] }], [{ batchItemFailures: null }]])('takes %j as success', (response) => {
    // Act
    const verdict = interpretBatchResponse(response, BATCH);

    // Assess
    expect(verdict).toEqual({ kind: 'success' });
  });

  it('resumes from the lowest failed sequence number, whatever order they are named in', () => {
    // Prepare
    const response = { batchItemFailures: [{ itemIdentifier: BATCH[2] }, { itemIdentifier: BATCH[1] }] };

    // Act
    const verdict = interpretBatchResponse(response, BATCH);

    // Assess
    expect(verdict).toEqual({ kind: 'partial', index: 1, sequenceNumber: BATCH[1] });
  });

  it('compares sequence numbers as numbers, not as text', () => {
    // Prepare: '9' < '10' as numbers, not as strings
    const batch = ['9', '10'];

    // Act
    const verdict = interpretBatchResponse({ batchItemFailures: [{ itemIdentifier: '10' }, { itemIdentifier: '9' }] }, batch);

    // Assess
    expect(verdict).toEqual({ kind: 'partial', index: 0, sequenceNumber: '9' });
  });

  it.each([
    ['a number', { itemIdentifier: 7 }],
    ['an empty string', { itemIdentifier: '' }],
    ['null', { itemIdentifier: null }],
    ['a missing key', {}],
    ['a sequence number of another batch', { itemIdentifier: '1000000000000000000000099' }],
  ])('fails the whole batch when an itemIdentifier is %s', (_case, failure) => {
    // Act
    const verdict = interpretBatchResponse({ batchItemFailures: [failure] }, BATCH);

    // Assess
    expect(verdict.kind).toBe('failure');
  });

  it('fails the whole batch on an answer of another shape', () => {
    // Act
    const verdict = interpretBatchResponse('ok', BATCH);

    // Assess
    expect(verdict.kind).toBe('failure');
  });
});
