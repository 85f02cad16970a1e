// Every benchmark figure, in the order a run measures them and the table and results.md show them.
// A new figure: a module in this folder exporting a Figure (bench/figure.ts), and one line here.
import type { Figure } from '../figure';
import { big } from './bigFile';
import { dicom } from './dicom';
import { formats } from './formats';
import { fourD } from './fourD';
import { load } from './loadFloor';
import { measure } from './measure';
import { memory } from './memory';
import { multiPane } from './multiPane';
import { oblique } from './oblique';
import { render } from './render';
import { rtOpen } from './rtOpen';
import { segmentation } from './segmentation';
import { singleView } from './singleView';
import { zarr } from './zarr';

export const FIGURES: Figure[] = [
  // Per volume: in this order for each volume.
  singleView,
  render,
  multiPane,
  oblique,
  // Once per run.
  fourD,
  measure,
  load,
  formats,
  dicom,
  zarr,
  memory,
  segmentation,
  rtOpen,
  big,
];
