/**
 * The Lambda side of a CloudFormation custom resource: run the work for
 * Create/Update/Delete and always answer CloudFormation through the pre-signed
 * `ResponseURL`, also when the work throws or runs out of time (otherwise the stack
 * hangs for an hour). Shared by the inline deploy-time functions in this folder.
 */
import type {
  CloudFormationCustomResourceCreateEvent,
  CloudFormationCustomResourceDeleteEvent,
  CloudFormationCustomResourceEvent,
  CloudFormationCustomResourceResponse,
  CloudFormationCustomResourceUpdateEvent,
  Context,
} from 'aws-lambda';
import { DeploymentWaitError } from '../../shared/errors';

/** What a Create or Update produced. */
export interface ResourceResult {
  /** Stable id of what the resource stands for; a new id makes CloudFormation delete the old one. */
  readonly physicalResourceId: string;
  /** Values readable with `Fn::GetAtt` on the custom resource. */
  readonly data?: Record<string, string>;
}

/** The work behind one custom resource type. */
export interface CustomResource {
  /** Creates or updates; `deadline` (epoch ms) is when CloudFormation must have its answer. */
  apply(event: CloudFormationCustomResourceCreateEvent | CloudFormationCustomResourceUpdateEvent, deadline: number): Promise<ResourceResult>;
  /** Deletes; omitted when a Delete has nothing to remove. */
  remove?(event: CloudFormationCustomResourceDeleteEvent, deadline: number): Promise<void>;
}

/** Time kept back from the Lambda timeout to send the answer. */
const ANSWER_MARGIN_MS = 10_000;
/** CloudFormation rejects response bodies over 4096 bytes; the reason is what can grow. */
const MAX_REASON_CHARS = 1_500;
const SEND_ATTEMPTS = 3;

/**
 * Wraps a {@link CustomResource} as a Lambda handler that always answers CloudFormation.
 *
 * @example
 * export const handler = customResourceHandler({
 *   async apply(event) {
 *     return { physicalResourceId: String(event.ResourceProperties.Name), data: { Answer: '42' } };
 *   },
 * });
 */
export function customResourceHandler(resource: CustomResource): (event: CloudFormationCustomResourceEvent, context: Pick<Context, 'getRemainingTimeInMillis' | 'logStreamName'>) => Promise<void> {
  return async (event, context) => {
    const deadline = Date.now() + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS;
    // A Create that fails has no id yet; CloudFormation then sends a Delete for this one.
    const currentId = event.RequestType === 'Create' ? context.logStreamName : event.PhysicalResourceId;
    let response: CloudFormationCustomResourceResponse;
    try {
      if (event.RequestType === 'Delete') {
        await beforeDeadline(resource.remove?.(event, deadline) ?? Promise.resolve(), deadline, event.LogicalResourceId);
        response = answer(event, { Status: 'SUCCESS', PhysicalResourceId: currentId });
      } else {
        const result = await beforeDeadline(resource.apply(event, deadline), deadline, event.LogicalResourceId);
        response = answer(event, { Status: 'SUCCESS', PhysicalResourceId: result.physicalResourceId, Data: result.data ?? {} });
      }
    } catch (error) {
      console.error(JSON.stringify({ message: 'custom resource failed', requestType: event.RequestType, logicalResourceId: event.LogicalResourceId, error: describeError(error) }));
      const reason = `${describeError(error)} (log stream ${context.logStreamName})`.slice(0, MAX_REASON_CHARS);
      response = answer(event, { Status: 'FAILED', PhysicalResourceId: currentId, Reason: reason });
    }
    await sendAnswer(event.ResponseURL, response);
  };
}

function answer(event: CloudFormationCustomResourceEvent, fields: Pick<CloudFormationCustomResourceResponse, 'Status' | 'PhysicalResourceId' | 'Data'> & { Reason?: string }): CloudFormationCustomResourceResponse {
  return { ...fields, StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, NoEcho: false } as CloudFormationCustomResourceResponse;
}

/** Rejects with {@link DeploymentWaitError} when `work` has not settled by `deadline`. */
async function beforeDeadline<T>(work: Promise<T>, deadline: number, resource: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeploymentWaitError(resource, 'done', 'still working at the Lambda deadline')), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * PUTs the answer to the pre-signed S3 URL. The URL is signed without a content type,
 * so none is sent. Retries transport errors and 5xx a few times.
 */
async function sendAnswer(url: string, response: CloudFormationCustomResourceResponse): Promise<void> {
  const body = JSON.stringify(response);
  for (let attempt = 1; ; attempt += 1) {
    const reply = await fetch(url, { method: 'PUT', body, headers: { 'content-type': '' } }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    if (!(reply instanceof Error) && reply.ok) return;
    const retryable = reply instanceof Error || reply.status >= 500;
    if (!retryable || attempt >= SEND_ATTEMPTS) throw reply instanceof Error ? reply : new Error(`CloudFormation rejected the answer: HTTP ${reply.status} ${await reply.text()}`);
    await sleep(250 * 2 ** attempt);
  }
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
