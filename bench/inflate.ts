// Standalone (not part of npm run bench): the decoder's time per gunzip engine, for choosing one.
// Runs decodeStream's decodeVolume (the code the decode worker runs) in Node over .nii.gz files,
// each engine in turn per round (interleaved, so a busy machine slows each alike), into one
// SharedArrayBuffer as the worker does; medians over rounds, wall and CPU time (the process's, all threads). 'native' is DecompressionStream
// (Node's, zlib as in Chromium), 'pako' zlib's inflate ported to JS into one reused buffer,
// 'fflate' fflate's streaming Gunzip. Every engine's voxels are checked equal to the first's.
//   npx tsx bench/inflate.ts [--runs 5] [FILE.nii.gz ...]   (default: the 256³ int16 and float32 bench volumes)
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeVolume, type DecodeEngine } from '../src/io/decodeStream';
import { ok } from '../src/io/errors';
import { blobSource } from '../src/io/sources';
import { dataDir, option } from './options';
import { summarize } from './stats';
import { benchVolumes } from './volumes';

const ENGINES: DecodeEngine[] = ['native', 'pako', 'fflate', 'auto'];
const rounds = Number(option('--runs') ?? 5);
const files = process.argv.slice(2).filter((a, i, all) => a.endsWith('.gz') && all[i - 1] !== '--runs');
const targets = files.length ? files : benchVolumes(dataDir).filter((v) => /^(int16|float32) 256³$/.test(v.name)).map((v) => v.file);

async function decodeOnce(bytes: Uint8Array, name: string, engine: DecodeEngine): Promise<{ ms: number; cpuMs: number; voxels: Uint8Array; used: string }> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await decodeVolume(blobSource(new Blob([bytes as Uint8Array<ArrayBuffer>]), name), { acquire: async (_h, n) => ok(new Uint8Array(new SharedArrayBuffer(n))) }, { gunzip: [engine], sampledStatsOnly: true });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (r.kind === 'error') throw new Error(`${name} with ${engine}: ${r.message}`);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, voxels: r.value.voxels, used: r.value.gunzip };
}

for (const file of targets) {
  const bytes = new Uint8Array(readFileSync(file));
  const name = basename(file);
  const times: Record<string, number[]> = {};
  const cpuTimes: Record<string, number[]> = {};
  let reference: Uint8Array | undefined;
  let used = '';
  for (let r = 0; r < rounds; r++) {
    for (const engine of ENGINES) {
      const got = await decodeOnce(bytes, name, engine);
      (times[engine] ??= []).push(got.ms);
      (cpuTimes[engine] ??= []).push(got.cpuMs);
      if (engine === 'auto') used = got.used;
      if (!reference) reference = got.voxels;
      else if (Buffer.compare(Buffer.from(reference.buffer, reference.byteOffset, reference.length), Buffer.from(got.voxels.buffer, got.voxels.byteOffset, got.voxels.length)) !== 0) throw new Error(`${name}: ${engine} decoded different voxels`);
    }
  }
  const mb = reference!.length / 1e6;
  console.log(`${name}: ${(bytes.length / 1e6).toFixed(1)} MB stored, ${mb.toFixed(1)} MB of voxels, ${rounds} round(s); 'auto' chose ${used}`);
  for (const engine of ENGINES) {
    const s = summarize(times[engine])!;
    const c = summarize(cpuTimes[engine])!;
    console.log(`  ${engine.padEnd(7)} ${s.median.toFixed(0).padStart(5)} ms [${s.min.toFixed(0)}–${s.max.toFixed(0)}]  ${(mb / (s.median / 1000)).toFixed(0)} MB/s of voxels; CPU ${c.median.toFixed(0)} ms [${c.min.toFixed(0)}–${c.max.toFixed(0)}] (less skewed by other work on the machine)`);
  }
}
