// A static server for the benchmark: the production app at /, the benchmark pages at /bench/,
// volumes at /data/ and ../shared/data at /shared/. Every response carries the cross-origin
// isolation headers. Listens on 127.0.0.1 only.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * `proxies` forwards a path prefix to another server (the PACS at /dicom-web, as vite's dev and
 * preview servers do), adding the isolation headers to its answers.
 */
export function serve(mounts: Record<string, string>, port = 0, proxies: Record<string, string> = {}): Promise<{ server: Server; url: string }> {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer((req, res) => {
    const proxy = Object.keys(proxies).find((p) => (req.url ?? '').startsWith(p));
    if (proxy !== undefined) {
      const target = new URL(req.url!, proxies[proxy]);
      // Uncompressed answers, as vite.config.ts's proxy asks (a PACS gzipping each instance is slower than sending it).
      const forward = request(target, { method: req.method, headers: { ...req.headers, host: target.host, 'accept-encoding': 'identity' } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'Cross-Origin-Resource-Policy': 'same-origin', 'Cache-Control': 'no-store' });
        answer.pipe(res);
      });
      forward.on('error', (e) => res.writeHead(502).end(String(e)));
      req.pipe(forward);
      return;
    }
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const prefix = prefixes.find((p) => path.startsWith(p));
    let file = prefix !== undefined ? join(mounts[prefix], normalize(path.slice(prefix.length)).replace(/^(\.\.[/\\])+/, '')) : '';
    if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    if (!file || !existsSync(file)) {
      res.writeHead(404, headers).end('not found');
      return;
    }
    const size = statSync(file).size;
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    // Ranges, as any static server answers them (the DICOM worker reads headers with a Range).
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (range && Number(range[1]) < size) {
      const start = Number(range[1]);
      const end = Math.min(size - 1, range[2] ? Number(range[2]) : size - 1);
      res.writeHead(206, { ...headers, 'Content-Type': type, 'Content-Length': end - start + 1, 'Content-Range': `bytes ${start}-${end}/${size}`, 'Accept-Ranges': 'bytes' });
      createReadStream(file, { start, end }).pipe(res);
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': size, 'Accept-Ranges': 'bytes' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => {
    const address = server.address();
    resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}` });
  }));
}
