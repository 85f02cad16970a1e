import { useEffect, useRef, useState, type FormEvent } from 'react';
import { loadVolume } from '../state/actions';

/** The toolbar's "URL…" button: a small form for a volume's address (as ?url= takes on start). */
export function OpenUrl() {
  const [open, setOpen] = useState(false);
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const address = url.trim();
    if (!address) return;
    // A relative address ("/FLAIR.nii.gz", "data/t1.nii") is resolved against the page, as ?url= does.
    let resolved: URL;
    try {
      resolved = new URL(address, location.href);
    } catch {
      setError(`"${address}" is not an address`);
      return;
    }
    if (!['http:', 'https:', 'blob:', 'data:'].includes(resolved.protocol)) {
      setError(`${resolved.protocol} addresses cannot be opened; use http or https`);
      return;
    }
    setError(null);
    setOpen(false);
    setUrl('');
    void loadVolume(address);
  };

  return (
    <span className="open-url">
      <button aria-expanded={open} onClick={() => setOpen(!open)} title="Open a volume by its URL (NIfTI, NRRD, MGH/MGZ; a .nhdr or .hdr finds its data file beside it)">
        URL…
      </button>
      {open && (
        <form className="open-url-form" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)} aria-label="Open a volume by URL">
          <input
            ref={input}
            type="text"
            inputMode="url"
            spellCheck={false}
            placeholder="https://host/volume.nii.gz or /path/volume.nii.gz"
            aria-invalid={error !== null}
            title={error ?? 'An absolute address, or one relative to this page'}
            aria-label="Volume URL"
            data-testid="url-input"
            value={url}
            onChange={(e) => {
              setUrl(e.target.value);
              setError(null);
            }}
            required
          />
          <button type="submit" title="Open the volume at this address">
            Open
          </button>
          {error && (
            <span className="warn" role="alert" data-testid="url-error">
              {error}
            </span>
          )}
          <button type="button" onClick={() => setOpen(false)} title="Close without opening">
            Cancel
          </button>
        </form>
      )}
    </span>
  );
}
