// Label maps (atlases, segmentations, masks): telling them from images, colouring their indices,
// and reading the lookup tables that name them. Pure functions: the renderer turns the table into
// a texture, the loader reads the files.
import type { DataType } from './dataTypes';
import type { VolumeStats } from './header';

/** NIfTI intent_code saying the values are indices into a list of labels. */
export const NIFTI_INTENT_LABEL = 1002;

/**
 * The largest index a colour table covers: 65536 RGBA entries are 256 KiB, and FreeSurfer's own
 * lookup table stops at 14175.
 */
export const MAX_LABEL_INDEX = 65535;

export type Rgb = [r: number, g: number, b: number];

/** What a lookup file says about the labels; indices it leaves out keep a generated colour. */
export interface LabelLookup {
  names: Map<number, string>;
  colors: Map<number, Rgb>;
  /** Indices drawn transparent (a segment hidden in the segment list). */
  hidden?: ReadonlySet<number>;
}

// Kept apart from io's Result so that volume does not import io; it has the same shape, and
// 'bad-lookup' is a LoadErrorCode, so a caller can pass the error on as a LoadError.
export type LookupResult = { kind: 'ok'; value: LabelLookup } | { kind: 'error'; code: 'bad-lookup'; message: string };

const INTEGER_TYPES: ReadonlySet<DataType> = new Set<DataType>(['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'int64', 'uint64']);

/** At most this many distinct values is a mask or a tissue classification, whatever the range. */
const FEW_DISTINCT = 16;
/**
 * A run of this many consecutive values is an image's grey levels, not label codes: FreeSurfer's
 * wm.mgz holds 82…127 (46 in a row) and a few edit codes; aseg's longest run is 9 (10…18). A
 * parcellation with long runs (aparc's 1001…1035, AAL's 1…116) is told by its intent or its name.
 */
const IMAGE_RUN = 20;
/** In a file name, the words of label maps: FreeSurfer's aseg/aparc/wmparc, *label*, *seg* (BIDS dseg too), atlas, parcellation. */
const LABEL_WORDS = /(aseg|aparc|parc|label|seg|atlas)/i;

/** Whether a file's name (its last path part) says its values are labels (`aparc+aseg.mgz`, `brain_labels.nii`, `sub-01_dseg.nii.gz`). */
// Stryker disable next-line StringLiteral: split() always gives at least one part, so pop() is never undefined and the fallback never used.
export const labelName = (name: string): boolean => LABEL_WORDS.test(name.split(/[\\/]/).pop() ?? '');

/**
 * Sparse codes: [most distinct values, largest share of their range they may use]. The more values,
 * the sparser they must be, since an image stretched by 2 or 3 (every 2nd or 3rd level) is sparse too.
 */
const SPARSE_TIERS: readonly (readonly [distinct: number, fill: number])[] = [
  [64, 0.5],
  [256, 0.25],
];

/**
 * Whether to show a volume as labels (one colour per index) rather than through a grey window.
 *
 * Only integer data qualifies (floats and RGB never do). Then, in order:
 * - intent_code NIFTI_INTENT_LABEL (1002) says so outright (the AAL atlas sets it);
 * - negative values, or indices past MAX_LABEL_INDEX, are not labels;
 * - one value is not labels either: an empty mask looks the same grey or coloured;
 * - a file name of a label map (labelName: aseg, aparc, *label*, *seg*, atlas, …) is labels;
 * - 2 to 16 distinct values are labels, dense or not: masks (0/1), tissue classes (0..3);
 * - most values in one long run of consecutive values (IMAGE_RUN or more) are an image's grey
 *   levels (wm.mgz);
 * - sparse codes are labels: up to 64 distinct values using at most half of their range (FreeSurfer's
 *   aseg: ~40 values in 0..255, or in 0..85 when the sample misses the corpus callosum's 251..255),
 *   or up to 256 using at most a quarter (aparc+aseg: ~110 in 0..2035);
 * - anything else is an image: uint8 MR uses nearly every level, CT thousands of them, and a narrow
 *   dense range (0..40) is taken as a dim image, not 41 labels.
 * The price of preferring images: a dense parcellation without the intent code (AAL's 0..116, a
 * Schaefer atlas) opens as an image, and an image with a few levels spread thinly over a wide range
 * (an 8-bit image of at most 64 levels stretched to every 3rd level or sparser) opens as labels.
 * The viewer lets the user switch either way.
 * `stats.sampledDistinct` comes from a sample, so a label seen in only a few voxels may be missed;
 * the thresholds leave room for that.
 */
// Stryker disable next-line StringLiteral: any default name without a label word (the mutant's "Stryker was here!") gives the same answers as ''.
export function looksLikeLabels(dtype: DataType, intentCode: number, stats: VolumeStats, name = ''): boolean {
  if (!INTEGER_TYPES.has(dtype)) return false;
  if (intentCode === NIFTI_INTENT_LABEL) return true;
  if (stats.min < 0 || stats.max > MAX_LABEL_INDEX) return false;
  const distinct = stats.sampledDistinct;
  if (distinct < 2) return false;
  if (labelName(name)) return true;
  if (distinct <= FEW_DISTINCT) return true;
  // Most of its values in one long run: grey levels (aparc's 36-long run is a third of its ~110 codes).
  const run = stats.sampledRun ?? 0;
  if (run >= IMAGE_RUN && run * 2 >= distinct) return false;
  const span = stats.max - stats.min + 1;
  return SPARSE_TIERS.some(([most, fill]) => distinct <= most && distinct <= fill * span);
}

// Hue steps by 1/φ: successive multiples mod 1 land as far as possible from every earlier one, so
// neighbouring indices get hues ~137° apart. Hues do come close again for indices a Fibonacci number
// apart (13, 144, ...), so saturation and value step by two other irrationals: with periodic
// shades (i % 3, i % 2) labels 144 apart came out identical. These constants were picked by
// measuring indices 1..255: neighbours at least 170 apart in RGB, any two at least 16 apart.
const HUE_STEP = 0.6180339887498949; // 1/φ
const SATURATION_STEP = Math.PI - 3;
const VALUE_STEP = Math.SQRT2 - 1;
const fraction = (x: number) => x - Math.floor(x);

/**
 * A generated colour for a label index, the same on every run and never dark enough to read as
 * background. Index 0 is background: callers draw it transparent, and it gets black here.
 */
export function labelColor(index: number): Rgb {
  if (index === 0) return [0, 0, 0];
  // Stryker disable next-line ArithmeticOperator: dividing by 1/φ multiplies by φ = 1 + 1/φ, which gives a whole index the same fraction.
  const hue = fraction(index * HUE_STEP);
  // Stryker disable next-line ArithmeticOperator: dividing by √2 − 1 multiplies by √2 + 1 = (√2 − 1) + 2, which gives a whole index the same fraction.
  const valueStep = fraction(index * VALUE_STEP);
  return hsvToRgb(hue, 0.55 + 0.4 * fraction(index * SATURATION_STEP), 0.75 + 0.23 * valueStep);
}

function hsvToRgb(h: number, s: number, v: number): Rgb {
  const sector = Math.floor(h * 6) % 6;
  const f = h * 6 - Math.floor(h * 6);
  const p = v * (1 - s);
  const q = v * (1 - f * s);
  const t = v * (1 - (1 - f) * s);
  const rgb: Rgb[] = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ];
  return rgb[sector].map((c) => Math.round(c * 255)) as Rgb;
}

/**
 * RGBA bytes for indices 0..maxIndex: the lookup's colour where it gives one, else labelColor.
 * Index 0 is transparent; every other index is opaque. FreeSurfer's fourth colour column is not
 * used: it is 0 for nearly every entry of its own tables yet those labels are meant to be seen
 * (and LabelLookup keeps no alpha).
 */
export function buildLabelTable(maxIndex: number, lut?: LabelLookup): Uint8Array {
  if (!Number.isInteger(maxIndex) || maxIndex < 0 || maxIndex > MAX_LABEL_INDEX) {
    throw new RangeError(`INTERNAL ERROR: label table for maxIndex ${maxIndex}; it must be a whole number in 0..${MAX_LABEL_INDEX}`);
  }
  const table = new Uint8Array((maxIndex + 1) * 4);
  for (let i = 1; i <= maxIndex; i++) {
    table.set(lut?.colors.get(i) ?? labelColor(i), i * 4);
    table[i * 4 + 3] = lut?.hidden?.has(i) ? 0 : 255;
  }
  return table;
}

const bad = (message: string): LookupResult => ({ kind: 'error', code: 'bad-lookup', message });

/** A label index from text, or why it is not one. */
function parseIndex(text: string): number | string {
  if (!/^\d+$/.test(text)) return `index "${text}" is not a whole number of 0 or more`;
  const index = Number(text);
  if (index > MAX_LABEL_INDEX) return `index ${text} is above ${MAX_LABEL_INDEX}, the largest label Voxlens can colour`;
  return index;
}

/** Number.isInteger as a type guard: false for whatever is not a number. */
const isWhole = (n: unknown): n is number => Number.isInteger(n);

/** A colour component from text (FreeSurfer) or JSON, or undefined when it is not a byte. */
const parseByte = (value: unknown): number | undefined => {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return isWhole(n) && n >= 0 && n <= 255 ? n : undefined;
};

/**
 * Reads a label lookup file: JSON (a `.json` name, or text starting with `{`) or a FreeSurfer
 * colour table (`*LUT.txt`). Errors name the file, and the line or key, and what was wrong.
 */
export function parseLabelLookup(text: string, fileName: string): LookupResult {
  const body = text.replace(/^\uFEFF/, '');
  const result = fileName.toLowerCase().endsWith('.json') || body.trimStart().startsWith('{') ? parseJsonLookup(body, fileName) : parseFreeSurferLookup(body, fileName);
  if (result.kind === 'ok' && result.value.names.size === 0) return bad(`${fileName} holds no labels.`);
  return result;
}

/**
 * FreeSurfer colour table: `index name r g b [a]` per line, fields separated by spaces or tabs,
 * names without spaces, `#` starting a comment line. Also accepted: `index name` alone (names only).
 * A repeated index is an error rather than a silent override.
 */
function parseFreeSurferLookup(text: string, fileName: string): LookupResult {
  const names = new Map<number, string>();
  const colors = new Map<number, Rgb>();
  const definedOn = new Map<number, number>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l].trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `${fileName}, line ${l + 1}`;
    const fields = line.split(/\s+/);
    if (fields.length !== 2 && fields.length !== 5 && fields.length !== 6) {
      return bad(`${where}: expected "index name r g b [a]" (a name without spaces), found ${fields.length} fields: "${line}".`);
    }
    const index = parseIndex(fields[0]);
    if (typeof index === 'string') return bad(`${where}: ${index}.`);
    const first = definedOn.get(index);
    if (first !== undefined) return bad(`${where}: index ${index} is already defined on line ${first}.`);
    definedOn.set(index, l + 1);
    names.set(index, fields[1]);
    if (fields.length === 2) continue;
    const rgba = fields.slice(2).map(parseByte);
    const wrong = rgba.findIndex((c) => c === undefined);
    if (wrong >= 0) return bad(`${where}: colour component "${fields[2 + wrong]}" (${'rgba'[wrong]}) is not a whole number in 0..255.`);
    colors.set(index, rgba.slice(0, 3) as Rgb);
  }
  return { kind: 'ok', value: { names, colors } };
}

/** JSON: `{ "1": "name" }`, or `{ "1": { "name": "name", "color": [r, g, b] } }` (color optional). */
function parseJsonLookup(text: string, fileName: string): LookupResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return bad(`${fileName} is not valid JSON: ${e instanceof Error ? e.message : String(e)}.`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return bad(`${fileName}: expected a JSON object mapping label indices to names, e.g. { "1": "Hippocampus" }.`);
  }
  const names = new Map<number, string>();
  const colors = new Map<number, Rgb>();
  for (const [key, entry] of Object.entries(data)) {
    const where = `${fileName}, key "${key}"`;
    const index = parseIndex(key);
    if (typeof index === 'string') return bad(`${where}: ${index}.`);
    if (names.has(index)) return bad(`${where}: index ${index} is given twice (keys with leading zeros name the same label).`);
    if (typeof entry === 'string') {
      names.set(index, entry);
      continue;
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      return bad(`${where}: expected a name or { "name": ..., "color": [r, g, b] }.`);
    }
    const { name, color } = entry as { name?: unknown; color?: unknown };
    if (typeof name !== 'string') return bad(`${where}: "name" must be a string.`);
    names.set(index, name);
    if (color === undefined) continue;
    const rgb = Array.isArray(color) ? color.map(parseByte) : undefined;
    if (rgb?.length !== 3 || rgb.some((c) => c === undefined)) {
      return bad(`${where}: "color" must be [r, g, b] with whole numbers in 0..255, found ${JSON.stringify(color)}.`);
    }
    colors.set(index, rgb as Rgb);
  }
  return { kind: 'ok', value: { names, colors } };
}

// ---- label names carried in or beside a volume file (NIfTI extensions, `<stem>.txt` beside it) ----

/**
 * Text from bytes a file stores (a NIfTI extension's data): UTF-8 when the bytes are valid UTF-8,
 * else Latin-1 (older atlases), a leading byte-order mark dropped, cut at the first NUL (extensions
 * are padded with NULs to a multiple of 16 bytes).
 */
export function decodeLabelText(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  const body = nul < 0 ? bytes : bytes.subarray(0, nul);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    text = new TextDecoder('latin1').decode(body);
  }
  return text.replace(/^\uFEFF/, '');
}

/** More than this share of control characters (other than tab and line breaks): binary, not a list of names. */
const BINARY_SHARE = 0.02;
const isControl = (code: number) => (code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 127;
const controlCount = (text: string) => {
  let n = 0;
  for (const c of text) if (isControl(c.charCodeAt(0))) n++;
  return n;
};

/**
 * A list of label names in text a file carries, in any of the forms atlases use, or null when the
 * text is not one (binary data, a comment, another sidecar's JSON):
 * - lines `index name [r g b [a]]` (AAL's `1\tPrecentral_L`; a name may hold spaces; `#` comments;
 *   one header line such as `index\tname` may come first);
 * - JSON `{ "1": "name" }` or `{ "1": { "name": ..., "color": [r, g, b] } }`, or
 *   `[{ "index": 1, "name": ..., "color": [r, g, b] }]` (`key`/`value`/`label` also name the index);
 * - GIFTI/CIFTI LabelTable XML: `<Label Key="1" Red="1" Green="0" Blue="0" Alpha="1">name</Label>`.
 * Every entry must be well formed (an index in 0..MAX_LABEL_INDEX, a non-empty name), so a text that
 * merely starts with a number is not taken for names; the first of a repeated index wins.
 */
export function labelListFromText(text: string): LabelLookup | null {
  // trim() drops a byte-order mark too (U+FEFF is white space to it); an empty text finds no names.
  const body = text.trim();
  if (controlCount(body) > body.length * BINARY_SHARE) return null;
  const lookup = body.startsWith('{') || body.startsWith('[') ? jsonLabelList(body) : body.startsWith('<') ? xmlLabelList(body) : lineLabelList(body);
  return lookup && lookup.names.size > 0 ? lookup : null;
}

const labelIndex = (value: unknown): number | undefined => {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return isWhole(n) && n >= 0 && n <= MAX_LABEL_INDEX ? n : undefined;
};

function rgbOf(value: unknown): Rgb | undefined {
  if (!Array.isArray(value) || (value.length !== 3 && value.length !== 4)) return undefined;
  const rgb = value.slice(0, 3).map(parseByte);
  return rgb.every((c) => c !== undefined) ? (rgb as Rgb) : undefined;
}

function lineLabelList(text: string): LabelLookup | null {
  const names = new Map<number, string>();
  const colors = new Map<number, Rgb>();
  let content = 0;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    content++;
    const m = /^(\d+)\s+(.*\S)$/.exec(line);
    const index = m ? labelIndex(m[1]) : undefined;
    if (!m || index === undefined) {
      // One header row (`index name`, `Key Label`) before the entries.
      if (content === 1) continue;
      return null;
    }
    let name = m[2];
    // FreeSurfer's `r g b a` before a plain `r g b`.
    // No `^` needed: the name starts with a non-space and holds no line break, so a match starts at 0.
    const colour = /(.*\S)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/.exec(name) ?? /(.*\S)\s+(\d+)\s+(\d+)\s+(\d+)$/.exec(name);
    const rgb = colour ? rgbOf(colour.slice(2, 5)) : undefined;
    if (colour && rgb) name = colour[1];
    name = name.replace(/^"(.*)"$/, '$1').trim();
    if (!name) return null;
    if (names.has(index)) continue;
    names.set(index, name);
    if (rgb) colors.set(index, rgb);
  }
  return { names, colors };
}

function jsonLabelList(text: string): LabelLookup | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const names = new Map<number, string>();
  const colors = new Map<number, Rgb>();
  const add = (index: number | undefined, name: unknown, color: unknown): boolean => {
    if (index === undefined || typeof name !== 'string' || !name.trim()) return false;
    if (names.has(index)) return true;
    names.set(index, name.trim());
    const rgb = rgbOf(color);
    if (rgb) colors.set(index, rgb);
    return true;
  };
  // The fields of an entry. JSON gives null or a value whose fields read as undefined unless it is
  // an object holding them (a string, number or array has no `name`, `index`, `color`...).
  type Entry = { index?: unknown; key?: unknown; value?: unknown; label?: unknown; name?: unknown; color?: unknown };
  const entry = (value: unknown) => (value ?? {}) as Entry;
  if (Array.isArray(data)) {
    for (const item of data) {
      const e = entry(item);
      const index = labelIndex(e.index ?? e.key ?? e.value ?? (typeof e.label === 'number' ? e.label : undefined));
      // A numeric `label` is the index, and add() refuses a name that is not a string.
      if (!add(index, e.name ?? e.label, e.color)) return null;
    }
    return { names, colors };
  }
  // The text starts with `{` or `[` (labelListFromText), so what is not an array is an object.
  for (const [key, value] of Object.entries(data as object)) {
    const e = typeof value === 'string' ? { name: value } : entry(value);
    if (!add(labelIndex(key), e.name, e.color)) return null;
  }
  return { names, colors };
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const xmlText = (s: string) =>
  s
    .replace(/^\s*<!\[CDATA\[([\s\S]*)\]\]>\s*$/, '$1')
    .replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => XML_ENTITIES[e])
    .replace(/&#(x[0-9a-f]+|\d+);/gi, (_, n: string) => String.fromCodePoint(Math.min(0x10ffff, n[0].toLowerCase() === 'x' ? parseInt(n.slice(1), 16) : Number(n))))
    .trim();

/** GIFTI/CIFTI LabelTable entries; colours are 0..1 floats in Red/Green/Blue attributes. */
function xmlLabelList(text: string): LabelLookup | null {
  const names = new Map<number, string>();
  const colors = new Map<number, Rgb>();
  const attr = (attrs: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i').exec(attrs)?.[1];
  for (const m of text.matchAll(/<Label\b([^>]*)>([\s\S]*?)<\/Label>/gi)) {
    const index = labelIndex(attr(m[1], 'Key'));
    const name = xmlText(m[2]);
    if (index === undefined || !name) return null;
    if (names.has(index)) continue;
    names.set(index, name);
    const rgb = ['Red', 'Green', 'Blue'].map((c) => Number(attr(m[1], c)));
    // NaN (a missing attribute) and infinities fail the range test.
    if (rgb.every((c) => c >= 0 && c <= 1)) colors.set(index, rgb.map((c) => Math.round(c * 255)) as Rgb);
  }
  return { names, colors };
}

/**
 * A lookup file the user or a drop gave: a JSON array of `{ index, name }` or a LabelTable XML as
 * labelListFromText reads them, else parseLabelLookup's strict reading (FreeSurfer LUT, JSON
 * object), whose errors name the line: a line file with a broken colour is refused, not taken for
 * a name with numbers in it.
 */
export function parseLabelNames(text: string, fileName: string): LookupResult {
  const body = text.trimStart(); // drops a byte-order mark too
  if (body.startsWith('[') || body.startsWith('<')) {
    const lenient = labelListFromText(body);
    if (lenient) return { kind: 'ok', value: lenient };
    return bad(`${fileName}: expected ${body.startsWith('[') ? 'a JSON array of { "index": 1, "name": "..." }' : '<Label Key="1">name</Label> entries'}, each with a whole-number index in 0..${MAX_LABEL_INDEX} and a name.`);
  }
  return parseLabelLookup(text, fileName);
}

/**
 * Whether a file found beside a volume is meant as a list of label names at all: a JSON object with
 * a numeric key or an array, or a line starting with an index. A BIDS sidecar (`sub-01_T1w.json`)
 * or a note is not, and is passed over without a word; one that is but cannot be read is reported.
 */
export function meantAsLabelList(text: string): boolean {
  const body = text.trim(); // drops a byte-order mark too
  if (body.startsWith('{')) return /^\{\s*"\s*\d+\s*"\s*:/.test(body);
  if (body.startsWith('[')) return true;
  if (body.startsWith('<')) return /<Label\b/i.test(body);
  return /^\s*\d+[ \t]+\S/m.test(body);
}
