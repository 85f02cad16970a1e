import { describe, expect, it } from 'vitest';
import { IDENTITY3, rotationAbout, rotationAngle, type Vec3 } from '../../state/orientation';
import { fitView } from '../camera/sliceGeometry';
import { crosshairLines, draggedRotation, handleAt, HANDLE_FRACTION } from './crosshairHandles';

const bounds = { lo: [-50, -50, -50] as Vec3, hi: [50, 50, 50] as Vec3 };
const deg = Math.PI / 180;

describe('crosshair handles', () => {
  it('on the patient axes the axial pane shows a horizontal and a vertical line, handles toward the ends', () => {
    const v = fitView('axial', 'radiological', bounds, [0, 0, 0], 200, 100);
    const { centre, lines } = crosshairLines(v, [0, 0, 0], IDENTITY3, 'axial');
    expect(centre).toEqual([100, 50]);
    const coronal = lines.find((l) => l.other === 'coronal')!;
    expect(Math.abs(coronal.dir[0])).toBeCloseTo(1, 12); // the coronal plane's trace runs left–right
    const sagittal = lines.find((l) => l.other === 'sagittal')!;
    expect(Math.abs(sagittal.dir[1])).toBeCloseTo(1, 12);
    expect(Math.hypot(coronal.handles[0][0] - 100, coronal.handles[0][1] - 50)).toBeCloseTo(HANDLE_FRACTION * 100, 9);
    expect(handleAt(lines, [coronal.handles[1][0] + 3, coronal.handles[1][1] - 3])?.other).toBe('coronal');
    expect(handleAt(lines, [100, 50])).toBeNull(); // the centre is the crosshair's, not a handle
  });

  it("a drag turns about the pane's normal by the pointer's angle, and the lines follow it", () => {
    const v = fitView('axial', 'radiological', bounds, [0, 0, 0], 200, 200);
    // 90° counter-clockwise on screen, from screen right to screen up.
    const { rotation, radians } = draggedRotation(v, IDENTITY3, [100, 100], [150, 100], [100, 50]);
    expect(radians / deg).toBeCloseTo(90, 9);
    expect(rotationAngle(rotation) / deg).toBeCloseTo(90, 9);
    expect(rotation[8]).toBeCloseTo(1, 12); // S stays S
    // Radiological axial (from the feet): counter-clockwise turns R toward P.
    expect(rotation[3]).toBeCloseTo(-1, 12);
    const { lines } = crosshairLines(v, [0, 0, 0], rotation, 'axial');
    expect(Math.abs(lines.find((l) => l.other === 'coronal')!.dir[1])).toBeCloseTo(1, 9);
  });

  it('turning in one pane leaves that pane’s normal, and a second pane gives a double oblique', () => {
    const first = rotationAbout([0, 0, 1], 20 * deg);
    const v = fitView('coronal', 'radiological', bounds, [0, 0, 0], 200, 200, 1, [0, 0], first);
    const { rotation } = draggedRotation(v, first, [100, 100], [150, 100], [150, 60]);
    const n0 = v.frame.normal;
    const n1: Vec3 = [rotation[1], rotation[4], rotation[7]]; // R·A: the coronal normal
    n1.forEach((c, i) => expect(c).toBeCloseTo(n0[i], 12));
    expect(Math.abs(rotation[8])).toBeLessThan(0.99); // the axial normal left S
  });
});
