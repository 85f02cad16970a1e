import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { installApi } from './api/voxlens';
import { loadVolume } from './state/actions';
import { applyFragment } from './state/viewStateApply';
import { decodeClient, isIsolated } from './state/runtime';
import { useViewerStore } from './state/viewerStore';
import { App } from './ui/App';
import './ui/app.css';

installApi();
decodeClient.warm();

if (!isIsolated) {
  useViewerStore.getState().notify({
    kind: 'warning',
    title: 'Shared memory is off',
    message:
      'This page is not cross-origin isolated, so SharedArrayBuffer is unavailable: volumes are decoded into an ArrayBuffer ' +
      'that is transferred from the worker (still one copy). Serve Voxlens with the headers ' +
      '"Cross-Origin-Opener-Policy: same-origin" and "Cross-Origin-Embedder-Policy: require-corp" to enable it.',
  });
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// ?url=<volume> (repeatable) opens volumes on start; without it the built-in sample opens,
// unless ?empty is given.
const params = new URLSearchParams(location.search);
const urls = params.getAll('url');
// A fragment is a shared view (#v1=…, state/viewState.ts): it replaces ?url= and the sample; a bad
// one is a notice over an empty viewer. Pasting another link into the address bar opens its view.
if (location.hash.length > 1) void applyFragment(location.hash);
else if (urls.length) urls.forEach((u) => void loadVolume(u));
else if (!params.has('empty')) void loadVolume(`${import.meta.env.BASE_URL}sample.nii.gz`, { name: 'sample.nii.gz (Shepp–Logan phantom)' });
window.addEventListener('hashchange', () => {
  if (location.hash.length > 1) void applyFragment(location.hash);
});
