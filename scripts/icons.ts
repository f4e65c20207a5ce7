// Draws the app icons (a white "renewal" arrow on the brand teal) and writes them as PNGs into
// static/icons/: 192 and 512 for "any" (rounded square) and "maskable" (full bleed, the symbol
// inside the 80% safe zone). No dependencies: shapes are sampled 4×4 per pixel for smooth
// edges and the PNG is deflated with CompressionStream. Run: deno run -A scripts/icons.ts
const TEAL = [0x0f, 0x76, 0x6e];
const WHITE = [0xff, 0xff, 0xff];
const SS = 4;

function crcTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}
const CRC = crcTable();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

async function zlib(data: Uint8Array): Promise<Uint8Array> {
  // "deflate" is the zlib format (RFC 1950) that PNG's IDAT expects.
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(
    new CompressionStream("deflate"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function encodePng(size: number, rgba: Uint8Array): Promise<Uint8Array> {
  const raw = new Uint8Array(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    raw.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, size);
  v.setUint32(4, size);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const parts = [
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", await zlib(raw)),
    chunk("IEND", new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), at += p.length);
  return out;
}

/** Background: rounded square (any) or the full square (maskable). Coordinates in 0..1. */
function inBackground(x: number, y: number, maskable: boolean): boolean {
  if (maskable) return true;
  const r = 0.22;
  const dx = Math.max(r - x, 0, x - (1 - r));
  const dy = Math.max(r - y, 0, y - (1 - r));
  return dx * dx + dy * dy <= r * r;
}

/** The symbol: an open ring with an arrow head, scaled by `k` around the centre. */
function inSymbol(x: number, y: number, k: number): boolean {
  const px = (x - 0.5) / k;
  const py = (y - 0.5) / k;
  const d = Math.hypot(px, py);
  const angle = Math.atan2(py, px) * 180 / Math.PI; // y grows downwards
  const ring = d >= 0.2 && d <= 0.3 && !(angle > -90 && angle < -25);
  // Arrow head at the top of the ring, pointing right (clockwise), into the gap.
  const tipX = 0.13, half = 0.11, cy = -0.25;
  const head = px >= 0 && px <= tipX && Math.abs(py - cy) <= half * (1 - px / tipX);
  return ring || head;
}

export function drawIcon(size: number, maskable: boolean): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const k = maskable ? 0.8 : 1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let bg = 0, fg = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const u = (x + (sx + 0.5) / SS) / size;
          const w = (y + (sy + 0.5) / SS) / size;
          if (inBackground(u, w, maskable)) {
            bg++;
            if (inSymbol(u, w, k)) fg++;
          }
        }
      }
      const i = (y * size + x) * 4;
      const t = bg ? fg / bg : 0;
      for (let c = 0; c < 3; c++) out[i + c] = Math.round(TEAL[c] * (1 - t) + WHITE[c] * t);
      out[i + 3] = Math.round(255 * bg / (SS * SS));
    }
  }
  return out;
}

if (import.meta.main) {
  const dir = new URL("../static/icons/", import.meta.url);
  await Deno.mkdir(dir, { recursive: true });
  for (const size of [192, 512]) {
    for (const maskable of [false, true]) {
      const name = `${maskable ? "maskable" : "icon"}-${size}.png`;
      const png = await encodePng(size, drawIcon(size, maskable));
      await Deno.writeFile(new URL(name, dir), png);
      console.log(`static/icons/${name}: ${png.length} bytes`);
    }
  }
}
