/**
 * What the resolver tells operators: structured log lines that name the record's key
 * and conflict id, and the metrics of each invocation (real Powertools; metrics output
 * disabled in tests, so the metrics are read where they are added).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricName } from '../../shared/resolver';
import { startResolverHarness, type ResolverHarness } from '../helpers/resolver-harness';
import { conflictRecord, incrementStock, stockConflict, streamEvent, Writers } from '../helpers/resolver-records';
import { sampleEvent, sampleImages } from '../helpers/resolver-samples';

let harness: ResolverHarness;

afterEach(async () => {
  jest.restoreAllMocks();
  await harness?.close();
});

/** The samples of one batch: two conflicts (one escalated), two skips, one quarantine. */
async function seededSampleBatch() {
  const names = ['conflict-stock-counter', 'conflict-order-notes-manual', 'skip-successor', 'skip-ttl-removal', 'quarantine-malformed-envelope'];
  const records = names.map((name) => sampleEvent(name).Records[0]!);
  for (const name of names) {
    const { newImage } = sampleImages(sampleEvent(name));
    if (newImage !== undefined) await harness.seed(newImage);
  }
  return streamEvent(...records);
}

describe('logging', () => {
  it('names the key and the conflict id on every line about a record', async () => {
    // Prepare
    const logger = new Logger({ serviceName: 'concord-resolver', logLevel: 'DEBUG' });
    harness = await startResolverHarness({ deps: { logger } });
    const writers = new Writers();
    const versions = stockConflict(writers, 'STOCK#9');
    await harness.seed(versions.remote);
    harness.stack.dynamo.intercept(async (request, forward) => {
      if (request.operation === 'PutItem' && harness.stack.dynamo.calls.count('PutItem') === 1) await harness.seed(writers.write('ap-southeast-2', versions.remote, versions.key, incrementStock(1)));
      return forward();
    });
    const event = streamEvent(conflictRecord(versions, 1), sampleEvent('quarantine-malformed-envelope').Records[0]!);
    const lines: Record<string, unknown>[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      jest.spyOn(stream, 'write').mockImplementation((chunk) => {
        lines.push(JSON.parse(String(chunk)));
        return true;
      });
    }

    // Act
    await harness.invoke(event);

    // Assess
    jest.restoreAllMocks();
    const aboutRecords = lines.filter((line) => 'sequenceNumber' in line);
    expect(aboutRecords.map((line) => line.message)).toEqual(expect.arrayContaining(['item changed before the write-back; merging the old image with the current item', 'conflict resolved', 'record can never succeed; quarantining it']));
    for (const line of aboutRecords) expect(line).toEqual(expect.objectContaining({ key: expect.any(String), conflictId: expect.stringMatching(/^[0-9a-f]{32}$/) }));
    expect(aboutRecords.find((line) => line.message === 'conflict resolved')).toMatchObject({ key: 'pk=STOCK#9 sk=STOCK', function_request_id: expect.any(String) });
  });
});

describe('metrics', () => {
  it('counts the records of a batch by what became of them', async () => {
    // Prepare
    const metrics = new Metrics({ namespace: 'ConcordTest', serviceName: 'concord-resolver' });
    const added = jest.spyOn(metrics, 'addMetric');
    const skipped: Record<string, number> = {};
    jest.spyOn(metrics, 'singleMetric').mockImplementation(() => {
      const single = new Metrics({ namespace: 'ConcordTest', serviceName: 'concord-resolver', singleMetric: true });
      let verdict = '';
      jest.spyOn(single, 'addDimension').mockImplementation((_name, value) => ((verdict = value), single));
      jest.spyOn(single, 'addMetric').mockImplementation((_name, _unit, value) => ((skipped[verdict] = value), single));
      return single;
    });
    harness = await startResolverHarness({ deps: { metrics } });
    const event = await seededSampleBatch();

    // Act
    await harness.invoke(event);

    // Assess
    const counts = Object.fromEntries(added.mock.calls.filter(([name]) => name !== MetricName.ResolutionLagMs).map(([name, , value]) => [name, value]));
    expect(counts).toEqual({
      RecordsSeen: 5,
      RecordsFailed: 0,
      Conflicts: 2,
      Resolved: 1,
      Escalated: 1,
      WriteRetries: 0,
      Quarantined: 1,
      PutEventsCalls: 1,
      AuditEventsPublished: 3,
      AuditEventsFailed: 0,
    });
    expect(skipped).toEqual({ successor: 1, ttlExpiry: 1 });
  });

  it('measures the resolution lag from the record creation time', async () => {
    // Prepare
    const metrics = new Metrics({ namespace: 'ConcordTest', serviceName: 'concord-resolver' });
    const added = jest.spyOn(metrics, 'addMetric');
    const event = sampleEvent('conflict-stock-counter');
    const createdAtMs = (event.Records[0]?.dynamodb?.ApproximateCreationDateTime as number) * 1000;
    harness = await startResolverHarness({ deps: { metrics, now: () => createdAtMs + 1_234 } });
    await harness.seed(sampleImages(event).newImage!);

    // Act
    await harness.invoke(event);

    // Assess
    expect(added.mock.calls.filter(([name]) => name === MetricName.ResolutionLagMs).map(([, unit, value]) => [unit, value])).toEqual([['Milliseconds', 1_234]]);
  });
});
