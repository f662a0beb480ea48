/**
 * A binary min-heap of timed entries, ordered by time and then by insertion order, so
 * that entries due at the same virtual millisecond run first-in first-out (a tie never
 * depends on how the heap happens to be laid out).
 */

/** One entry: when it is due, and its rank among entries due at the same time. */
export interface Timed {
  readonly at: number;
  readonly order: number;
}

function before(a: Timed, b: Timed): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}

/** A min-heap on `(at, order)`. */
export class PriorityQueue<T extends Timed> {
  private readonly heap: T[] = [];

  get size(): number {
    return this.heap.length;
  }

  /** The earliest entry, left in place. */
  peek(): T | undefined {
    return this.heap[0];
  }

  /**
   * Adds an entry.
   *
   * @example
   * queue.push({ at: 10, order: 1, run });
   */
  push(entry: T): void {
    const heap = this.heap;
    heap.push(entry);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(heap[index] as T, heap[parent] as T)) break;
      [heap[index], heap[parent]] = [heap[parent] as T, heap[index] as T];
      index = parent;
    }
  }

  /** Removes and returns the earliest entry. */
  pop(): T | undefined {
    const heap = this.heap;
    const first = heap[0];
    const last = heap.pop();
    if (first === undefined || last === undefined || heap.length === 0) return first;
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && before(heap[left] as T, heap[smallest] as T)) smallest = left;
      if (right < heap.length && before(heap[right] as T, heap[smallest] as T)) smallest = right;
      if (smallest === index) return first;
      [heap[index], heap[smallest]] = [heap[smallest] as T, heap[index] as T];
      index = smallest;
    }
  }
}
