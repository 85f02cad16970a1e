// Isolines of a 2D grid of values by marching squares: for each cell, the edges where the level is
// crossed (linear interpolation along each edge), as segments in grid coordinates (x along a row,
// y across rows). Saddle cells are split by the cell's mean, so lines never cross. Pure.

/** Segments [x0, y0, x1, y1] (flattened) where `values` (width × height, row-major) crosses `level`. NaN cells are skipped. */
export function isolineSegments(values: Float32Array | Float64Array, width: number, height: number, level: number): number[] {
  const out: number[] = [];
  const at = (x: number, y: number) => values[y * width + x];
  for (let y = 0; y + 1 < height; y++)
    for (let x = 0; x + 1 < width; x++) {
      const a = at(x, y), b = at(x + 1, y), c = at(x + 1, y + 1), d = at(x, y + 1);
      if (Number.isNaN(a) || Number.isNaN(b) || Number.isNaN(c) || Number.isNaN(d)) continue;
      const code = (a >= level ? 1 : 0) | (b >= level ? 2 : 0) | (c >= level ? 4 : 0) | (d >= level ? 8 : 0);
      if (code === 0 || code === 15) continue;
      // Crossing points on the four edges: top (a–b), right (b–c), bottom (d–c), left (a–d).
      const t = (p: number, q: number) => (level - p) / (q - p);
      const top = () => [x + t(a, b), y];
      const right = () => [x + 1, y + t(b, c)];
      const bottom = () => [x + t(d, c), y + 1];
      const left = () => [x, y + t(a, d)];
      const seg = (p: number[], q: number[]) => out.push(p[0], p[1], q[0], q[1]);
      switch (code) {
        case 1: case 14: seg(left(), top()); break;
        case 2: case 13: seg(top(), right()); break;
        case 3: case 12: seg(left(), right()); break;
        case 4: case 11: seg(right(), bottom()); break;
        case 6: case 9: seg(top(), bottom()); break;
        case 7: case 8: seg(left(), bottom()); break;
        case 5: case 10: {
          // Saddle: a and c on one side, b and d on the other; the mean says whether the middle joins a–c.
          const joined = (a + b + c + d) / 4 >= level === (code === 5);
          if (joined) {
            seg(left(), bottom());
            seg(top(), right());
          } else {
            seg(left(), top());
            seg(right(), bottom());
          }
          break;
        }
      }
    }
  return out;
}

/** Isodose levels in Gy from levels given in `unit`: absolute, % of the maximum dose, or % of a prescription. */
export function isodoseLevelsGy(levels: readonly number[], unit: 'Gy' | 'percent-max' | 'percent-prescription', maxGy: number, prescriptionGy: number): number[] {
  return levels.map((l) => (unit === 'Gy' ? l : unit === 'percent-max' ? (l / 100) * maxGy : (l / 100) * prescriptionGy));
}
