import type { Request } from '@middy/core';
import { MalformedEventError } from '../../errors';
import { validateStreamEvent } from './validate-stream-event';

function requestOf(event: unknown): Request {
  return { event, context: {} as never, response: null, error: null, internal: {} };
}

describe('validateStreamEvent', () => {
  it('lets a stream event through', () => {
    // Prepare
    const { before } = validateStreamEvent();

    // Act
    const validate = () => before?.(requestOf({ Records: [] }));

    // Assess
    expect(validate).not.toThrow();
  });

  it('rejects an event without a Records list, naming what arrived', () => {
    // Prepare
    const { before } = validateStreamEvent();

    // Act
    const validate = () => before?.(requestOf({ requestContext: {}, version: '1.0' }));

    // Assess
    expect(validate).toThrow(new MalformedEventError('expected an object with a Records list, got the fields requestContext, version'));
  });

  it('rejects an event that is not an object', () => {
    // Prepare
    const { before } = validateStreamEvent();

    // Act
    const validate = () => before?.(requestOf('hello'));

    // Assess
    expect(validate).toThrow(MalformedEventError);
  });

  it('rejects a batch larger than the limit', () => {
    // Prepare
    const { before } = validateStreamEvent({ maxRecords: 2 });

    // Act
    const validate = () => before?.(requestOf({ Records: [{}, {}, {}] }));

    // Assess
    expect(validate).toThrow('a batch holds at most 2 records, got 3');
  });

  it.each([0, 1.5, Number.NaN])('refuses maxRecords %p', (maxRecords) => {
    // Act
    const create = () => validateStreamEvent({ maxRecords });

    // Assess
    expect(create).toThrow(TypeError);
  });
});
