/**
 * A set that remembers at most `capacity` ids, forgetting the oldest first. The live stream replays an
 * overlapping window after a reconnect, so the client must recognise ids it has seen — but a screen left
 * open for a day must not remember every id it ever saw.
 */
export class BoundedIdSet {
  private readonly ids = new Set<string>();
  private readonly order: string[];
  private next = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.order = new Array<string>(capacity);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Adds the id; returns false when it was already there (a duplicate). */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    const evicted = this.order[this.next];
    if (evicted !== undefined) this.ids.delete(evicted);
    this.order[this.next] = id;
    this.next = (this.next + 1) % this.capacity;
    this.ids.add(id);
    return true;
  }

  get size(): number {
    return this.ids.size;
  }
}
