// `voxlens.frame()`: resolves after a frame has been drawn in which every visible layer's slice
// (with its texture) took part. r3f runs useFrame callbacks, then renders, in one animation
// frame; resolving from a timeout queued in the callback lands after that render.
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import { useViewerStore } from '../state/viewerStore';

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
}
const waiting: Waiter[] = [];
let unavailable: string | null = null;
let invalidateCanvas: (() => void) | null = null;
/** Layer ids whose slice mesh is mounted with its texture, or that cannot be displayed at all. */
const readyLayers = new Set<string>();

export function markLayerReady(id: string, ready: boolean): void {
  if (ready) readyLayers.add(id);
  else readyLayers.delete(id);
  invalidateCanvas?.();
}

const noFrameError = (reason: string) => Object.assign(new Error(`No frame can be drawn: ${reason}`), { code: 'no-webgl' });

export function requestFrame(): Promise<void> {
  return new Promise((resolve, reject) => {
    if (unavailable !== null) {
      reject(noFrameError(unavailable));
      return;
    }
    waiting.push({ resolve, reject });
    invalidateCanvas?.();
  });
}

/** The canvas could not be created: pending and future frame() calls reject instead of waiting forever. */
export function setRenderUnavailable(reason: string): void {
  unavailable = reason;
  for (const w of waiting.splice(0)) w.reject(noFrameError(reason));
}

/** Wakes the demand-driven canvas after anything outside React changed what it shows. */
export function invalidateFrame(): void {
  invalidateCanvas?.();
}

const allReady = () => useViewerStore.getState().layers.every((l) => !l.display.visible || readyLayers.has(l.id));

export function FrameSignal() {
  const invalidate = useThree((s) => s.invalidate);
  useEffect(() => {
    invalidateCanvas = invalidate;
    if (waiting.length) invalidate();
    return () => {
      invalidateCanvas = null;
    };
  }, [invalidate]);
  useFrame(() => {
    if (!waiting.length) return;
    if (!allReady()) {
      invalidate();
      return;
    }
    const done = waiting.splice(0);
    setTimeout(() => done.forEach((w) => w.resolve()), 0);
  });
  return null;
}
