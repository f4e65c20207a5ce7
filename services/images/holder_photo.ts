// Holder photos are untrusted uploads shown to attendants: each one is decoded and re-encoded
// here, so what is stored is a plain review-size JPEG made by us (no EXIF/GPS/camera/author
// metadata, no bytes of a polyglot's second format). sharp (libvips, prebuilt native build from
// npm) is used because it reads the header without decoding, streams the decode in bounded
// memory and applies the EXIF orientation; see docs/ARCHITECTURE.md ("Holder photos").
import sharp from "sharp";
import { ValidationError } from "../errors.ts";

/** Larger images are refused from their header alone, before any pixel is decoded (~40 MP). */
export const MAX_PHOTO_PIXELS = 40_000_000;
/** Review size: the longest side of the stored photo, and its JPEG quality. */
export const REVIEW_MAX_SIDE = 1600;
export const REVIEW_JPEG_QUALITY = 85;
/** At most this many decodes at once per process: bounds memory and CPU under a burst. */
const MAX_CONCURRENT = 2;

sharp.cache(false); // every photo is seen once: libvips' operation cache only holds memory
sharp.concurrency(1); // one libvips thread per image; the server shares few cores

export type ImageType = "image/jpeg" | "image/png" | "image/webp";

/** Image type from the file's first bytes: the browser's declared type is not trusted. */
export function sniffImage(bytes: Uint8Array): ImageType | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if ([0x89, 0x50, 0x4e, 0x47].every((b, i) => bytes[i] === b)) return "image/png";
  const ascii = (a: number, b: number) => String.fromCharCode(...bytes.subarray(a, b));
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  return null;
}

const FORMATS: Record<ImageType, string> = {
  "image/jpeg": "jpeg",
  "image/png": "png",
  "image/webp": "webp",
};

const UNREADABLE = "Não conseguimos ler esta imagem. Tire outra foto e envie em JPG, PNG ou WEBP.";

export interface ImageHeader {
  type: ImageType;
  width: number;
  height: number;
  /** EXIF orientation (1–8), 1 when absent. */
  orientation: number;
}

/** Type, dimensions and orientation from the header only (no pixel data is decoded). */
export async function readImageHeader(bytes: Uint8Array): Promise<ImageHeader> {
  const type = sniffImage(bytes);
  if (!type) throw new ValidationError({ photo: "Envie uma foto em JPG, PNG ou WEBP." });
  const m = await sharp(bytes, { limitInputPixels: false }).metadata().catch(() => {
    throw new ValidationError({ photo: UNREADABLE });
  });
  // The decoder must be the one the magic bytes promised: no format switching behind our back.
  if (m.format !== FORMATS[type] || !(m.width > 0) || !(m.height > 0)) {
    throw new ValidationError({ photo: UNREADABLE });
  }
  return { type, width: m.width, height: m.height, orientation: m.orientation ?? 1 };
}

export interface ReviewImage {
  data: Uint8Array;
  contentType: "image/jpeg";
  width: number;
  height: number;
}

let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(fn: () => Promise<T>): Promise<T> {
  while (running >= MAX_CONCURRENT) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * Checks the header, then decodes, turns upright (EXIF orientation), flattens transparency on
 * white, shrinks to review size and re-encodes as a metadata-free JPEG.
 */
export async function toReviewJpeg(bytes: Uint8Array): Promise<ReviewImage> {
  const h = await readImageHeader(bytes);
  if (h.width * h.height > MAX_PHOTO_PIXELS) {
    throw new ValidationError({
      photo: `A foto tem resolução alta demais (${
        Math.round(h.width * h.height / 1e6)
      } megapixels; o máximo é ${MAX_PHOTO_PIXELS / 1e6}). Tire outra com menor resolução.`,
    });
  }
  try {
    return await limited(async () => {
      // limitInputPixels again at the decoder: the header check must not be the only guard.
      // failOn "error", not "warning": phone JPEGs often carry harmless decoder warnings (extra
      // bytes before a marker), and what is kept is our re-encode, never the input.
      const { data, info } = await sharp(bytes, {
        limitInputPixels: MAX_PHOTO_PIXELS,
        failOn: "error",
        autoOrient: true,
      })
        .resize({
          width: REVIEW_MAX_SIDE,
          height: REVIEW_MAX_SIDE,
          fit: "inside",
          withoutEnlargement: true,
        })
        .flatten({ background: "#ffffff" })
        .jpeg({ quality: REVIEW_JPEG_QUALITY })
        .toBuffer({ resolveWithObject: true });
      return {
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        contentType: "image/jpeg" as const,
        width: info.width,
        height: info.height,
      };
    });
  } catch {
    throw new ValidationError({ photo: UNREADABLE });
  }
}
