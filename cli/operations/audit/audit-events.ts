/**
 * Concord's audit events as they were recorded: in the central audit log group (the
 * audit region's rule writes every event of the central bus there, one JSON event per
 * log event), or in a JSON-lines file (one EventBridge event per line, as `npm run
 * local` prints them and as a log group export holds them). Both are an
 * {@link AuditEventSource}, so commands read either alike.
 */
import { readFile } from 'node:fs/promises';
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CommandLineError } from '../../../shared/errors';

/** One recorded audit event. */
export interface RecordedEvent {
  /** `ConflictResolved`, `ConflictEscalated`, … */
  readonly detailType: string;
  /** ISO 8601, when EventBridge received it. */
  readonly time: string;
  /** The region whose resolver (or operator) published it. */
  readonly region: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Where recorded audit events come from. */
export interface AuditEventSource {
  /** A description for messages, e.g. `log group /aws/events/concord-audit-prod (us-east-1)`. */
  readonly name: string;
  /** The events of the given detail types, in the order the source holds them. */
  events(detailTypes: readonly string[]): AsyncIterable<RecordedEvent>;
}

/**
 * An EventBridge event's JSON as a recorded event, or undefined for anything else (an
 * `export` line, a quarantine line, a log line of another kind).
 *
 * @example
 * recordedEventOf('{"detail-type":"ConflictResolved","time":"…","region":"us-east-1","detail":{…}}');
 */
export function recordedEventOf(text: string): RecordedEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const event = parsed as Record<string, unknown>;
  const detail = event.detail;
  if (typeof event['detail-type'] !== 'string' || detail === null || typeof detail !== 'object' || Array.isArray(detail)) return undefined;
  return { detailType: event['detail-type'], time: typeof event.time === 'string' ? event.time : '', region: typeof event.region === 'string' ? event.region : '', detail: detail as Record<string, unknown> };
}

/** The central audit log group, read with FilterLogEvents between two times, one detail type at a time. */
export class LogGroupEvents implements AuditEventSource {
  readonly name: string;

  constructor(
    private readonly logs: CloudWatchLogsClient,
    private readonly logGroup: string,
    private readonly window: { readonly startMs: number; readonly endMs: number },
    region: string,
  ) {
    this.name = `log group ${logGroup} (${region})`;
  }

  async *events(detailTypes: readonly string[]): AsyncIterable<RecordedEvent> {
    for (const detailType of detailTypes) {
      let nextToken: string | undefined;
      do {
        const page = await this.logs.send(
          new FilterLogEventsCommand({
            logGroupName: this.logGroup,
            startTime: this.window.startMs,
            endTime: this.window.endMs,
            filterPattern: `{ $.detail-type = "${detailType}" }`,
            ...(nextToken === undefined ? {} : { nextToken }),
          }),
        );
        for (const logEvent of page.events ?? []) {
          const recorded = recordedEventOf(logEvent.message ?? '');
          if (recorded !== undefined && recorded.detailType === detailType) yield recorded;
        }
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
    }
  }
}

/** A JSON-lines file of EventBridge events; lines that are not events are passed over. */
export class JsonLinesEvents implements AuditEventSource {
  readonly name: string;

  constructor(private readonly path: string) {
    this.name = `file ${path}`;
  }

  async *events(detailTypes: readonly string[]): AsyncIterable<RecordedEvent> {
    const wanted = new Set(detailTypes);
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      throw new CommandLineError('--from-file', `cannot read ${this.path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const line of text.split('\n')) {
      const recorded = line.trimStart().startsWith('{') ? recordedEventOf(line) : undefined;
      if (recorded !== undefined && wanted.has(recorded.detailType)) yield recorded;
    }
  }
}
