import { describe, expect, it } from 'vitest';
import { HELP_GROUPS, helpKeyAction } from './HelpOverlay';

describe('helpKeyAction', () => {
  it('toggles on ? anywhere but a text field', () => {
    expect(helpKeyAction('?', 'other', false, false)).toBe('toggle');
    expect(helpKeyAction('?', 'select', true, false)).toBe('toggle');
    expect(helpKeyAction('?', 'slider', false, false)).toBe('toggle');
    expect(helpKeyAction('?', 'text', false, false)).toBeNull();
    expect(helpKeyAction('?', 'other', false, true)).toBeNull();
  });
  it('closes on Escape only when open, and leaves other keys to the viewer', () => {
    expect(helpKeyAction('Escape', 'other', true, false)).toBe('close');
    expect(helpKeyAction('Escape', 'text', true, false)).toBe('close');
    expect(helpKeyAction('Escape', 'other', false, false)).toBeNull();
    expect(helpKeyAction('1', 'other', true, false)).toBeNull();
    expect(helpKeyAction('/', 'other', false, false)).toBeNull();
  });
});

it('lists every shortcut the viewer has', () => {
  const text = HELP_GROUPS.flatMap((g) => g.items.map((i) => `${i.keys} ${i.action}`)).join('\n');
  for (const word of ['1 – 6', '2×2', '1+3', 'PgUp', 'P', 'Space', '[ / ]', 'Escape', 'Tab', 'Ctrl + wheel', 'Right-drag', 'Middle-drag', 'Shift + click', 'Double-click', 'Rotate', 'Pick']) expect(text).toContain(word);
});
