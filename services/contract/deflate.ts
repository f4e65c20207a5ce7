/**
 * pdf-lib deflates every content and font stream with pako (zlib ported to JavaScript): about a
 * fifth of a signed contract's CPU. node:zlib is the same algorithm at the same level, native,
 * several times faster. pdf-lib takes no compressor option, so the pako module it requires gets
 * the native deflate (one shared module object per process); inflate (reading) is unchanged.
 */
import pako from "pako";
import zlib from "node:zlib";

type Deflate = (data: Uint8Array, opts?: { level?: number }) => Uint8Array;
const shared = pako as unknown as { deflate: Deflate; nativeDeflate?: true };

if (!shared.nativeDeflate) {
  shared.deflate = (data, opts) =>
    zlib.deflateSync(data, { level: opts?.level ?? zlib.constants.Z_DEFAULT_COMPRESSION });
  shared.nativeDeflate = true;
}
