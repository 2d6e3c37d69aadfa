// Concurrency slots of one dispatcher: a cap on the attempts it runs at once, and a smaller
// cap per receiver (a webhook's host, or the workflow itself when it has no URL), so that a
// slow or hanging receiver can hold at most its own slots while every other receiver goes on.

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_PER_RECEIVER = 2;

export class ReceiverSlots {
  private readonly used = new Map<string, number>();
  private total = 0;

  constructor(
    readonly concurrency = DEFAULT_CONCURRENCY,
    readonly perReceiver = DEFAULT_PER_RECEIVER,
  ) {
    if (!(concurrency >= 1 && perReceiver >= 1)) throw new RangeError('concurrency and perReceiver must be at least 1');
  }

  /** Attempts that could start now, over all receivers. */
  free(): number {
    return Math.max(0, this.concurrency - this.total);
  }

  /** Attempts that could start now to this receiver. */
  room(receiver: string): number {
    return Math.max(0, Math.min(this.free(), this.perReceiver - (this.used.get(receiver) ?? 0)));
  }

  take(receiver: string): void {
    this.used.set(receiver, (this.used.get(receiver) ?? 0) + 1);
    this.total++;
  }

  give(receiver: string): void {
    const n = (this.used.get(receiver) ?? 0) - 1;
    if (n > 0) this.used.set(receiver, n);
    else this.used.delete(receiver);
    this.total--;
  }
}
