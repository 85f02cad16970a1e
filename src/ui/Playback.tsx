import { useEffect } from 'react';
import { useViewerStore } from '../state/viewerStore';
import { frameCount } from '../volume/header';

/** Advances the frame of every playing 4D layer at its rate; nothing renders. */
export function Playback() {
  const playing = useViewerStore((s) => s.playing);
  useEffect(() => {
    const timers = Object.entries(playing).map(([id, fps]) =>
      setInterval(() => {
        const s = useViewerStore.getState();
        const layer = s.layers.find((l) => l.id === id);
        if (!layer) return;
        s.setDisplay(id, { frame: (layer.display.frame + 1) % frameCount(layer.dims) });
      }, 1000 / fps),
    );
    return () => timers.forEach(clearInterval);
  }, [playing]);
  return null;
}
