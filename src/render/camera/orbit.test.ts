import { describe, expect, it } from 'vitest';
import { orbitDirection, orbitPose } from './orbit';

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
