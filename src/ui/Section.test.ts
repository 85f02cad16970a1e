import { describe, expect, it } from 'vitest';
import { readSectionOpen, writeSectionOpen, type SectionStorage } from './Section';

const memoryStorage = (): SectionStorage & { map: Map<string, string> } => {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
};

describe('section open state', () => {
  it('starts from the default and remembers each section apart', () => {
    const s = memoryStorage();
    expect(readSectionOpen(s, 'probe', true)).toBe(true);
    expect(readSectionOpen(s, 'details', false)).toBe(false);
    writeSectionOpen(s, 'probe', false);
    writeSectionOpen(s, 'details', true);
    expect(readSectionOpen(s, 'probe', true)).toBe(false);
    expect(readSectionOpen(s, 'details', false)).toBe(true);
    expect(readSectionOpen(s, 'layers', true)).toBe(true);
    expect([...s.map.keys()].sort()).toEqual(['voxlens.section.details', 'voxlens.section.probe']);
  });
  it('falls back to the default when storage is missing, throws or holds junk', () => {
    const throwing: SectionStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    expect(readSectionOpen(undefined, 'probe', true)).toBe(true);
    expect(readSectionOpen(throwing, 'probe', false)).toBe(false);
    expect(() => writeSectionOpen(throwing, 'probe', true)).not.toThrow();
    const s = memoryStorage();
    s.setItem('voxlens.section.probe', 'yes');
    expect(readSectionOpen(s, 'probe', false)).toBe(false);
  });
});
