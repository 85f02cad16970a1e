// Textures made for volumes still being decoded (issue 25, load speed): their storage is allocated
// when the header is read, and each run of whole slices is uploaded as soon as its bytes are final,
// while the decode worker inflates the rest; when the decode ends only the last run is left. The
// layer's texture cache (textureCache.ts) takes the texture over when the layer is added, or drops
// it when the load ends without one. Here: which slices go when, and who holds what (no WebGL).

/** The whole slices [from, to) that became final: `written` bytes of slices of `sliceBytes`, `slices` in all, the first `uploaded` sent already. */
export function newlyFinished(written: number, sliceBytes: number, slices: number, uploaded: number): [number, number] | null {
  const done = Math.min(slices, Math.floor(written / sliceBytes));
  return done > uploaded ? [uploaded, done] : null;
}

/** What is made for one arriving volume. */
export interface Arrival<T> {
  value: T;
  /** Slices in the memory (k + t·nz over every frame) and the bytes of each. */
  slices: number;
  sliceBytes: number;
  /** GPU bytes it holds (counted in memory().textureBytes while it waits). */
  gpuBytes: number;
  /** Sends slices [from, to) of the memory into it. */
  upload(from: number, to: number): void;
  dispose(): void;
}

interface Held<T> extends Arrival<T> {
  uploaded: number;
}

/** The textures of volumes being decoded, by layer id. */
export class ArrivingUploads<T> {
  private readonly held = new Map<string, Held<T>>();

  /** Holds `arrival` for `layerId` (dropping any held before). */
  start(layerId: string, arrival: Arrival<T>): void {
    this.abandon(layerId);
    this.held.set(layerId, { ...arrival, uploaded: 0 });
  }

  /**
   * The first `bytes` bytes are final: uploads the whole slices among them not sent yet, and
   * returns them (null: none new). A smaller count than before (a retry with another inflater,
   * which writes the same bytes again) sends nothing.
   */
  written(layerId: string, bytes: number): [number, number] | null {
    const h = this.held.get(layerId);
    if (!h) return null;
    const run = newlyFinished(bytes, h.sliceBytes, h.slices, h.uploaded);
    if (!run) return null;
    h.uploaded = run[1];
    h.upload(run[0], run[1]);
    return run;
  }

  /** Hands the texture over (no longer held here): `complete` when every slice was sent. */
  take(layerId: string): { value: T; complete: boolean; uploaded: number; slices: number } | undefined {
    const h = this.held.get(layerId);
    if (!h) return undefined;
    this.held.delete(layerId);
    return { value: h.value, complete: h.uploaded === h.slices, uploaded: h.uploaded, slices: h.slices };
  }

  /** Disposes what was made for `layerId`; false when nothing was held. */
  abandon(layerId: string): boolean {
    const h = this.held.get(layerId);
    if (!h) return false;
    this.held.delete(layerId);
    h.dispose();
    return true;
  }

  values(): T[] {
    return [...this.held.values()].map((h) => h.value);
  }

  gpuBytes(): number {
    let n = 0;
    for (const h of this.held.values()) n += h.gpuBytes;
    return n;
  }
}
