/**
 * One region of the emulated global table: a local DynamoDB endpoint (dynalite behind
 * the local proxy) holding the region's replica, and its stream. Every write that any
 * client sends to the endpoint is captured with the item held per key: the old image is
 * taken, the write forwarded, the new image read, and if the item changed a stream record
 * is appended. Replicated writes and TTL deletes are applied straight to dynalite (no
 * capture of their own, no throttling) and yield their records here too.
 *
 * Every change to the table passes here, so the region keeps the image each item had
 * after its last change: the old image of the next write, without a read. (The raw
 * dynalite endpoint bypasses all this, as nothing can on AWS: the lab never writes
 * through it.)
 */
import { concordTableDefinition, returnItemsOnConditionFailure, startLocalDynamo, type DynamoJson, type DynamoRequest, type DynamoResponse, type LocalDynamo } from '../local/dynamodb';
import { canonicalJson, parseAttributeMap, type AttributeMap } from '../shared/dynamodb/attribute-value';
import type { TableSettings } from '../shared/rules/types';
import { KeyLock } from '../shared/key-lock';
import { OPERATION_HEADER } from './clients';
import { writeUnits } from './write-units';
import { RegionStream, WriteOrigin, type CapturedRecord, type ItemChange } from './stream';

/** Options of {@link startRegion}. */
export interface RegionOptions {
  readonly name: string;
  readonly table: string;
  readonly settings: TableSettings;
  /** Shards of the region's stream. */
  readonly shards: number;
  /** The virtual clock: when a write happens. */
  readonly now: () => number;
}

/** Listens to the local writes of a region (the ones replication sends on). */
export type LocalWriteListener = (record: CapturedRecord) => void;

const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

/** A running region. */
export class Region {
  private readonly locks = new KeyLock();
  /** Each item's image after its last change, by `canonicalJson(key)` (absent: no item). */
  private readonly images = new Map<string, AttributeMap>();
  private readonly localWriteListeners: LocalWriteListener[] = [];
  /** Write units of the conditional writes DynamoDB refused. */
  refusedWriteUnits = 0;

  private constructor(
    readonly name: string,
    readonly dynamo: LocalDynamo,
    readonly stream: RegionStream,
    private readonly options: RegionOptions,
  ) {
    dynamo.intercept((request, forward) => this.capture(request, forward));
    // As DynamoDB does (dynalite does not): a refused conditional write returns the item it was checked against.
    returnItemsOnConditionFailure(dynamo);
  }

  /**
   * Starts a region: its endpoint with the Concord table, and its stream.
   *
   * @example
   * const region = await Region.start({ name: 'eu-west-1', table: 'concord-lab', settings: rules.table, shards: 2, now: () => scheduler.now });
   */
  static async start(options: RegionOptions): Promise<Region> {
    const dynamo = await startLocalDynamo({ region: options.name, tables: [concordTableDefinition(options.table)] });
    const stream = new RegionStream({ region: options.name, table: options.table, createdMs: options.now(), shards: options.shards });
    return new Region(options.name, dynamo, stream, options);
  }

  /** Calls `listener` with the record of every local write (a client's, the resolver's). */
  onLocalWrite(listener: LocalWriteListener): void {
    this.localWriteListeners.push(listener);
  }

  /**
   * Applies a write replicated from another region: the item becomes `image` (or is
   * deleted), and a record is appended if that changed it.
   *
   * @example
   * await region.applyReplicated(key, image); // undefined when nothing changed
   */
  applyReplicated(key: AttributeMap, image: AttributeMap | undefined, origin: WriteOrigin = WriteOrigin.Replica): Promise<CapturedRecord | undefined> {
    return this.locks.hold([canonicalJson(key)], async () => {
      const oldImage = this.images.get(canonicalJson(key));
      const table = this.options.table;
      const response = image === undefined ? await this.dynamo.call('DeleteItem', { TableName: table, Key: key }) : await this.dynamo.call('PutItem', { TableName: table, Item: image });
      if (response.status !== 200) throw new Error(`replicated write to ${this.name} failed: ${JSON.stringify(response.body)}`);
      const record = this.record({ key, oldImage, newImage: image, origin });
      // A TTL delete is this region's own write: replication sends it on like a client's.
      if (record !== undefined && origin === WriteOrigin.Ttl) this.notifyLocalWrite(record);
      return record;
    });
  }

  /**
   * Deletes an item as the TTL service does: a REMOVE record with the service's identity.
   *
   * @example
   * await region.expire(key);
   */
  expire(key: AttributeMap): Promise<CapturedRecord | undefined> {
    return this.applyReplicated(key, undefined, WriteOrigin.Ttl);
  }

  /** Every item of the table, by `canonicalJson(key)`. */
  async scan(): Promise<Map<string, AttributeMap>> {
    const items = new Map<string, AttributeMap>();
    const { partitionKey, sortKey } = this.options.settings;
    let start: DynamoJson | undefined;
    do {
      const response = await this.dynamo.call('Scan', { TableName: this.options.table, ...(start === undefined ? {} : { ExclusiveStartKey: start }) });
      if (response.status !== 200) throw new Error(`scan of ${this.name} failed: ${JSON.stringify(response.body)}`);
      for (const raw of (response.body.Items ?? []) as unknown[]) {
        const item = parseAttributeMap(raw, 'Item');
        const key: AttributeMap = { [partitionKey]: item[partitionKey] as AttributeMap[string] };
        if (sortKey !== null) key[sortKey] = item[sortKey] as AttributeMap[string];
        items.set(canonicalJson(key), item);
      }
      start = response.body.LastEvaluatedKey as DynamoJson | undefined;
    } while (start !== undefined);
    return items;
  }

  async close(): Promise<void> {
    await this.dynamo.close();
  }

  /** Wraps every write to the lab's table: hold its keys, read, forward, read, record. */
  private async capture(request: DynamoRequest, forward: (body?: DynamoJson) => Promise<DynamoResponse>): Promise<DynamoResponse> {
    const keys = WRITE_OPERATIONS.has(request.operation) ? this.keysOf(request) : [];
    if (keys.length === 0) return forward();
    return this.locks.hold(
      keys.map((key) => canonicalJson(key)),
      async () => {
        const before = keys.map((key) => this.images.get(canonicalJson(key)));
        const response = await forward();
        if (response.status !== 200) {
          // A failed condition still costs the units of the item it was checked against.
          if (String(response.body.__type ?? '').endsWith('ConditionalCheckFailedException')) for (const image of before) this.refusedWriteUnits += writeUnits(image, undefined);
          return response;
        }
        const header = request.headers?.[OPERATION_HEADER];
        const operation = typeof header === 'string' ? { operation: header } : {};
        for (const [index, key] of keys.entries()) {
          const record = this.record({ key, oldImage: before[index], newImage: await this.read(key), origin: WriteOrigin.Local, ...operation });
          if (record !== undefined) this.notifyLocalWrite(record);
        }
        return response;
      },
    );
  }

  /** The keys a write request touches in the lab's table; none for other tables or a malformed request. */
  private keysOf(request: DynamoRequest): AttributeMap[] {
    const { body, operation } = request;
    const table = this.options.table;
    try {
      if (operation === 'BatchWriteItem') {
        const writes = ((body.RequestItems as Record<string, unknown> | undefined)?.[table] ?? []) as { PutRequest?: { Item: unknown }; DeleteRequest?: { Key: unknown } }[];
        return writes.map((write) => (write.PutRequest === undefined ? parseAttributeMap(write.DeleteRequest?.Key, 'Key') : this.keyOfItem(write.PutRequest.Item)));
      }
      if (body.TableName !== table) return [];
      return [operation === 'PutItem' ? this.keyOfItem(body.Item) : parseAttributeMap(body.Key, 'Key')];
    } catch {
      // dynalite answers the malformed request with DynamoDB's own validation error.
      return [];
    }
  }

  private keyOfItem(raw: unknown): AttributeMap {
    const item = parseAttributeMap(raw, 'Item');
    const { partitionKey, sortKey } = this.options.settings;
    const key: AttributeMap = {};
    for (const name of [partitionKey, sortKey]) if (name !== null && item[name] !== undefined) key[name] = item[name] as AttributeMap[string];
    return key;
  }

  private async read(key: AttributeMap): Promise<AttributeMap | undefined> {
    const response = await this.dynamo.call('GetItem', { TableName: this.options.table, Key: key, ConsistentRead: true });
    if (response.status !== 200) throw new Error(`read of ${this.name} failed: ${JSON.stringify(response.body)}`);
    return response.body.Item === undefined ? undefined : parseAttributeMap(response.body.Item, 'Item');
  }

  private notifyLocalWrite(record: CapturedRecord): void {
    for (const listener of this.localWriteListeners) listener(record);
  }

  /** Appends the record of a change, unless the item is unchanged (DynamoDB writes none then). */
  private record(change: ItemChange): CapturedRecord | undefined {
    if (canonicalJson(change.oldImage ?? null) === canonicalJson(change.newImage ?? null)) return undefined;
    const keyId = canonicalJson(change.key);
    if (change.newImage === undefined) this.images.delete(keyId);
    else this.images.set(keyId, change.newImage);
    return this.stream.append(change, this.options.now());
  }
}
