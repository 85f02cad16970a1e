// Remove islands: of the voxels holding one label, everything but the largest 6-connected
// component. Components are walked with a stack of flat indices and a visited bitset.
import type { LabelArray, Vec3 } from './grid';
import type { VoxelList } from './brush';

/** The voxels of `value` outside its largest connected component (6-connected), for the editor to clear. */
export function islandVoxels(labels: LabelArray, dims: Vec3, value: number): VoxelList {
  const [nx, ny, nz] = dims;
  const total = nx * ny * nz;
  // Component id per voxel of the label (0: not reached yet); ids count from 1.
  const component = new Int32Array(total);
  const sizes: number[] = [0];
  let stack = new Int32Array(1024);
  for (let start = 0; start < total; start++) {
    if (labels[start] !== value || component[start] !== 0) continue;
    const id = sizes.length;
    let size = 0;
    let top = 0;
    stack[top++] = start;
    component[start] = id;
    while (top > 0) {
      const v = stack[--top];
      size++;
      const i = v % nx;
      const r = (v - i) / nx;
      const j = r % ny;
      const k = (r - j) / ny;
      const next = [i > 0 ? v - 1 : -1, i < nx - 1 ? v + 1 : -1, j > 0 ? v - nx : -1, j < ny - 1 ? v + nx : -1, k > 0 ? v - nx * ny : -1, k < nz - 1 ? v + nx * ny : -1];
      for (const w of next) {
        if (w < 0 || component[w] !== 0 || labels[w] !== value) continue;
        component[w] = id;
        if (top === stack.length) {
          const grown = new Int32Array(top * 2);
          grown.set(stack);
          stack = grown;
        }
        stack[top++] = w;
      }
    }
    sizes.push(size);
  }
  let largest = 0;
  for (let id = 1; id < sizes.length; id++) if (sizes[id] > sizes[largest]) largest = id;
  const dropped = sizes.reduce((a, b) => a + b, 0) - sizes[largest];
  const indices = new Int32Array(dropped);
  let count = 0;
  if (dropped) for (let v = 0; v < total; v++) if (component[v] !== 0 && component[v] !== largest) indices[count++] = v;
  return { indices, count };
}
