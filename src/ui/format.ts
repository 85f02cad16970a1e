// How numbers are written in panels: integers exactly, floats to 7 significant digits.
export function formatValue(v: number | number[]): string {
  if (Array.isArray(v)) return v.map((x) => formatValue(x)).join(' ');
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '−Inf';
  if (Number.isInteger(v)) return String(v);
  const s = v.toPrecision(7);
  return s.includes('e') ? s : s.replace(/\.?0+$/, '');
}

/** One decimal; a value that rounds to zero prints as 0.0, never −0.0 (a centre a hair below zero). */
export const formatMm = (v: number) => {
  const text = v.toFixed(1);
  return text === '-0.0' ? '0.0' : text;
};

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
