import { expect, it } from 'vitest';
import { describeBytes, unknownFormatMessage } from './describeBytes';

const bytes = (s: string) => new TextEncoder().encode(s);

it('tells a web page, JSON and text from binary data', () => {
  expect(describeBytes(bytes('\n  <!DOCTYPE html><html><head>'))).toBe('an HTML page');
  expect(describeBytes(bytes('\ufeff<html lang="en">'))).toBe('an HTML page');
  expect(describeBytes(bytes('{"error": "not found"}'))).toBe('JSON');
  expect(describeBytes(bytes('Not Found\n'))).toBe('text');
  expect(describeBytes(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]))).toBe('binary data starting 1f 8b 08 00 00 00 00 00');
  expect(describeBytes(new Uint8Array(0))).toBe('nothing (an empty body)');
});

it('a URL that answered with a page names the status, the content type and the page', () => {
  const m = unknownFormatMessage('missing.nii', bytes('<!doctype html><html>'), 'NIfTI-1/2', { url: '/missing.nii', status: 200, contentType: 'text/html; charset=utf-8' });
  expect(m).toBe('/missing.nii answered HTTP 200 (text/html) with an HTML page, not a volume Voxlens reads (NIfTI-1/2). Check the URL: a server that does not have the file often answers with its index or a login page.');
  expect(unknownFormatMessage('notes.txt', bytes('hello world, plain text'), 'NIfTI-1/2')).toBe('notes.txt is not a format Voxlens reads (NIfTI-1/2): its first bytes are text.');
});
