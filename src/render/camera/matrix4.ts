import { Matrix4 } from 'three';

/** A row-major 4×4 (volume/affine.ts's Mat4) into a three.js Matrix4, reusing `out`. */
export const toMatrix4 = (m: readonly number[], out = new Matrix4()) => out.set(...(m as Parameters<Matrix4['set']>));
