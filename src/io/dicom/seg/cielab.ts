// DICOM's colours for segments and surfaces: RecommendedDisplayCIELabValue, three unsigned 16-bit
// numbers scaled from CIELab (L* 0…100 → 0…65535, a* and b* −128…127 → 0…65535; PS3.3 C.10.7.1.1),
// D65 white. Converted through XYZ and linear sRGB with the sRGB transfer curve, as dcmqi and
// highdicom do, so a segment shows in the colour its creator gave it.

export type Rgb8 = [r: number, g: number, b: number];

const WHITE_D65 = [0.950456, 1, 1.088754] as const;
const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;

/** DICOM-scaled CIELab (three 0…65535 integers) → 8-bit sRGB. */
export function dicomLabToRgb(lab: readonly [number, number, number]): Rgb8 {
  const L = (lab[0] * 100) / 65535;
  const a = (lab[1] * 255) / 65535 - 128;
  const b = (lab[2] * 255) / 65535 - 128;
  const fy = (L + 16) / 116;
  const fx = fy + a / 500;
  const fz = fy - b / 200;
  const inv = (f: number) => (f ** 3 > EPSILON ? f ** 3 : (116 * f - 16) / KAPPA);
  const X = WHITE_D65[0] * inv(fx);
  const Y = L > KAPPA * EPSILON ? fy ** 3 : L / KAPPA;
  const Z = WHITE_D65[2] * inv(fz);
  const lin = [3.2404542 * X - 1.5371385 * Y - 0.4985314 * Z, -0.969266 * X + 1.8760108 * Y + 0.041556 * Z, 0.0556434 * X - 0.2040259 * Y + 1.0572252 * Z];
  return lin.map((c) => {
    const v = c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
    return Math.round(Math.min(1, Math.max(0, v)) * 255);
  }) as Rgb8;
}

/** 8-bit sRGB → DICOM-scaled CIELab: the inverse, for writers (the generator, SEG export). */
export function rgbToDicomLab(rgb: Rgb8): [number, number, number] {
  const lin = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const X = 0.4124564 * lin[0] + 0.3575761 * lin[1] + 0.1804375 * lin[2];
  const Y = 0.2126729 * lin[0] + 0.7151522 * lin[1] + 0.072175 * lin[2];
  const Z = 0.0193339 * lin[0] + 0.119192 * lin[1] + 0.9503041 * lin[2];
  const f = (t: number) => (t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116);
  const fx = f(X / WHITE_D65[0]), fy = f(Y / WHITE_D65[1]), fz = f(Z / WHITE_D65[2]);
  const L = 116 * fy - 16, a = 500 * (fx - fy), b = 200 * (fy - fz);
  const clamp = (v: number) => Math.round(Math.min(65535, Math.max(0, v)));
  return [clamp((L * 65535) / 100), clamp(((a + 128) * 65535) / 255), clamp(((b + 128) * 65535) / 255)];
}
