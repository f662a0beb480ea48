import type { Request } from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { logBatchOutcome } from './log-batch-outcome';

function requestOf(response: unknown, error: Error | null = null): Request {
  return { event: { Records: [{}, {}] }, context: {} as never, response, error, internal: {} };
}

describe('logBatchOutcome', () => {
  it('says nothing when every record succeeded', () => {
    // Prepare
    const logger = new Logger();
    const warn = jest.spyOn(logger, 'warn');

    // Act
    logBatchOutcome({ logger }).after?.(requestOf({ batchItemFailures: [] }));

    // Assess
    expect(warn).not.toHaveBeenCalled();
  });

  it('names the failed sequence numbers of a partial failure', () => {
    // Prepare
    const logger = new Logger();
    const warn = jest.spyOn(logger, 'warn');

    // Act
    logBatchOutcome({ logger }).after?.(requestOf({ batchItemFailures: [{ itemIdentifier: '7' }] }));

    // Assess
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('resumes from the lowest'), { records: 2, failedSequenceNumbers: ['7'] });
  });

  it('logs the error that fails the whole batch', () => {
    // Prepare
    const logger = new Logger();
    const error = jest.spyOn(logger, 'error');
    const failure = new Error('boom');

    // Act
    logBatchOutcome({ logger }).onError?.(requestOf(null, failure));

    // Assess
    expect(error).toHaveBeenCalledWith(expect.stringContaining('retries all of it'), { records: 2, error: failure });
  });

  it('refuses options without a logger', () => {
    // Act
    const create = () => logBatchOutcome({} as never);

    // Assess
    expect(create).toThrow(TypeError);
  });
});
