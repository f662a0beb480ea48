/**
 * Hand-made histories for the lab's checker: client writes through the core, Global
 * Tables overwrites between replicas, and resolver merges, each leaving the stream record
 * the lab would capture, so a test can state exactly what happened and what was lost.
 */
import exampleRules from '../../rules/example';
import type { CheckInput } from '../../lab/checker';
import { RegionStream, WriteOrigin, type CapturedRecord } from '../../lab/stream';
import { canonicalJson, type AttributeMap } from '../../shared/dynamodb/attribute-value';
import { merge } from '../../shared/merge/merge';
import type { Change } from '../../shared/write/change';
import { keyOf, Writers } from './items';

export const HISTORY_TABLE = 'concord-lab-test';

/** A history of one table in several regions. */
export class LabHistory {
  readonly records: CapturedRecord[] = [];
  /** The change of each client write, by operation id. */
  readonly operations = new Map<string, Change>();
  private readonly writers = new Writers(exampleRules);
  private readonly streams: Map<string, RegionStream>;
  private readonly items = new Map<string, Map<string, AttributeMap>>();
  private now = Date.UTC(2025, 0, 1);

  constructor(readonly regions: readonly string[]) {
    this.streams = new Map(regions.map((region) => [region, new RegionStream({ region, table: HISTORY_TABLE, createdMs: this.now, shards: 1 })]));
    for (const region of regions) this.items.set(region, new Map());
  }

  /** The item `pk` as `region` holds it. */
  item(region: string, pk: string): AttributeMap | undefined {
    return this.items.get(region)?.get(canonicalJson(keyOf(pk)));
  }

  /** A client write in `region`, by a writer whose clock is `skewMs` off; returns the new version. */
  write(region: string, pk: string, change: Change, skewMs = 0): AttributeMap {
    const key = keyOf(pk);
    const image = this.writers.write(region, this.item(region, pk), key, change, skewMs);
    const operation = `op-${this.operations.size + 1}`;
    this.operations.set(operation, change);
    return this.put(region, key, image, WriteOrigin.Local, operation);
  }

  /** The operation ids of the client writes, in the order they were made. */
  operationIds(): string[] {
    return [...this.operations.keys()];
  }

  /** Global Tables replicating `from`'s version of `pk` to `to`, overwriting whatever `to` holds. */
  replicate(from: string, to: string, pk: string): void {
    this.put(to, keyOf(pk), this.item(from, pk), WriteOrigin.Replica);
  }

  /** A client write made without Concord (plain Global Tables): `image` stored as is, or the item deleted. */
  writePlain(region: string, pk: string, change: Change, image: AttributeMap | undefined): void {
    const operation = `op-${this.operations.size + 1}`;
    this.operations.set(operation, change);
    this.put(region, keyOf(pk), image, WriteOrigin.Local, operation);
  }

  /** Any other version of `pk` stored in `region`, as a buggy or forged writer could. */
  overwrite(region: string, pk: string, image: AttributeMap): AttributeMap {
    return this.put(region, keyOf(pk), image, WriteOrigin.Local);
  }

  /** A resolver in `region` writing the merge of `other` over its item. */
  resolve(region: string, pk: string, other: AttributeMap): AttributeMap {
    const merged = merge(other, this.item(region, pk) as AttributeMap, exampleRules, { table: HISTORY_TABLE, writtenIn: region }).item;
    return this.put(region, keyOf(pk), merged, WriteOrigin.Local);
  }

  /** The checker's input for the history's current state. */
  input(overrides: Partial<CheckInput> = {}): CheckInput {
    return {
      rules: exampleRules,
      table: HISTORY_TABLE,
      regions: this.regions,
      finalItems: this.items,
      records: this.records,
      operations: this.operations,
      auditedConflictIds: new Set(),
      resolveIn: 'off',
      quiesced: true,
      ...overrides,
    };
  }

  private put<I extends AttributeMap | undefined>(region: string, key: AttributeMap, image: I, origin: WriteOrigin, operation?: string): I {
    const items = this.items.get(region) as Map<string, AttributeMap>;
    const oldImage = items.get(canonicalJson(key));
    if (image === undefined) items.delete(canonicalJson(key));
    else items.set(canonicalJson(key), image);
    this.now += 10;
    this.records.push((this.streams.get(region) as RegionStream).append({ key, oldImage, newImage: image, origin, ...(operation === undefined ? {} : { operation }) }, this.now));
    return image;
  }
}
