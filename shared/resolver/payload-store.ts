/**
 * The payload bucket: a quarantined record that its queue message cannot hold exactly
 * (too large for the queue, or masked by redaction) is stored here, and the message
 * points at it, as the SQS extended clients do. The bucket encrypts with its own
 * customer managed key (resources/payloads.yml); the object key is derived from the
 * record, so a redelivery overwrites the same object.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** Where a payload is: the fields of the SQS extended clients' pointer, and its size. */
export interface PayloadPointer {
  readonly s3BucketName: string;
  readonly s3Key: string;
  readonly sizeBytes: number;
}

/**
 * Stores a JSON payload and returns its pointer.
 *
 * @example
 * const pointer = await storePayload(s3, 'concord-payloads-prod-…', 'quarantine/concord-prod/3f2a….json', JSON.stringify(record));
 */
export async function storePayload(s3: S3Client, bucket: string, key: string, body: string): Promise<PayloadPointer> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
  return { s3BucketName: bucket, s3Key: key, sizeBytes: Buffer.byteLength(body) };
}
