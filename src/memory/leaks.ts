import type { Pin } from './voxelBuffer';

/**
 * Releases the pin behind a handle that was garbage-collected without `release()`, and counts it
 * as a leak. The registry watches the typed array itself, not the `{ array, release }` wrapper:
 * a caller who keeps only `handle.array` must keep the pin, or the pool could reuse the memory
 * under a live array.
 */
export class LeakWatcher {
  private count = 0;
  private readonly registry: FinalizationRegistry<Pin> | null;
  private readonly onLeak: () => void;

  constructor(onLeak: () => void = () => {}) {
    this.onLeak = onLeak;
    this.registry =
      typeof FinalizationRegistry === 'undefined'
        ? null
        : new FinalizationRegistry<Pin>((pin) => {
            if (pin.released) return;
            this.count++;
            pin.release();
            this.onLeak();
          });
  }

  watch(target: object, pin: Pin): void {
    this.registry?.register(target, pin, pin);
  }

  unwatch(pin: Pin): void {
    this.registry?.unregister(pin);
  }

  get leaks(): number {
    return this.count;
  }
}
