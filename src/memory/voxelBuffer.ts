// A VoxelBuffer is the one block of memory that holds a volume's voxels. Everything that reads
// the voxels (GPU texture upload, probes, typed views handed to callers) borrows it through a pin;
// the pool may reuse the block only once every pin is released. See ../../README.md "Lifetime".

export type PinOwner = 'layer' | 'texture' | 'view' | 'probe' | 'decode' | 'analysis';

/** A held claim on a buffer. `release()` is idempotent. */
export interface Pin {
  readonly owner: PinOwner;
  readonly label: string;
  readonly released: boolean;
  release(): void;
}

/** A buffer that its holder has pinned and must release: ownership is in the type name. */
export type Pinned<T> = { readonly value: T; readonly pin: Pin };

export type Storage = SharedArrayBuffer | ArrayBuffer;

/** True for shared memory; false for an ArrayBuffer, also where SharedArrayBuffer is not defined (no cross-origin isolation). */
export const isSharedMemory = (m: ArrayBufferLike): m is SharedArrayBuffer => typeof SharedArrayBuffer !== 'undefined' && m instanceof SharedArrayBuffer;

let nextBufferId = 1;

export class VoxelBuffer {
  readonly id: string;
  readonly byteLength: number;
  private storage: Storage | null;
  private readonly pins = new Set<Pin>();
  private readonly onPinsChanged: (buffer: VoxelBuffer) => void;

  constructor(storage: Storage, onPinsChanged: (buffer: VoxelBuffer) => void) {
    this.id = `buf${nextBufferId++}`;
    this.byteLength = storage.byteLength;
    this.storage = storage;
    this.onPinsChanged = onPinsChanged;
  }

  get isShared(): boolean {
    return this.storage !== null && isSharedMemory(this.storage);
  }

  /**
   * The memory itself. Throws while a plain ArrayBuffer is lent to the decode worker (the
   * no-isolation fallback transfers it there and back): reading it then is a programmer error.
   */
  get memory(): Storage {
    if (this.storage === null || this.storage.byteLength !== this.byteLength) {
      throw new Error(`INTERNAL ERROR: ${this.id} is detached (lent to a worker)`);
    }
    return this.storage;
  }

  /** Hands a plain ArrayBuffer to a worker (by transfer); `reattach` takes it back. */
  lend(): Storage {
    const storage = this.memory;
    if (!(typeof SharedArrayBuffer !== 'undefined' && storage instanceof SharedArrayBuffer)) {
      this.storage = null;
    }
    return storage;
  }

  reattach(storage: Storage): void {
    if (storage.byteLength !== this.byteLength) {
      throw new Error(`INTERNAL ERROR: ${this.id} reattached with ${storage.byteLength} bytes, expected ${this.byteLength}`);
    }
    this.storage = storage;
  }

  get isDetached(): boolean {
    return this.storage === null;
  }

  get isPinned(): boolean {
    return this.pins.size > 0;
  }

  pinList(): { owner: PinOwner; label: string }[] {
    return [...this.pins].map((p) => ({ owner: p.owner, label: p.label }));
  }

  pin(owner: PinOwner, label: string): Pin {
    let released = false;
    const pin: Pin = {
      owner,
      label,
      get released() {
        return released;
      },
      release: () => {
        if (released) return;
        released = true;
        this.pins.delete(pin);
        this.onPinsChanged(this);
      },
    };
    this.pins.add(pin);
    this.onPinsChanged(this);
    return pin;
  }
}
