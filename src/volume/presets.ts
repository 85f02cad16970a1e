// The volume-rendering presets 3D Slicer ships, re-encoded as data: scalar opacity points and
// colour points over scaled values, and the lighting each was tuned with. Pure data and checks,
// no rendering: the API, the preset menu and its thumbnails read these.
//
// Source: Slicer/Slicer, Modules/Loadable/VolumeRendering/Resources/presets.xml (last changed in
// commit 74c135801f704ade9660d894a928d8b4b93d7a28, read at 583e9b37d50ead7daf7b783dce465ccaecec8809),
// 3D Slicer License (BSD-style). There "scalarOpacity" is "N v0 a0 v1 a1 …" and "colorTransfer"
// is "N v0 r0 g0 b0 …"; the values below are those numbers, unchanged. CT presets are in HU; MR,
// DTI, US and micro-CT presets are in the raw intensities of the data Slicer tuned them on, kept
// as published (the user edits them to fit a volume). Left out: Slicer's gradient opacity (every
// preset but US-Fetal and the micro-CT ones sets it to a constant 1) and its scalar opacity unit
// distance; here an opacity is per voxel, as every transfer function in this viewer is.

import type { ColorPoint, TransferPoint } from './transfer';

export interface VolumePreset {
  name: string;
  /** [scaled value, opacity 0…1], sorted by value (repeated values make a step). */
  points: TransferPoint[];
  /** [scaled value, r, g, b] with r, g, b in 0…1, sorted by value. */
  colors: ColorPoint[];
  /** Gradient (Blinn-Phong) shading on or off, and its coefficients (Slicer's "shade", "ambient", …). */
  shading: boolean;
  ambient: number;
  diffuse: number;
  specular: number;
  specularPower: number;
}

export const VOLUME_PRESETS: readonly VolumePreset[] = [
  {
    name: 'CT-AAA',
    points: [[-3024, 0], [143.556, 0], [166.222, 0.686275], [214.389, 0.696078], [419.736, 0.833333], [3071, 0.803922]],
    colors: [[-3024, 0, 0, 0], [143.556, 0.615686, 0.356863, 0.184314], [166.222, 0.882353, 0.603922, 0.290196], [214.389, 1, 1, 1], [419.736, 1, 0.937033, 0.954531], [3071, 0.827451, 0.658824, 1]],
    shading: true, ambient: 0.1, diffuse: 0.9, specular: 0.2, specularPower: 10,
  },
  {
    name: 'CT-AAA2',
    points: [[-3024, 0], [129.542, 0], [145.244, 0.166667], [157.02, 0.5], [169.918, 0.627451], [395.575, 0.8125], [1578.73, 0.8125], [3071, 0.8125]],
    colors: [[-3024, 0, 0, 0], [129.542, 0.54902, 0.25098, 0.14902], [145.244, 0.6, 0.627451, 0.843137], [157.02, 0.890196, 0.47451, 0.6], [169.918, 0.992157, 0.870588, 0.392157], [395.575, 1, 0.886275, 0.658824], [1578.73, 1, 0.829256, 0.957922], [3071, 0.827451, 0.658824, 1]],
    shading: true, ambient: 0.1, diffuse: 0.9, specular: 0.2, specularPower: 10,
  },
  {
    name: 'CT-Bone',
    points: [[-3024, 0], [-16.4458, 0], [641.385, 0.715686], [3071, 0.705882]],
    colors: [[-3024, 0, 0, 0], [-16.4458, 0.729412, 0.254902, 0.301961], [641.385, 0.905882, 0.815686, 0.552941], [3071, 1, 1, 1]],
    shading: true, ambient: 0.1, diffuse: 0.9, specular: 0.2, specularPower: 10,
  },
  {
    name: 'CT-Bones',
    points: [[-1000, 0], [152.19, 0], [278.93, 0.190476], [952, 0.2]],
    colors: [[-1000, 0.3, 0.3, 1], [-488, 0.3, 1, 0.3], [463.28, 1, 0, 0], [659.15, 1, 0.912535, 0.0374849], [953, 1, 0.3, 0.3]],
    shading: true, ambient: 0.2, diffuse: 1, specular: 0, specularPower: 1,
  },
  {
    name: 'CT-Cardiac',
    points: [[-3024, 0], [-77.6875, 0], [94.9518, 0.285714], [179.052, 0.553571], [260.439, 0.848214], [3071, 0.875]],
    colors: [[-3024, 0, 0, 0], [-77.6875, 0.54902, 0.25098, 0.14902], [94.9518, 0.882353, 0.603922, 0.290196], [179.052, 1, 0.937033, 0.954531], [260.439, 0.615686, 0, 0], [3071, 0.827451, 0.658824, 1]],
    shading: true, ambient: 0.1, diffuse: 0.9, specular: 0.2, specularPower: 10,
  },
  {
    name: 'CT-Cardiac2',
    points: [[-3024, 0], [42.8964, 0], [163.488, 0.428571], [277.642, 0.776786], [1587, 0.754902], [3071, 0.754902]],
    colors: [[-3024, 0, 0, 0], [42.8964, 0.54902, 0.25098, 0.14902], [163.488, 0.917647, 0.639216, 0.0588235], [277.642, 1, 0.878431, 0.623529], [1587, 1, 1, 1], [3071, 0.827451, 0.658824, 1]],
    shading: true, ambient: 0.1, diffuse: 0.9, specular: 0.2, specularPower: 10,
  },
  {
    name: 'CT-Cardiac3',
    points: [[-3024, 0], [-86.9767, 0], [45.3791, 0.169643], [139.919, 0.589286], [347.907, 0.607143], [1224.16, 0.607143], [3071, 0.616071]],
    colors: [[-3024, 0, 0, 0], [-86.9767, 0, 0.25098, 1], [45.3791, 1, 0, 0], [139.919, 1, 0.894893, 0.894893], [347.907, 1, 1, 0.25098], [1224.16, 1, 1, 1], [3071, 0.827451, 0.658824, 1]],
    shading: true, ambient: 0.1, diffuse: 0.9, specular: 0.2, specularPower: 10,
  },
  {
    name: 'CT-Chest-Contrast-Enhanced',
    points: [[-3024, 0], [67.0106, 0], [251.105, 0.446429], [439.291, 0.625], [3071, 0.616071]],
    colors: [[-3024, 0, 0, 0], [67.0106, 0.54902, 0.25098, 0.14902], [251.105, 0.882353, 0.603922, 0.290196], [439.291, 1, 0.937033, 0.954531], [3071, 0.827451, 0.658824, 1]],
    shading: true, ambient: 0.1, diffuse: 0.9, specular: 0.2, specularPower: 10,
  },
  {
    name: 'CT-Chest-Vessels',
    points: [[-3024, 0], [-1278.35, 0], [22.8277, 0.428571], [439.291, 0.625], [3071, 0.616071]],
    colors: [[-3024, 0, 0, 0], [-1278.35, 0.54902, 0.25098, 0.14902], [22.8277, 0.882353, 0.603922, 0.290196], [439.291, 1, 0.937033, 0.954531], [3071, 0.827451, 0.658824, 1]],
    shading: true, ambient: 0.2, diffuse: 1, specular: 0, specularPower: 1,
  },
  {
    name: 'CT-Coronary-Arteries',
    points: [[-2048, 0], [136.47, 0], [159.215, 0.258929], [318.43, 0.571429], [478.693, 0.776786], [3661, 1]],
    colors: [[-2048, 0, 0, 0], [136.47, 0, 0, 0], [159.215, 0.159804, 0.159804, 0.159804], [318.43, 0.764706, 0.764706, 0.764706], [478.693, 1, 1, 1], [3661, 1, 1, 1]],
    shading: false, ambient: 0.2, diffuse: 1, specular: 0, specularPower: 1,
  },
  {
    name: 'CT-Coronary-Arteries-2',
    points: [[-2048, 0], [142.677, 0], [145.016, 0.116071], [192.174, 0.5625], [217.24, 0.776786], [384.347, 0.830357], [3661, 0.830357]],
    colors: [[-2048, 0, 0, 0], [142.677, 0, 0, 0], [145.016, 0.615686, 0, 0.0156863], [192.174, 0.909804, 0.454902, 0], [217.24, 0.972549, 0.807843, 0.611765], [384.347, 0.909804, 0.909804, 1], [3661, 1, 1, 1]],
    shading: true, ambient: 0.2, diffuse: 1, specular: 0, specularPower: 1,
  },
  {
    name: 'CT-Coronary-Arteries-3',
    points: [[-2048, 0], [128.643, 0], [129.982, 0.0982143], [173.636, 0.669643], [255.884, 0.857143], [584.878, 0.866071], [3661, 1]],
    colors: [[-2048, 0, 0, 0], [128.643, 0, 0, 0], [129.982, 0.615686, 0, 0.0156863], [173.636, 0.909804, 0.454902, 0], [255.884, 0.886275, 0.886275, 0.886275], [584.878, 0.968627, 0.968627, 0.968627], [3661, 1, 1, 1]],
    shading: true, ambient: 0.1, diffuse: 0.9, specular: 0.2, specularPower: 10,
  },
  {
    name: 'CT-Cropped-Volume-Bone',
    points: [[-2048, 0], [-451, 0], [-450, 1], [1050, 1], [3661, 1]],
    colors: [[-2048, 0, 0, 0], [-451, 0, 0, 0], [-450, 0.0556356, 0.0556356, 0.0556356], [1050, 1, 1, 1], [3661, 1, 1, 1]],
    shading: false, ambient: 0.2, diffuse: 1, specular: 0, specularPower: 1,
  },
  {
    name: 'CT-Fat',
    points: [[-1000, 0], [-100, 0], [-99, 0.15], [-60, 0.15], [-59, 0], [101.2, 0], [952, 0]],
    colors: [[-1000, 0.3, 0.3, 1], [-497.5, 0.3, 1, 0.3], [-99, 0, 0, 1], [-76.946, 0, 1, 0], [-65.481, 0.835431, 0.888889, 0.0165387], [83.89, 1, 0, 0], [463.28, 1, 0, 0], [659.15, 1, 0.912535, 0.0374849], [2952, 1, 0.300267, 0.299886]],
    shading: false, ambient: 0.2, diffuse: 1, specular: 0, specularPower: 1,
  },
  {
    name: 'CT-Liver-Vasculature',
    points: [[-2048, 0], [149.113, 0], [157.884, 0.482143], [339.96, 0.660714], [388.526, 0.830357], [1197.95, 0.839286], [3661, 0.848214]],
    colors: [[-2048, 0, 0, 0], [149.113, 0, 0, 0], [157.884, 0.501961, 0.25098, 0], [339.96, 0.695386, 0.59603, 0.36886], [388.526, 0.854902, 0.85098, 0.827451], [1197.95, 1, 1, 1], [3661, 1, 1, 1]],
    shading: false, ambient: 0.2, diffuse: 1, specular: 0, specularPower: 1,
  },
  {
    name: 'CT-Lung',
    points: [[-1000, 0], [-600, 0], [-599, 0.15], [-400, 0.15], [-399, 0], [2952, 0]],
    colors: [[-1000, 0.3, 0.3, 1], [-600, 0, 0, 1], [-530, 0.134704, 0.781726, 0.0724558], [-460, 0.929244, 1, 0.109473], [-400, 0.888889, 0.254949, 0.0240258], [2952, 1, 0.3, 0.3]],
    shading: true, ambient: 0.2, diffuse: 1, specular: 0, specularPower: 1,
  },
  {
    name: 'CT-MIP',
    points: [[-3024, 0], [-637.62, 0], [700, 1], [3071, 1]],
    colors: [[-3024, 0, 0, 0], [-637.62, 1, 1, 1], [700, 1, 1, 1], [3071, 1, 1, 1]],
    shading: true, ambient: 0.1, diffuse: 0.9, specular: 0.2, specularPower: 10,
  },
  {
    name: 'CT-Muscle',
    points: [[-3024, 0], [-155.407, 0], [217.641, 0.676471], [419.736, 0.833333], [3071, 0.803922]],
    colors: [[-3024, 0, 0, 0], [-155.407, 0.54902, 0.25098, 0.14902], [217.641, 0.882353, 0.603922, 0.290196], [419.736, 1, 0.937033, 0.954531], [3071, 0.827451, 0.658824, 1]],
    shading: true, ambient: 0.1, diffuse: 0.9, specular: 0.2, specularPower: 10,
  },
  {
    name: 'CT-Pulmonary-Arteries',
    points: [[-2048, 0], [-568.625, 0], [-364.081, 0.0714286], [-244.813, 0.401786], [18.2775, 0.607143], [447.798, 0.830357], [3592.73, 0.839286]],
    colors: [[-2048, 0, 0, 0], [-568.625, 0, 0, 0], [-364.081, 0.396078, 0.301961, 0.180392], [-244.813, 0.611765, 0.352941, 0.0705882], [18.2775, 0.843137, 0.0156863, 0.156863], [447.798, 0.752941, 0.752941, 0.752941], [3592.73, 1, 1, 1]],
    shading: true, ambient: 0.2, diffuse: 1, specular: 0, specularPower: 1,
  },
  {
    name: 'CT-Soft-Tissue',
    points: [[-2048, 0], [-167.01, 0], [-160, 1], [240, 1], [3661, 1]],
    colors: [[-2048, 0, 0, 0], [-167.01, 0, 0, 0], [-160, 0.0556356, 0.0556356, 0.0556356], [240, 1, 1, 1], [3661, 1, 1, 1]],
    shading: false, ambient: 0.2, diffuse: 1, specular: 0, specularPower: 1,
  },
  {
    name: 'CT-Air',
    points: [[-3024, 0.705882], [-900, 0.715686], [-500, 0], [3071, 0]],
    colors: [[-3024, 1, 1, 1], [-900, 0.2, 1, 1], [-500, 0.3, 0.3, 1], [3071, 0, 0, 0]],
    shading: true, ambient: 0.1, diffuse: 0.9, specular: 0.2, specularPower: 10,
  },
  {
    name: 'CT-X-ray',
    points: [[-3024, 0], [-200, 0], [1500, 0.05], [3071, 0.05]],
    colors: [[-3024, 1, 1, 1], [3071, 1, 1, 1]],
    shading: false, ambient: 0.1, diffuse: 0.9, specular: 0.2, specularPower: 10,
  },
  {
    name: 'MR-Angio',
    points: [[-2048, 0], [151.354, 0], [158.279, 0.4375], [190.112, 0.580357], [200.873, 0.732143], [3661, 0.741071]],
    colors: [[-2048, 0, 0, 0], [151.354, 0, 0, 0], [158.279, 0.74902, 0.376471, 0], [190.112, 1, 0.866667, 0.733333], [200.873, 0.937255, 0.937255, 0.937255], [3661, 1, 1, 1]],
    shading: true, ambient: 0.2, diffuse: 1, specular: 0, specularPower: 1,
  },
  {
    name: 'MR-Default',
    points: [[0, 0], [20, 0], [40, 0.15], [120, 0.3], [220, 0.375], [1024, 0.5]],
    colors: [[0, 0, 0, 0], [20, 0.168627, 0, 0], [40, 0.403922, 0.145098, 0.0784314], [120, 0.780392, 0.607843, 0.380392], [220, 0.847059, 0.835294, 0.788235], [1024, 1, 1, 1]],
    shading: true, ambient: 0.2, diffuse: 1, specular: 0, specularPower: 1,
  },
  {
    name: 'MR-MIP',
    points: [[0, 0], [98.3725, 0], [416.637, 1], [2800, 1]],
    colors: [[0, 1, 1, 1], [98.3725, 1, 1, 1], [416.637, 1, 1, 1], [2800, 1, 1, 1]],
    shading: false, ambient: 0.2, diffuse: 1, specular: 0, specularPower: 1,
  },
  {
    name: 'MR-T2-Brain',
    points: [[0, 0], [36.05, 0], [218.302, 0.171429], [412.406, 1], [641, 1]],
    colors: [[0, 0, 0, 0], [98.7223, 0.956863, 0.839216, 0.192157], [412.406, 0, 0.592157, 0.807843], [641, 1, 1, 1]],
    shading: true, ambient: 0.3, diffuse: 0.6, specular: 0.5, specularPower: 40,
  },
  {
    name: 'DTI-FA-Brain',
    points: [[0, 0], [0, 0], [0.3501, 0.0158], [0.49379, 0.7619], [0.6419, 1], [0.992, 1], [0.995, 0], [0.995, 0]],
    colors: [[0, 1, 0, 0], [0, 1, 0, 0], [0.24974, 0.4941, 1, 0], [0.49949, 0, 0.9882, 1], [0.7492, 0.51764, 0, 1], [0.995, 1, 0, 0], [0.995, 1, 0, 0]],
    shading: true, ambient: 0.3, diffuse: 0.9, specular: 0.5, specularPower: 40,
  },
  {
    name: 'US-Fetal',
    points: [[-10, 0], [60, 0], [120, 0.6], [255, 0.8], [270, 0.8]],
    colors: [[-10, 0, 0, 0], [0, 0, 0, 0], [80, 0.54902, 0.25098, 0.14902], [102, 0.882353, 0.603922, 0.290196], [270, 0.694, 0.478, 0.396]],
    shading: true, ambient: 0.1, diffuse: 0.9, specular: 0.2, specularPower: 10,
  },
  {
    name: 'uCT-Bone-8bit',
    points: [[58.5999794006348, 0], [58.5999794006348, 0], [157.723983764648, 1], [313.599822998047, 1]],
    colors: [[58.5999794006348, 0, 0, 0], [58.5999794006348, 0, 0, 0], [76.7996444702148, 0.913725490196078, 0.164705882352941, 0.113725490196078], [85.1535949707031, 0.858823529411765, 0.498039215686275, 0.137254901960784], [94.7009582519531, 0.96078431372549, 0.933333333333333, 0.105882352941176], [100.369705200195, 1, 1, 1], [313.599822998047, 1, 1, 1]],
    shading: true, ambient: 0.3, diffuse: 0.6, specular: 0.2, specularPower: 40,
  },
  {
    name: 'uCT-Bone-16bit',
    points: [[33600, 0], [33600, 0], [59866.8515625, 1], [99135, 1]],
    colors: [[33600, 0, 0, 0], [33600, 0, 0, 0], [37880.9140625, 0.913725490196078, 0.164705882352941, 0.113725490196078], [40312.05078125, 0.858823529411765, 0.498039215686275, 0.137254901960784], [42848.890625, 0.96078431372549, 0.933333333333333, 0.105882352941176], [45280.02734375, 1, 1, 1], [99135, 1, 1, 1]],
    shading: true, ambient: 0.3, diffuse: 0.6, specular: 0.2, specularPower: 40,
  },
  {
    name: 'uCT-Skull',
    points: [[0, 0], [25, 0], [72.3597412109375, 1], [236.931869506836, 1], [806.920776367188, 1], [1024, 1]],
    colors: [[0, 0, 0, 0], [43.8543891906738, 0.780392156862745, 0.462745098039216, 0.188235294117647], [114.021408081055, 0.982130513713827, 0.96809021468468, 0.94958254408399], [1024, 1, 1, 1]],
    shading: true, ambient: 0.1, diffuse: 0.9, specular: 0.2, specularPower: 10,
  },
];

export const presetNamed = (name: string): VolumePreset | undefined => VOLUME_PRESETS.find((p) => p.name === name);

/** The preset whose points and colours a style has (value for value), if any: the one the menu marks as active. */
export function activePresetName(style: { points: readonly (readonly number[])[]; colors?: readonly (readonly number[])[] }): string | null {
  const same = (a: readonly (readonly number[])[], b: readonly (readonly number[])[]) => a.length === b.length && a.every((p, i) => p.length === b[i].length && p.every((x, j) => x === b[i][j]));
  const found = VOLUME_PRESETS.find((p) => style.colors !== undefined && same(p.points, style.points) && same(p.colors, style.colors));
  return found ? found.name : null;
}
