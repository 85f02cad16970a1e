// Resident memory of a Chromium process tree, grouped by process type (--type= flag), from /proc.
import { readdirSync, readFileSync } from 'node:fs';

export type ProcessKind = 'browser' | 'renderer' | 'gpu-process' | 'other';

function children(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = map.get(ppid) ?? [];
      list.push(Number(name));
      map.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  return map;
}

export function processTree(root: number): number[] {
  const kids = children();
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop() as number;
    out.push(pid);
    stack.push(...(kids.get(pid) ?? []));
  }
  return out;
}

/** A process's kind, from its --type= flag; null once it has ended. */
export function processKind(pid: number): ProcessKind | null {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/); // setproctitle joins with spaces
    if (!cmd[0]) return null;
    const type = cmd.find((a) => a.startsWith('--type='))?.slice(7);
    if (!type) return 'browser';
    if (type === 'renderer' || type === 'gpu-process') return type;
    return 'other';
  } catch {
    return null;
  }
}

/** The processes of a tree that are of `kind`. */
export const processesOf = (root: number, kind: ProcessKind): number[] => processTree(root).filter((pid) => processKind(pid) === kind);

/** Fields of /proc/PID/status given in kB (VmRSS, RssAnon, RssShmem, …), in bytes, from one read; 0 once the process has ended. */
export function statusBytes<F extends string>(pid: number, fields: readonly F[]): Record<F, number> {
  const out = Object.fromEntries(fields.map((f) => [f, 0])) as Record<F, number>;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return out;
  }
  for (const f of fields) out[f] = Number(new RegExp(`${f}:\\s+(\\d+) kB`).exec(text)?.[1] ?? 0) * 1024;
  return out;
}

export type KindBytes = Record<ProcessKind, number>;
export const zeroKinds = (): KindBytes => ({ browser: 0, renderer: 0, 'gpu-process': 0, other: 0 });

/** Sum of VmRSS per process kind over a process tree. `pids` is refreshed by the caller now and then. */
export function sampleRss(pids: number[]): KindBytes {
  const out = zeroKinds();
  for (const pid of pids) {
    const kind = processKind(pid);
    if (kind) out[kind] += statusBytes(pid, ['VmRSS']).VmRSS;
  }
  return out;
}

/**
 * Samples every `intervalMs` until stopped; returns the peak per kind (each kind's own maximum).
 * The process list is refreshed every 10 samples, so processes started during a run are seen.
 */
export function startSampler(root: number, intervalMs = 25) {
  let pids = processTree(root);
  let n = 0;
  const peak = zeroKinds();
  const tick = () => {
    if (++n % 10 === 0) pids = processTree(root);
    const s = sampleRss(pids);
    for (const k of Object.keys(peak) as ProcessKind[]) peak[k] = Math.max(peak[k], s[k]);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop(): KindBytes {
      clearInterval(timer);
      tick();
      return peak;
    },
  };
}

/** The renderer and GPU processes under a browser's root process. */
export const kindPids = (root: number) => ({ renderer: processesOf(root, 'renderer'), gpu: processesOf(root, 'gpu-process') });

/** Resident bytes now: the renderers' (and their shared memory's) and the GPU process's. */
export function rendererGpuRss(pids: { renderer: number[]; gpu: number[] }): { renderer: number; shmem: number; gpu: number } {
  const renderer = pids.renderer.map((pid) => statusBytes(pid, ['VmRSS', 'RssShmem']));
  return {
    renderer: renderer.reduce((n, r) => n + r.VmRSS, 0),
    shmem: renderer.reduce((n, r) => n + r.RssShmem, 0),
    gpu: pids.gpu.reduce((n, pid) => n + statusBytes(pid, ['VmRSS']).VmRSS, 0),
  };
}
