import { describe, expect, it } from 'vitest';
import { MAX_ELEVATION, orbitAfterDrag, orbitDirection, orbitPose, panAfterDrag, VIEW_PRESETS } from './orbit';

const cross = (a: number[], b: number[]) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

describe('orbit camera convention', () => {
  it('azimuth 0, elevation 0 looks from anterior with the patient right on the screen left', () => {
    const p = orbitPose({ azimuth: 0, elevation: 0, zoom: 1 }, [0, 0, 0], 100, 1);
    expect(p.position[1]).toBeGreaterThan(0); // in front of the patient (anterior = +y)
    const forward = p.position.map((c) => -c);
    const screenRight = cross(forward, p.up);
    expect(screenRight[0]).toBeLessThan(0); // screen right points to the patient's left (−x)
  });

  it('azimuth 90 looks from the patient left; elevation raises toward superior', () => {
    const d = orbitDirection(90, 0);
    expect(d[0]).toBeCloseTo(-1, 9);
    expect(orbitDirection(0, 60)[2]).toBeCloseTo(Math.sin(Math.PI / 3), 9);
  });

  it('elevation 90 looks down from superior with anterior up (patient right then on the screen right)', () => {
    const p = orbitPose({ azimuth: 0, elevation: 90, zoom: 1 }, [0, 0, 0], 100, 1);
    expect(p.position[2]).toBeGreaterThan(0);
    expect(p.up).toEqual([-0, 1, 0]);
    const screenRight = cross(p.position.map((c) => -c), p.up);
    expect(screenRight[0]).toBeGreaterThan(0);
  });

  it('zoom brings the camera closer', () => {
    const far = orbitPose({ azimuth: 0, elevation: 0, zoom: 1 }, [0, 0, 0], 100, 1).position[1];
    const near = orbitPose({ azimuth: 0, elevation: 0, zoom: 2 }, [0, 0, 0], 100, 1).position[1];
    expect(near).toBeCloseTo(far / 2, 6);
  });
});

const sub = (a: readonly number[], b: readonly number[]) => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: readonly number[], b: readonly number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const unit = (a: number[]) => a.map((c) => c / Math.hypot(...a));

/** Where `world` lies from the screen centre, in mm along the screen's right and up, at the target's depth. */
function onScreen(pose: ReturnType<typeof orbitPose>, world: readonly number[]): [number, number] {
  const forward = unit(sub(pose.target, pose.position));
  const right = unit(cross(forward, pose.up));
  const up = cross(right, forward);
  const v = sub(world, pose.target);
  return [dot(v, right), dot(v, up)];
}

describe('orbit camera: pan and drag', () => {
  const centre: [number, number, number] = [10, -20, 30];
  const orbits = [
    { azimuth: 0, elevation: 0, zoom: 1 },
    { azimuth: 90, elevation: 0, zoom: 1 },
    { azimuth: -135, elevation: 40, zoom: 2 },
    { azimuth: 0, elevation: 90, zoom: 1 },
    { azimuth: 30, elevation: -90, zoom: 1 },
  ];

  it('a pan-drag moves the volume with the pointer: right moves it right, down moves it down', () => {
    const mmPerPx = 0.5;
    for (const orbit of orbits) {
      const right = panAfterDrag([0, 0], 20, 0, mmPerPx); // pointer 20 px right
      const [x, y] = onScreen(orbitPose(orbit, centre, 50, 1.5, right), centre);
      expect(x).toBeCloseTo(10, 6);
      expect(y).toBeCloseTo(0, 6);
      const down = panAfterDrag([0, 0], 0, 20, mmPerPx); // pointer 20 px down (screen y grows downward)
      const [x2, y2] = onScreen(orbitPose(orbit, centre, 50, 1.5, down), centre);
      expect(x2).toBeCloseTo(0, 6);
      expect(y2).toBeCloseTo(-10, 6);
    }
  });

  it('a pan-drag adds to the pan it started from; without a pan the centre is in the middle', () => {
    expect(panAfterDrag([3, -4], 10, 6, 2)).toEqual([23, -16]);
    const [x, y] = onScreen(orbitPose(orbits[2], centre, 50, 1), centre);
    expect(x).toBeCloseTo(0, 9);
    expect(y).toBeCloseTo(0, 9);
  });

  it('panning slides camera and target together: the view direction and distance stay', () => {
    const still = orbitPose(orbits[2], centre, 50, 1);
    const panned = orbitPose(orbits[2], centre, 50, 1, [7, -3]);
    const a = sub(still.position, still.target);
    const b = sub(panned.position, panned.target);
    for (let i = 0; i < 3; i++) expect(b[i]).toBeCloseTo(a[i], 9);
  });

  it('a rotate-drag right turns the volume right (azimuth falls), down raises the camera', () => {
    expect(orbitAfterDrag({ azimuth: 0, elevation: 0 }, 20, 0)).toEqual({ azimuth: -10, elevation: 0 });
    expect(orbitAfterDrag({ azimuth: 10, elevation: 5 }, 0, 20)).toEqual({ azimuth: 10, elevation: 15 });
    expect(orbitAfterDrag({ azimuth: 10, elevation: 5 }, -4, -30)).toEqual({ azimuth: 12, elevation: -10 });
  });

  it('azimuth wraps into [−180, 180); elevation stops short of the poles, and a drag from a pole starts just off it', () => {
    expect(orbitAfterDrag({ azimuth: 170, elevation: 0 }, -40, 0).azimuth).toBe(-170);
    expect(orbitAfterDrag({ azimuth: -170, elevation: 0 }, 40, 0).azimuth).toBe(170);
    expect(orbitAfterDrag({ azimuth: 0, elevation: 0 }, 360, 0).azimuth).toBe(-180);
    expect(orbitAfterDrag({ azimuth: 0, elevation: 0 }, 0, 1000).elevation).toBe(MAX_ELEVATION);
    expect(orbitAfterDrag({ azimuth: 0, elevation: 0 }, 0, -1000).elevation).toBe(-MAX_ELEVATION);
    expect(orbitAfterDrag({ azimuth: 0, elevation: 90 }, 0, -2).elevation).toBe(MAX_ELEVATION - 1);
    expect(orbitAfterDrag({ azimuth: 0, elevation: -90 }, 0, 2).elevation).toBe(-MAX_ELEVATION + 1);
    expect(orbitAfterDrag({ azimuth: 0, elevation: 89.5 }, 0, -2).elevation).toBe(88.5);
  });
});

describe('orbit camera: framing', () => {
  it('a sphere of the radius just fits the narrower half-angle (5 % margin), wide and tall panes alike', () => {
    const half = (15 * Math.PI) / 180;
    const wide = orbitPose({ azimuth: 0, elevation: 0, zoom: 1 }, [0, 0, 0], 100, 2);
    expect(wide.fovDeg).toBe(30);
    expect(Math.hypot(...wide.position)).toBeCloseTo((100 / Math.sin(half)) * 1.05, 6);
    const tall = orbitPose({ azimuth: 0, elevation: 0, zoom: 1 }, [0, 0, 0], 100, 0.5);
    const halfH = Math.atan(Math.tan(half) * 0.5);
    expect(Math.hypot(...tall.position)).toBeCloseTo((100 / Math.sin(halfH)) * 1.05, 6);
  });

  it('zoom is floored at 0.05', () => {
    const z0 = orbitPose({ azimuth: 0, elevation: 0, zoom: 0 }, [0, 0, 0], 100, 1);
    const z5 = orbitPose({ azimuth: 0, elevation: 0, zoom: 0.05 }, [0, 0, 0], 100, 1);
    expect(z0.position[1]).toBeCloseTo(z5.position[1], 6);
    expect(Number.isFinite(z0.position[1])).toBe(true);
  });

  it('the camera looks at the target from orbitDirection; superior is up except at the poles', () => {
    const p = orbitPose({ azimuth: 30, elevation: 20, zoom: 1 }, [1, 2, 3], 10, 1);
    expect(p.target).toEqual([1, 2, 3]);
    expect(p.up).toEqual([0, 0, 1]);
    const d = unit(sub(p.position, p.target));
    const want = orbitDirection(30, 20);
    for (let i = 0; i < 3; i++) expect(d[i]).toBeCloseTo(want[i], 9);
    expect(want[0]).toBeCloseTo(-Math.sin(Math.PI / 6) * Math.cos(Math.PI / 9), 9);
    expect(want[1]).toBeCloseTo(Math.cos(Math.PI / 6) * Math.cos(Math.PI / 9), 9);
    const below = orbitPose({ azimuth: 90, elevation: -90, zoom: 1 }, [0, 0, 0], 10, 1);
    expect(below.up[0]).toBeCloseTo(-1, 9);
    expect(below.up[1]).toBeCloseTo(0, 9);
    expect(below.position[2]).toBeLessThan(0);
  });

  it('elevation past a pole is clamped to it', () => {
    expect(orbitDirection(0, 120)).toEqual(orbitDirection(0, 90));
    expect(orbitDirection(0, -120)).toEqual(orbitDirection(0, -90));
  });

  it('the presets look from where they are named', () => {
    expect(VIEW_PRESETS.posterior).toEqual({ azimuth: 180, elevation: 0 });
    expect(orbitDirection(VIEW_PRESETS.left.azimuth, 0)[0]).toBeCloseTo(-1, 9);
    expect(orbitDirection(VIEW_PRESETS.right.azimuth, 0)[0]).toBeCloseTo(1, 9);
    expect(orbitDirection(VIEW_PRESETS.posterior.azimuth, 0)[1]).toBeCloseTo(-1, 9);
    expect(orbitDirection(0, VIEW_PRESETS.superior.elevation)[2]).toBeCloseTo(1, 9);
    expect(orbitDirection(0, VIEW_PRESETS.inferior.elevation)[2]).toBeCloseTo(-1, 9);
    expect(VIEW_PRESETS.anterior).toEqual({ azimuth: 0, elevation: 0 });
  });
});
