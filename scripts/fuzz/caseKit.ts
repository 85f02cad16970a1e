// Helpers that turn "do this to the seed" into lazily built FuzzCases with unique names.
import { concatBytes, gzip, SplitGzip } from './gzip';
import type { CaseKind, Expect, FuzzCase, Seed } from './types';

/** Voxel memory the test IO grants at most; a declared volume above it must be refused unallocated. */
export const FUZZ_BUDGET_BYTES = 256 * 1024 * 1024;

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9.+-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);

export class CaseList {
  readonly cases: FuzzCase[] = [];
  private readonly names = new Set<string>();
  private split: SplitGzip | undefined;

  constructor(readonly seed: Seed) {}

  add(kind: CaseKind, mutation: string, expect: Expect, noAlloc: boolean, bytes: () => Uint8Array): void {
    let name = `${slug(this.seed.name)}--${slug(mutation)}`;
    for (let i = 2; this.names.has(name); i++) name = `${slug(this.seed.name)}--${slug(mutation)}-${i}`;
    this.names.add(name);
    this.cases.push({ name, base: this.seed.name, mutation, expect, kind, fileName: this.seed.fileName, noAlloc, bytes });
  }

  /** Where header edits stop: the first voxel byte (NIfTI extensions stay in the edited part). */
  private get splitAt(): number {
    const { layout, content } = this.seed;
    return Math.min(content.length, Math.max(layout.headerEnd, Math.min(layout.voxStart, 1 << 20)));
  }

  /**
   * Edits the header (a copy of the content up to the first voxel), then stores it as the seed is
   * stored: regzipped for .nii.gz / .mgz (the voxels' deflate is computed once per seed).
   */
  edit(mutation: string, expect: Expect, noAlloc: boolean, change: (head: Uint8Array) => void): void {
    const at = this.splitAt;
    const { content } = this.seed;
    this.add('field', `header: ${mutation}`, expect, noAlloc, () => {
      const head = content.slice(0, at);
      change(head);
      if (!this.seed.gz) return concatBytes([head, content.subarray(at)]);
      this.split ??= new SplitGzip(content.subarray(at));
      return this.split.gzip(head);
    });
  }

  /** Cuts the (decompressed) content at `at` bytes, regzipping it for a gz seed. */
  cutContent(where: string, at: number, expect: Expect, noAlloc: boolean): void {
    const label = this.seed.gz ? `content cut at ${at} (${where}), regzipped` : `cut at ${at} (${where})`;
    this.add('cut', label, expect, noAlloc, () => (this.seed.gz ? gzip(this.seed.content.subarray(0, at), 1) : this.seed.content.slice(0, at)));
  }

  /** Cuts the stored (compressed) bytes of a gz seed at `at`. */
  cutStored(where: string, at: number, expect: Expect, noAlloc: boolean): void {
    this.add('cut', `gzip stream cut at ${at} (${where})`, expect, noAlloc, () => this.seed.stored.slice(0, at));
  }

  /** The truncations every format shares: compressed stream cuts for gz seeds. */
  storedCuts(): void {
    if (!this.seed.gz) return;
    const n = this.seed.stored.length;
    this.cutStored('inside the gzip header', 5, 'error', true);
    this.cutStored('at the end of the gzip header', 10, 'error', true);
    this.cutStored('a few deflate bytes in', 16, 'error', false);
    // Half the compressed stream is inside the voxels unless bytes after them (an MGH footer of
    // tags) are a large part of the file.
    const { layout, content } = this.seed;
    this.cutStored('half way', Math.floor(n / 2), layout.voxEnd >= content.length * 0.9 ? 'error' : 'either', false);
    this.cutStored('inside the last deflate bytes', n - 9, 'either', false);
    this.cutStored('without the CRC and size trailer', n - 8, 'either', false);
    this.cutStored('one byte short of the end', n - 1, 'either', false);
  }

  /** Gzip framing that must not matter: unmodified, regzipped, split into members, trailing bytes. */
  framing(garbage: Uint8Array): void {
    const { seed } = this;
    this.add('framing', 'unmodified', 'ok', false, () => seed.stored);
    if (!seed.gz) return;
    this.add('framing', 'regzipped in two deflate pieces', 'ok', false, () => {
      this.split ??= new SplitGzip(seed.content.subarray(this.splitAt));
      return this.split.gzip(seed.content.slice(0, this.splitAt));
    });
    this.add('framing', `${garbage.length} random bytes after the gzip member`, 'ok', false, () => concatBytes([seed.stored, garbage]));
    this.add('framing', '1000 zero bytes after the gzip member', 'ok', false, () => concatBytes([seed.stored, new Uint8Array(1000)]));
    this.add('framing', 'three gzip members', 'ok', false, () => {
      const c = seed.content;
      const a = Math.min(100, c.length);
      const b = Math.min(c.length, seed.layout.voxStart + 7);
      return concatBytes([gzip(c.subarray(0, a), 1), gzip(c.subarray(a, b), 1), gzip(c.subarray(b), 1)]);
    });
  }
}
