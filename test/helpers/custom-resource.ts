/**
 * Factories for CloudFormation custom resource tests: the request CloudFormation
 * sends to a Lambda, a Lambda context, and a loopback server standing in for the
 * pre-signed S3 URL that receives the answer.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';
import { listen, type LocalServer } from '../../local/http';

export interface CapturedAnswer {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: CloudFormationCustomResourceResponse;
}

/** A loopback server that records the answers PUT to it (one per request path). */
export interface AnswerCapture extends LocalServer {
  /** The answers received so far, in order. */
  readonly answers: CapturedAnswer[];
}

/**
 * Starts the stand-in for CloudFormation's response URL.
 *
 * @example
 * const capture = await startAnswerCapture();
 * await handler(customResourceEvent({ requestType: 'Create', responseUrl: capture.url }), lambdaContext());
 * capture.answers[0]?.body.Status; // 'SUCCESS'
 */
export async function startAnswerCapture(): Promise<AnswerCapture> {
  const answers: CapturedAnswer[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      answers.push({ method: req.method ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as CloudFormationCustomResourceResponse });
      res.writeHead(200).end();
    });
  });
  return Object.assign(await listen(server, 0), { answers });
}

/**
 * A custom resource request as CloudFormation sends it.
 *
 * @example
 * customResourceEvent({ requestType: 'Update', responseUrl, properties: { TableName: 'concord-test' }, physicalResourceId: 'arn:...' });
 */
export function customResourceEvent(options: { requestType: 'Create' | 'Update' | 'Delete'; responseUrl: string; properties?: Record<string, unknown>; physicalResourceId?: string }): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:concord-test-custom',
    ResponseURL: options.responseUrl,
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/concord-test/00000000-0000-0000-0000-000000000000',
    RequestId: 'request-1',
    LogicalResourceId: 'TestResource',
    ResourceType: 'Custom::Test',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:concord-test-custom', ...options.properties },
  };
  const physicalResourceId = options.physicalResourceId ?? 'physical-1';
  if (options.requestType === 'Create') return { ...common, RequestType: 'Create' };
  if (options.requestType === 'Delete') return { ...common, RequestType: 'Delete', PhysicalResourceId: physicalResourceId };
  return { ...common, RequestType: 'Update', PhysicalResourceId: physicalResourceId, OldResourceProperties: common.ResourceProperties };
}

/**
 * The parts of a Lambda context the custom resources use. `remainingMs` is the time
 * left at the start; the handlers keep 10 s of it back to answer.
 */
export function lambdaContext(remainingMs = 60_000): { getRemainingTimeInMillis(): number; logStreamName: string } {
  const end = Date.now() + remainingMs;
  return { getRemainingTimeInMillis: () => end - Date.now(), logStreamName: '2026/01/01/[$LATEST]test' };
}
