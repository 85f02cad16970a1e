// A collapsible sidebar section: a heading whose button (aria-expanded) shows or hides the body.
// Each section's open state is remembered per id in localStorage, so a reader who folds away the
// panels they never use finds them folded after a reload. The body stays in the DOM while folded
// (`hidden`), so panels keep their state and tests can still read what they hold.
import { useId, useState, type ReactNode } from 'react';

const KEY_PREFIX = 'voxlens.section.';

/** The subset of Storage this needs (localStorage in the page, a Map-backed fake in tests). */
export type SectionStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** Whether section `id` is open: what was last stored for it, else `defaultOpen`. */
export function readSectionOpen(storage: SectionStorage | undefined, id: string, defaultOpen: boolean): boolean {
  try {
    const stored = storage?.getItem(KEY_PREFIX + id);
    return stored === '1' ? true : stored === '0' ? false : defaultOpen;
  } catch {
    // Storage can throw (disabled cookies, a sandboxed frame): fall back to the default.
    return defaultOpen;
  }
}

export function writeSectionOpen(storage: SectionStorage | undefined, id: string, open: boolean): void {
  try {
    storage?.setItem(KEY_PREFIX + id, open ? '1' : '0');
  } catch {
    // A full or disabled storage only loses the memory of the fold, never the fold itself.
  }
}

const pageStorage = (): SectionStorage | undefined => (typeof localStorage === 'undefined' ? undefined : localStorage);

export function Section({ id, title, tooltip, testId, defaultOpen = true, children }: {
  /** Names the stored open state and the section's data-section attribute. */
  id: string;
  title: ReactNode;
  /** The heading button's title (what the section holds). */
  tooltip?: string;
  testId?: string;
  defaultOpen?: boolean;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(() => readSectionOpen(pageStorage(), id, defaultOpen));
  const headingId = useId();
  const bodyId = useId();
  const toggle = () => {
    writeSectionOpen(pageStorage(), id, !open);
    setOpen(!open);
  };
  return (
    <section className={`panel section${open ? '' : ' collapsed'}`} aria-labelledby={headingId} data-testid={testId} data-section={id}>
      <h2 id={headingId} className="section-head">
        <button type="button" className="section-toggle" aria-expanded={open} aria-controls={bodyId} onClick={toggle} title={`${open ? 'Hide' : 'Show'}${tooltip ? `: ${tooltip}` : ''}`}>
          <span className="section-title">{title}</span>
          <span className="section-chevron" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
        </button>
      </h2>
      <div id={bodyId} className="section-body" hidden={!open}>
        {children}
      </div>
    </section>
  );
}
