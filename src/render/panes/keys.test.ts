import { describe, expect, it } from 'vitest';
import { pagingStep, undoKey, viewerTakesKey } from './keys';

describe('viewerTakesKey', () => {
  it('leaves every key to text being typed', () => {
    for (const key of ['1', 'p', 'ArrowDown', 'PageUp', 'Escape']) expect(viewerTakesKey(key, 'text', true)).toBe(false);
  });
  it('takes layouts, P and paging from a (closed) select, with or without a pane under the pointer', () => {
    for (const key of ['1', '6', 'p', 'ArrowDown', 'ArrowUp', 'PageDown']) {
      expect(viewerTakesKey(key, 'select', true)).toBe(true);
      expect(viewerTakesKey(key, 'select', false)).toBe(true);
    }
  });
  it('leaves a slider its arrows unless a pane is under the pointer or focused', () => {
    expect(viewerTakesKey('ArrowUp', 'slider', false)).toBe(false);
    expect(viewerTakesKey('ArrowUp', 'slider', true)).toBe(true);
    expect(viewerTakesKey('3', 'slider', false)).toBe(true);
  });
  it('takes everything from buttons, checkboxes and the page', () => {
    for (const key of ['1', 'p', 'ArrowDown']) expect(viewerTakesKey(key, 'other', false)).toBe(true);
  });
});

describe('pagingStep', () => {
  it('pages up toward +axis and down toward −axis; other keys do not page', () => {
    expect(pagingStep('ArrowUp')).toBe(1);
    expect(pagingStep('PageUp')).toBe(1);
    expect(pagingStep('ArrowDown')).toBe(-1);
    expect(pagingStep('PageDown')).toBe(-1);
    expect(pagingStep('ArrowLeft')).toBe(0);
    expect(pagingStep('p')).toBe(0);
  });
});

describe('undoKey', () => {
  const k = (key: string, mods: { ctrlKey?: boolean; metaKey?: boolean; shiftKey?: boolean; altKey?: boolean } = {}) => undoKey({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
  it('Ctrl/Cmd+Z undoes, with Shift (Z upper-cased) or Ctrl+Y redoes; plain keys do nothing', () => {
    expect(k('z', { ctrlKey: true })).toBe('undo');
    expect(k('z', { metaKey: true })).toBe('undo');
    expect(k('Z', { ctrlKey: true, shiftKey: true })).toBe('redo');
    expect(k('y', { ctrlKey: true })).toBe('redo');
    expect(k('z')).toBeNull();
    expect(k('z', { ctrlKey: true, altKey: true })).toBeNull();
  });
});
