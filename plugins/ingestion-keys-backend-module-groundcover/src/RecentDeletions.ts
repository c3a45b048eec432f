export interface RecentDeletionsOptions {
  /** How long a deleted key is hidden: as long as the store's reads may lag its writes. */
  ttlMs: number;
}

interface Deletion {
  at: number;
  ids: Set<string>;
  wholeName: boolean;
}

/**
 * The keys this store deleted recently, so that reads hide them while groundcover's list still
 * shows them. Deleted keys are remembered by id, because a deleted name may be reused at once
 * and the new key must stay visible; when the id was not known (the key was not listed yet),
 * the whole name is hidden until this store creates that name again.
 */
export class RecentDeletions {
  private readonly ttlMs: number;
  private readonly deletions = new Map<string, Deletion>();

  static create(options: RecentDeletionsOptions): RecentDeletions {
    return new RecentDeletions(options);
  }

  private constructor(options: RecentDeletionsOptions) {
    this.ttlMs = options.ttlMs;
  }

  record(name: string, ids: readonly string[]): void {
    const previous = this.current(name);
    this.deletions.set(name, {
      at: Date.now(),
      ids: new Set([...(previous?.ids ?? []), ...ids]),
      wholeName: ids.length === 0,
    });
  }

  /** Called before this store creates the name again: the new key must not be hidden. */
  forgetName(name: string): void {
    const deletion = this.current(name);
    if (deletion) {
      deletion.wholeName = false;
    }
  }

  hides(key: { name: string; providerKeyId?: string }): boolean {
    const deletion = this.current(key.name);
    if (!deletion) {
      return false;
    }
    return (
      deletion.wholeName ||
      (key.providerKeyId !== undefined && deletion.ids.has(key.providerKeyId))
    );
  }

  private current(name: string): Deletion | undefined {
    const now = Date.now();
    for (const [deletedName, deletion] of this.deletions) {
      if (now - deletion.at >= this.ttlMs) {
        this.deletions.delete(deletedName);
      }
    }
    return this.deletions.get(name);
  }
}
