/**
 * A local EventBridge endpoint (AWS JSON 1.1, `X-Amz-Target: AWSEvents.<Operation>`).
 * One server hosts the buses of every region: the caller's region comes from its
 * SigV4 signature. Supported: CreateEventBus, DescribeEventBus, ListEventBuses,
 * DeleteEventBus, PutRule (patterns: see ./event-pattern.ts), PutTargets (targets are
 * other buses, in any region), PutEvents with AWS's limits and per-entry errors.
 * Every event a bus receives is recorded and can be listed, cleared and awaited.
 *
 * Like AWS, PutEvents to a bus that does not exist answers success and the event goes
 * nowhere (reported in aws/aws-sdk#186 and aws/aws-cli#9186); such events are kept in
 * {@link LocalEventBridge.dropped}. `missingBus: 'fail'` turns them into per-entry
 * `ResourceNotFoundException` errors instead.
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, type EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';
import { AwsProtocolError } from './aws-error';
import { CallCounter } from './call-counter';
import { ClientPool, LOCAL_ACCOUNT_ID, localClientConfig } from './client-config';
import { compileEventPattern, EventPatternError, EventPatternProblem, matchesEventPattern, type EventPattern } from './event-pattern';
import { FaultSchedule } from './faults';
import { optionalString as optionalParam, requiredString } from './params';
import { startOperationServer, type OperationHandler } from './http';
import { EntryErrorCode, PUT_EVENTS_MAX_BYTES, PUT_EVENTS_MAX_ENTRIES, putEventsEntrySize, validateEntry, type EntryError, type PutEventsEntry } from './put-events';
import { Recorder, type WaitOptions } from './recorder';

const DEFAULT_BUS = 'default';
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
const BUS_ARN = /^arn:aws:events:([a-z0-9-]+):(\d{12}):event-bus\/(.+)$/;

/** The entry faults PutEvents can inject: throttling and internal failures (retryable on AWS), and an entry refused as invalid (never accepted on a retry). */
export type EventBridgeFault = typeof EntryErrorCode.ThrottlingException | typeof EntryErrorCode.InternalFailure | typeof EntryErrorCode.InvalidArgument;

/** The message EventBridge answers with each injectable fault. */
const FAULT_MESSAGES: Readonly<Record<EventBridgeFault, string>> = {
  ThrottlingException: 'Rate exceeded.',
  InternalFailure: 'Internal service error.',
  InvalidArgument: 'Parameter Detail is not valid.',
};

/** An event as EventBridge delivers it to targets. */
export interface EventBridgeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  /** ISO 8601, seconds precision. */
  readonly time: string;
  /** Region where the event was put (kept when forwarded to another region's bus). */
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

/** A bus, named by region and name. */
export interface BusRef {
  readonly region: string;
  readonly name: string;
}

/** One event as received by one bus. */
export interface ReceivedEvent {
  readonly bus: BusRef;
  readonly event: EventBridgeEvent;
}

/** An accepted event that reached no bus. */
export interface DroppedEvent {
  readonly bus: BusRef;
  readonly event: EventBridgeEvent;
  readonly reason: string;
}

/** Options of {@link startLocalEventBridge}. */
export interface LocalEventBridgeOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Region of unsigned calls and of {@link LocalEventBridge.client} (default `us-east-1`). */
  readonly region?: string;
  /** `drop` (as AWS: accepted, delivered nowhere) or `fail` (per-entry error). Default `drop`. */
  readonly missingBus?: 'drop' | 'fail';
  /** Called for every event any bus receives (forwarded copies included). */
  readonly onEvent?: (received: ReceivedEvent) => void;
  /** Called for every accepted event that reached no bus. */
  readonly onDropped?: (dropped: DroppedEvent) => void;
}

/** A rule forwarding matching events to other buses. */
export interface RuleDefinition {
  readonly name: string;
  /** The bus the rule is on (default `default`). */
  readonly bus?: string;
  readonly region?: string;
  /** The event pattern, as JSON text or an object. */
  readonly pattern: string | Record<string, unknown>;
  /** ARNs of the target buses. */
  readonly targets?: readonly string[];
}

/** A running local EventBridge endpoint. */
export interface LocalEventBridge {
  readonly endpoint: string;
  readonly region: string;
  /** Calls received, per operation. */
  readonly calls: CallCounter;
  /** Entry faults of PutEvents; `only` names buses. */
  readonly faults: FaultSchedule<EventBridgeFault>;
  /** Accepted events that reached no bus. */
  readonly dropped: Recorder<DroppedEvent>;
  /** Creates a bus (idempotent) and returns its ARN. */
  createBus(name: string, region?: string): string;
  /** Creates or replaces a rule and adds its targets; returns the rule ARN. */
  putRule(rule: RuleDefinition): string;
  /** The ARN of a bus, whether or not it exists. */
  busArn(name: string, region?: string): string;
  /** Events received, oldest first, optionally of one bus (`region` defaults to the endpoint's). */
  events(bus?: { name: string; region?: string }): ReceivedEvent[];
  /** Waits for `count` events on a bus. */
  waitForEvents(count: number, bus: { name: string; region?: string }, options?: { timeoutMs?: number }): Promise<ReceivedEvent[]>;
  /** Forgets received and dropped events. */
  clearEvents(): void;
  /** A client with dummy credentials; destroyed by {@link LocalEventBridge.close}. */
  client(config?: Partial<EventBridgeClientConfig>): EventBridgeClient;
  close(): Promise<void>;
}

interface Rule {
  readonly arn: string;
  readonly pattern: EventPattern;
  readonly enabled: boolean;
  readonly targets: Map<string, string>;
}

interface Bus {
  readonly ref: BusRef;
  readonly arn: string;
  readonly created: Date;
  readonly rules: Map<string, Rule>;
}

const validation = (message: string): AwsProtocolError => new AwsProtocolError(400, 'ValidationException', message);
const notFound = (message: string): AwsProtocolError => new AwsProtocolError(400, 'ResourceNotFoundException', message);
const optionalString = (body: Record<string, unknown>, field: string): string | undefined => optionalParam(body, field, validation);
const stringField = (body: Record<string, unknown>, field: string): string => requiredString(body, field, validation);

/** The buses of every region, their rules, and delivery between them. */
class Buses {
  private readonly buses = new Map<string, Bus>();
  readonly received = new Recorder<ReceivedEvent>();
  readonly dropped = new Recorder<DroppedEvent>();

  constructor(private readonly listeners: Pick<LocalEventBridgeOptions, 'onEvent' | 'onDropped'>) {}

  arn(ref: BusRef): string {
    return `arn:aws:events:${ref.region}:${LOCAL_ACCOUNT_ID}:event-bus/${ref.name}`;
  }

  /** Resolves a name or ARN, as every EventBusName parameter accepts both. */
  resolve(nameOrArn: string | undefined, region: string): BusRef {
    const arn = BUS_ARN.exec(nameOrArn ?? '');
    if (arn !== null) return { region: arn[1] as string, name: arn[3] as string };
    return { region, name: nameOrArn === undefined || nameOrArn === '' ? DEFAULT_BUS : nameOrArn };
  }

  find(ref: BusRef): Bus | undefined {
    const key = `${ref.region}/${ref.name}`;
    // Every region has a default bus.
    if (!this.buses.has(key) && ref.name === DEFAULT_BUS) this.buses.set(key, this.newBus(ref));
    return this.buses.get(key);
  }

  get(ref: BusRef): Bus {
    const bus = this.find(ref);
    if (bus === undefined) throw notFound(`Event bus ${ref.name} does not exist.`);
    return bus;
  }

  create(ref: BusRef): Bus {
    if (!BUS_NAME.test(ref.name)) throw validation(`Event bus name ${JSON.stringify(ref.name)} is not valid.`);
    const bus = this.newBus(ref);
    this.buses.set(`${ref.region}/${ref.name}`, bus);
    return bus;
  }

  delete(ref: BusRef): void {
    if (ref.name === DEFAULT_BUS) throw validation('Cannot delete event bus default.');
    this.buses.delete(`${ref.region}/${ref.name}`);
  }

  list(region: string): Bus[] {
    this.find({ region, name: DEFAULT_BUS });
    return [...this.buses.values()].filter((bus) => bus.ref.region === region).sort((a, b) => a.ref.name.localeCompare(b.ref.name));
  }

  putRule(bus: Bus, name: string, patternSource: string, enabled: boolean): Rule {
    let pattern: EventPattern;
    try {
      pattern = compileEventPattern(patternSource);
    } catch (error) {
      if (!(error instanceof EventPatternError)) throw error;
      throw new AwsProtocolError(400, error.problem === EventPatternProblem.Invalid ? 'InvalidEventPatternException' : 'ValidationException', error.message);
    }
    const path = bus.ref.name === DEFAULT_BUS ? name : `${bus.ref.name}/${name}`;
    const rule: Rule = { arn: `arn:aws:events:${bus.ref.region}:${LOCAL_ACCOUNT_ID}:rule/${path}`, pattern, enabled, targets: bus.rules.get(name)?.targets ?? new Map() };
    bus.rules.set(name, rule);
    return rule;
  }

  /** Records the event on `ref` and forwards it along matching rules; each bus receives it at most once. */
  deliver(ref: BusRef, event: EventBridgeEvent, visited = new Set<string>()): void {
    const bus = this.find(ref);
    if (bus === undefined) {
      const dropped = { bus: ref, event, reason: `event bus ${ref.name} does not exist in ${ref.region}` };
      this.dropped.push(dropped);
      this.listeners.onDropped?.(dropped);
      return;
    }
    if (visited.has(bus.arn)) return;
    visited.add(bus.arn);
    const received = { bus: bus.ref, event };
    this.received.push(received);
    this.listeners.onEvent?.(received);
    for (const rule of bus.rules.values()) {
      if (!rule.enabled || !matchesEventPattern(rule.pattern, event as unknown as Record<string, unknown>)) continue;
      for (const target of rule.targets.values()) this.deliver(this.resolve(target, bus.ref.region), event, visited);
    }
  }

  private newBus(ref: BusRef): Bus {
    return { ref, arn: this.arn(ref), created: new Date(), rules: new Map() };
  }
}

/**
 * Starts a local EventBridge endpoint on 127.0.0.1.
 *
 * @example
 * const bridge = await startLocalEventBridge({ onEvent: ({ bus, event }) => console.log(bus.name, event.source) });
 * bridge.createBus('concord-audit-central-test', 'us-east-1');
 * bridge.createBus('concord-audit-test', 'eu-west-1');
 * bridge.putRule({ name: 'to-central', bus: 'concord-audit-test', region: 'eu-west-1', pattern: { source: ['concord'] }, targets: [bridge.busArn('concord-audit-central-test', 'us-east-1')] });
 * await bridge.close();
 */
export async function startLocalEventBridge(options: LocalEventBridgeOptions = {}): Promise<LocalEventBridge> {
  const region = options.region ?? 'us-east-1';
  const buses = new Buses(options);
  const calls = new CallCounter();
  const faults = new FaultSchedule<EventBridgeFault>(EntryErrorCode.ThrottlingException);
  const clients = new ClientPool();
  const operations: Record<string, OperationHandler> = {
    CreateEventBus: ({ body, region: caller }) => {
      const ref = { region: caller, name: stringField(body, 'Name') };
      if (buses.find(ref) !== undefined) throw new AwsProtocolError(400, 'ResourceAlreadyExistsException', `Event bus ${ref.name} already exists.`);
      return { EventBusArn: buses.create(ref).arn };
    },
    DescribeEventBus: ({ body, region: caller }) => describeBus(buses.get(buses.resolve(optionalString(body, 'Name'), caller))),
    ListEventBuses: ({ body, region: caller }) => {
      const prefix = optionalString(body, 'NamePrefix') ?? '';
      return { EventBuses: buses.list(caller).filter((bus) => bus.ref.name.startsWith(prefix)).map(describeBus) };
    },
    DeleteEventBus: ({ body, region: caller }) => {
      buses.delete(buses.resolve(stringField(body, 'Name'), caller));
      return {};
    },
    PutRule: ({ body, region: caller }) => {
      if (body.ScheduleExpression !== undefined) throw validation('ScheduleExpression is not supported by the local EventBridge; use EventPattern.');
      const pattern = optionalString(body, 'EventPattern');
      if (pattern === undefined) throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
      const bus = buses.get(buses.resolve(optionalString(body, 'EventBusName'), caller));
      return { RuleArn: buses.putRule(bus, stringField(body, 'Name'), pattern, body.State !== 'DISABLED').arn };
    },
    PutTargets: ({ body, region: caller }) => {
      const bus = buses.get(buses.resolve(optionalString(body, 'EventBusName'), caller));
      const ruleName = stringField(body, 'Rule');
      const rule = bus.rules.get(ruleName);
      if (rule === undefined) throw notFound(`Rule ${ruleName} does not exist on EventBus ${bus.ref.name}.`);
      for (const target of targetsOf(body)) rule.targets.set(target.Id, target.Arn);
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
    PutEvents: ({ body, region: caller }) => putEvents(body, caller),
  };

  function putEvents(body: Record<string, unknown>, caller: string): unknown {
    const entries = body.Entries;
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > PUT_EVENTS_MAX_ENTRIES) {
      const bound = Array.isArray(entries) && entries.length > PUT_EVENTS_MAX_ENTRIES ? `less than or equal to ${PUT_EVENTS_MAX_ENTRIES}` : 'greater than or equal to 1';
      throw validation(`1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${bound}`);
    }
    const typed = entries as PutEventsEntry[];
    if (typed.reduce((sum, entry) => sum + putEventsEntrySize(entry), 0) > PUT_EVENTS_MAX_BYTES) {
      throw validation('Total size of the entries in the request is over the limit.');
    }
    const results = typed.map((entry) => {
      const error = entryError(entry, caller);
      if (error !== undefined) return { ErrorCode: error.code, ErrorMessage: error.message };
      const event = toEvent(entry, caller);
      buses.deliver(buses.resolve(entry.EventBusName, caller), event);
      return { EventId: event.id };
    });
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  function entryError(entry: PutEventsEntry, caller: string): EntryError | undefined {
    const invalid = validateEntry(entry);
    if (invalid !== undefined) return invalid;
    const ref = buses.resolve(entry.EventBusName, caller);
    const fault = faults.draw(ref.name);
    if (fault !== undefined) return { code: fault, message: FAULT_MESSAGES[fault] };
    if (options.missingBus === 'fail' && buses.find(ref) === undefined) return { code: EntryErrorCode.ResourceNotFoundException, message: `Event bus ${ref.name} does not exist.` };
    return undefined;
  }

  const server = await startOperationServer({
    port: options.port ?? 0,
    targetPrefix: 'AWSEvents',
    contentType: 'application/x-amz-json-1.1',
    defaultRegion: region,
    operations,
    calls,
    unsupported: (operation) => new AwsProtocolError(400, 'UnknownOperationException', `${operation} is not supported by the local EventBridge`),
  });

  const onBus = (bus: { name: string; region?: string }) => (received: ReceivedEvent) => received.bus.name === bus.name && received.bus.region === (bus.region ?? region);
  return {
    endpoint: server.url,
    region,
    calls,
    faults,
    dropped: buses.dropped,
    createBus: (name, busRegion = region) => (buses.find({ region: busRegion, name }) ?? buses.create({ region: busRegion, name })).arn,
    putRule(rule) {
      const bus = buses.get({ region: rule.region ?? region, name: rule.bus ?? DEFAULT_BUS });
      const created = buses.putRule(bus, rule.name, typeof rule.pattern === 'string' ? rule.pattern : JSON.stringify(rule.pattern), true);
      (rule.targets ?? []).forEach((arn, index) => created.targets.set(`target-${index + 1}`, arn));
      return created.arn;
    },
    busArn: (name, busRegion = region) => buses.arn({ region: busRegion, name }),
    events: (bus) => buses.received.list(bus === undefined ? undefined : onBus(bus)),
    waitForEvents: (count, bus, waitOptions = {}) => buses.received.waitFor(count, { ...waitOptions, filter: onBus(bus) } satisfies WaitOptions<ReceivedEvent>),
    clearEvents() {
      buses.received.clear();
      buses.dropped.clear();
    },
    client: (config = {}) => clients.track(new EventBridgeClient({ ...localClientConfig(server.url, region), ...config })),
    async close() {
      clients.destroyAll();
      await server.close();
    },
  };
}

function toEvent(entry: PutEventsEntry, region: string): EventBridgeEvent {
  const time = entry.Time === undefined ? new Date() : new Date(entry.Time * 1000);
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType as string,
    source: entry.Source as string,
    account: LOCAL_ACCOUNT_ID,
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [...(entry.Resources ?? [])],
    detail: JSON.parse(entry.Detail as string) as Record<string, unknown>,
  };
}

function describeBus(bus: Bus): Record<string, unknown> {
  const seconds = bus.created.getTime() / 1000;
  return { Name: bus.ref.name, Arn: bus.arn, CreationTime: seconds, LastModifiedTime: seconds };
}

function targetsOf(body: Record<string, unknown>): { Id: string; Arn: string }[] {
  const targets = body.Targets;
  if (!Array.isArray(targets) || targets.length === 0) throw validation('Parameter Targets must hold at least one target.');
  return targets.map((target: Record<string, unknown>) => {
    const id = stringField(target, 'Id');
    const arn = stringField(target, 'Arn');
    if (!BUS_ARN.test(arn)) throw validation(`Target ${id}: only event bus targets (arn:aws:events:<region>:<account>:event-bus/<name>) are supported by the local EventBridge, got ${arn}`);
    for (const unsupported of ['Input', 'InputPath', 'InputTransformer']) {
      if (target[unsupported] !== undefined) throw validation(`Target ${id}: ${unsupported} is not supported by the local EventBridge.`);
    }
    return { Id: id, Arn: arn };
  });
}
