import { useEffect, useRef, useState, type FormEvent } from 'react';
import { loadVolume } from '../state/actions';

/** The toolbar's "URL…" button: a small form for a volume's address (as ?url= takes on start). */
export function OpenUrl() {
  const [open, setOpen] = useState(false);
  const [url, setUrl] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const address = url.trim();
    if (!address) return;
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
            type="url"
            inputMode="url"
            placeholder="https://host/path/volume.nii.gz"
            aria-label="Volume URL"
            data-testid="url-input"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            required
          />
          <button type="submit">Open</button>
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </form>
      )}
    </span>
  );
}
