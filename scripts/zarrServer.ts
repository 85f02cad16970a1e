// A procedural OME-Zarr image over HTTP, for tests (and anyone who wants to browse a volume no
// machine holds): every chunk is computed from a formula of its voxel coordinates when asked for,
// so the image can be as large as Zarr allows (by default 65536 × 65536 × 16384 uint16, 128 TiB
// at full resolution) and any probe can be checked against the formula.
//
// NGFF 0.4 on Zarr v2, uncompressed chunks ("compressor": null), levels 0…L where level l keeps
// every 2^l-th voxel along every axis (value = the formula at the full-resolution voxel it stands
// for) with scale 2^l. Answers CORS (Access-Control-Allow-Origin: *) and CORP (cross-origin), so a
// cross-origin-isolated page on another port can read it. Listens on 127.0.0.1 only.
//
//   npx tsx scripts/zarrServer.ts [--port 8150]   →   http://127.0.0.1:8150/procedural.ome.zarr
import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';

export interface ProceduralImage {
  /** [nx, ny, nz] at full resolution. */
  dims: [number, number, number];
  chunk: number;
  levels: number;
}

export const DEFAULT_IMAGE: ProceduralImage = { dims: [65536, 65536, 16384], chunk: 64, levels: 11 };

/**
 * The stored value (uint16) of full-resolution voxel (i, j, k): blocks of 1024 × 1024 × 256 voxels
 * that coarse levels show, plus fine detail that differs from voxel to voxel at every level.
 */
export const proceduralValue = (i: number, j: number, k: number): number =>
  (Math.floor(i / 1024) * 97 + Math.floor(j / 1024) * 89 + Math.floor(k / 256) * 83 + ((i * 7 + j * 13 + k * 31) % 251)) % 65536;

const NAME = 'procedural.ome.zarr';

function levelDims(image: ProceduralImage, level: number): [number, number, number] {
  return image.dims.map((n) => Math.max(1, Math.ceil(n / 2 ** level))) as [number, number, number];
}

/** The metadata documents and chunks of the image, by path under the group; undefined for anything else. */
export function proceduralFile(image: ProceduralImage, path: string): Uint8Array | string | undefined {
  if (path === '.zgroup') return JSON.stringify({ zarr_format: 2 });
  if (path === '.zattrs') {
    const axes = ['z', 'y', 'x'].map((name) => ({ name, type: 'space', unit: 'micrometer' }));
    const datasets = Array.from({ length: image.levels }, (_, l) => ({ path: String(l), coordinateTransformations: [{ type: 'scale', scale: [2 ** l, 2 ** l, 2 ** l] }] }));
    return JSON.stringify({ multiscales: [{ version: '0.4', name: 'procedural', axes, datasets }] });
  }
  const array = /^(\d+)\/\.zarray$/.exec(path);
  if (array) {
    const l = Number(array[1]);
    if (l >= image.levels) return undefined;
    const [nx, ny, nz] = levelDims(image, l);
    return JSON.stringify({ zarr_format: 2, shape: [nz, ny, nx], chunks: [image.chunk, image.chunk, image.chunk], dtype: '<u2', compressor: null, fill_value: 0, order: 'C', filters: null, dimension_separator: '/' });
  }
  const chunk = /^(\d+)\/(\d+)\/(\d+)\/(\d+)$/.exec(path);
  if (!chunk) return undefined;
  const [l, ck, cj, ci] = chunk.slice(1).map(Number);
  if (l >= image.levels) return undefined;
  const dims = levelDims(image, l);
  const c = image.chunk;
  if (ci * c >= dims[0] || cj * c >= dims[1] || ck * c >= dims[2]) return undefined;
  const out = new Uint16Array(c * c * c);
  const f = 2 ** l;
  for (let z = 0; z < c; z++) {
    const k = ck * c + z;
    if (k >= dims[2]) break;
    for (let y = 0; y < c; y++) {
      const j = cj * c + y;
      if (j >= dims[1]) break;
      for (let x = 0; x < c; x++) {
        const i = ci * c + x;
        if (i >= dims[0]) break;
        out[(z * c + y) * c + x] = proceduralValue(i * f, j * f, k * f);
      }
    }
  }
  return new Uint8Array(out.buffer);
}

export interface ProceduralServer {
  /** The image group's URL. */
  url: string;
  /** Chunk requests answered so far. */
  chunksServed(): number;
  stop(): Promise<void>;
}

export function startProceduralZarr(image: ProceduralImage = DEFAULT_IMAGE, port = 0): Promise<ProceduralServer> {
  let chunks = 0;
  const server: Server = createServer((req, res) => {
    const headers = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin', 'Cache-Control': 'no-store' };
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    const body = path.startsWith(`${NAME}/`) ? proceduralFile(image, path.slice(NAME.length + 1)) : undefined;
    if (body === undefined) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    if (typeof body !== 'string') chunks++;
    res.writeHead(200, { ...headers, 'Content-Type': typeof body === 'string' ? 'application/json' : 'application/octet-stream', 'Content-Length': typeof body === 'string' ? Buffer.byteLength(body) : body.length });
    res.end(typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve({
        url: `http://127.0.0.1:${actual}/${NAME}`,
        chunksServed: () => chunks,
        stop: () => new Promise((done) => server.close(() => done())),
      });
    }),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--port');
  void startProceduralZarr(DEFAULT_IMAGE, i >= 0 ? Number(process.argv[i + 1]) : 8150).then((s) => console.log(`serving ${s.url} (${DEFAULT_IMAGE.dims.join(' × ')} uint16, ${DEFAULT_IMAGE.levels} levels)`));
}
