import { PayloadUnavailableError } from '../../../shared/errors';
import { quarantineId } from '../../../shared/resolver/quarantine';
import { readBatch } from '../../../shared/resolver';
import { conflictRecord, stockConflict, Writers } from '../../../test/helpers/resolver-records';
import type { ReceivedMessage } from '../queue/queue-messages';
import type { PayloadPointer, PayloadReader } from './payloads';
import { readQuarantined } from './quarantine-source';

const RECORD = conflictRecord(stockConflict(new Writers()), 1);
const RECORD_ID = quarantineId(readBatch({ Records: [RECORD] }, { envelopeAttribute: '_cc' })[0] as never, 'concord-dev');

/** A message as the queue delivers it. */
function message(body: unknown): ReceivedMessage {
  return { messageId: 'm-1', receiptHandle: 'r-1', body: typeof body === 'string' ? body : JSON.stringify(body), receiveCount: 1, sentAt: null };
}

/** Payloads held in memory, by bucket and key. */
class StoredPayloads implements PayloadReader {
  readonly reads: PayloadPointer[] = [];
  constructor(private readonly objects: ReadonlyMap<string, string>) {}

  async read(pointer: PayloadPointer): Promise<string> {
    this.reads.push(pointer);
    const text = this.objects.get(`${pointer.bucket}/${pointer.key}`);
    if (text === undefined) throw new PayloadUnavailableError(pointer.bucket, pointer.key, { cause: new Error('NoSuchKey') });
    return text;
  }
}

const FIELDS = { reason: { error: 'RuleApplicationError', message: 'the merge threw' }, table: 'concord-dev', region: 'us-east-1', quarantinedAt: '2026-01-01T00:00:00.000Z' };
const NO_PAYLOADS = new StoredPayloads(new Map());

describe('readQuarantined', () => {
  it('reads a message holding the record, naming it by its RecordQuarantined id', async () => {
    // Act
    const quarantined = await readQuarantined(message({ ...FIELDS, record: RECORD }), NO_PAYLOADS, '_cc');

    // Assess
    expect({ id: quarantined.id, record: quarantined.record, region: quarantined.region, problem: quarantined.problem }).toEqual({ id: RECORD_ID, record: RECORD, region: 'us-east-1', problem: null });
  });

  it('reads the exact record from the payload its pointer names (images omitted from the message)', async () => {
    // Prepare
    const payloads = new StoredPayloads(new Map([['concord-payloads-dev/quarantine/r.json', JSON.stringify(RECORD)]]));
    const withoutImages = { ...RECORD, dynamodb: { ...RECORD.dynamodb, OldImage: undefined, NewImage: undefined } };
    const body = { ...FIELDS, record: withoutImages, imagesOmitted: true, payload: { s3BucketName: 'concord-payloads-dev', s3Key: 'quarantine/r.json', sizeBytes: 2048 } };

    // Act
    const quarantined = await readQuarantined(message(body), payloads, '_cc');

    // Assess
    expect({ record: quarantined.record, payload: quarantined.payload, problem: quarantined.problem }).toEqual({ record: RECORD, payload: { bucket: 'concord-payloads-dev', key: 'quarantine/r.json' }, problem: null });
  });

  it('says why a record cannot be replayed when its payload cannot be read', async () => {
    // Act
    const quarantined = await readQuarantined(message({ ...FIELDS, record: RECORD, payload: { s3BucketName: 'gone', s3Key: 'x.json' } }), NO_PAYLOADS, '_cc');

    // Assess
    expect(quarantined.problem).toBe('the payload s3://gone/x.json could not be read: NoSuchKey');
  });

  it('says why when the message has the record without its images and no pointer', async () => {
    // Act
    const quarantined = await readQuarantined(message({ ...FIELDS, record: RECORD, imagesOmitted: true }), NO_PAYLOADS, '_cc');

    // Assess
    expect(quarantined.problem).toBe('the message holds the record without its images, and points at no payload');
  });

  it.each([
    ['not JSON', 'oops', 'the message body is not JSON'],
    ['not a quarantine message', { hello: 1 }, 'not a quarantine message: it holds no record'],
  ])('reads a message that is %s as unreplayable, named by its message id', async (_case, body, problem) => {
    // Act
    const quarantined = await readQuarantined(message(body), NO_PAYLOADS, '_cc');

    // Assess
    expect({ id: quarantined.id, problem: quarantined.problem }).toEqual({ id: 'm-1', problem });
  });
});
