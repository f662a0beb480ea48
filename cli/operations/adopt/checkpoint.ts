/**
 * The checkpoint of an adoption: where each scan segment stands and what was counted so
 * far, saved (atomically: written aside, then renamed) after every page, so that an
 * adoption stopped at any point goes on from there and never counts a page twice.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { CommandLineError } from '../../../shared/errors';
import type { AttributeMap } from '../../../shared/dynamodb/attribute-value';
import type { SegmentPosition } from '../scan/table-scan';

/** The counts of an adoption. */
export interface AdoptCounts {
  readonly scanned: number;
  /** Items that already had an envelope. */
  readonly versioned: number;
  readonly adopted: number;
  /** Items changed by another client between the scan and the write: left as that client made them. */
  readonly changedMeanwhile: number;
  /** Items the rules cannot adopt (a counter holding a string, an item that would pass 400 KB). */
  readonly refused: number;
}

/** What a checkpoint file holds. */
export interface CheckpointState {
  readonly version: 1;
  readonly table: string;
  readonly region: string;
  readonly segments: number;
  readonly positions: readonly SegmentPosition[];
  readonly counts: AdoptCounts;
}

export const NO_COUNTS: AdoptCounts = { scanned: 0, versioned: 0, adopted: 0, changedMeanwhile: 0, refused: 0 };

/** A checkpoint file. */
export class Checkpoint {
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private state: CheckpointState,
    /** True when the file existed: the adoption goes on from it. */
    readonly resumed: boolean,
  ) {}

  /**
   * Opens the checkpoint at `path`: resumes it when it exists (and is for this table,
   * region and segment count), else starts afresh.
   *
   * @throws CommandLineError naming --checkpoint when the file is for another adoption or unreadable
   */
  static async open(path: string, adoption: { readonly table: string; readonly region: string; readonly segments: number }): Promise<Checkpoint> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      const positions = Array.from({ length: adoption.segments }, (): SegmentPosition => ({ done: false, next: undefined }));
      return new Checkpoint(path, { version: 1, ...adoption, positions, counts: NO_COUNTS }, false);
    }
    let state: CheckpointState;
    try {
      state = JSON.parse(text) as CheckpointState;
    } catch {
      throw new CommandLineError('--checkpoint', `${path} is not a checkpoint (not JSON); remove it or pass --restart`);
    }
    if (state.version !== 1 || state.table !== adoption.table || state.region !== adoption.region || state.segments !== adoption.segments) {
      throw new CommandLineError('--checkpoint', `${path} is the checkpoint of table ${state.table} in ${state.region} with ${state.segments} segments, not of this adoption; pass the same --segments, another --checkpoint, or --restart`);
    }
    return new Checkpoint(path, state, true);
  }

  get counts(): AdoptCounts {
    return this.state.counts;
  }

  position(segment: number): SegmentPosition {
    const position = this.state.positions[segment] ?? { done: false, next: undefined };
    return position.done ? position : { done: false, next: (position as { next?: AttributeMap | null }).next ?? undefined };
  }

  /** Records a page: the segment's new position and the counts it adds; saved before it resolves. */
  record(segment: number, position: SegmentPosition, added: AdoptCounts): Promise<void> {
    const positions = [...this.state.positions];
    positions[segment] = position;
    const counts = { ...this.state.counts };
    for (const name of Object.keys(added) as (keyof AdoptCounts)[]) counts[name] += added[name];
    this.state = { ...this.state, positions, counts };
    const snapshot = JSON.stringify(this.state, null, 2);
    this.saving = this.saving.then(async () => {
      await writeFile(`${this.path}.tmp`, snapshot);
      await rename(`${this.path}.tmp`, this.path);
    });
    return this.saving;
  }

  /** Removes the file: the adoption is complete. */
  async remove(): Promise<void> {
    await this.saving;
    await rm(this.path, { force: true });
  }
}
