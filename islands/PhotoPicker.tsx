// Photo input for the holder check. Two buttons: the camera (the phone picks the lens; the
// customer can turn it, no front camera forced) or the gallery. Both are labels styled as
// buttons over visually hidden file inputs (still focusable and labelled), so Chromium's
// English "Choose File" never shows. The chosen photo is shrunk on the phone before it is sent
// (mobile data): a JPEG of at most 1600 px a side, the original when the browser cannot. The
// server checks and re-encodes whatever arrives; this only saves a wasted or heavy upload.
// One message slot: a new problem replaces the old one (the server's, or an earlier one).
import { useEffect, useRef } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { island } from "../lib/island.ts";
import { PHOTO_TYPES } from "../domain/limits.ts";

interface Props extends Record<string, unknown> {
  maxBytes: number;
  error?: string;
}

const TYPES: readonly string[] = PHOTO_TYPES;
/** Longest side sent: the server keeps at most this too (services/images/holder_photo.ts). */
export const SEND_MAX_SIDE = 1600;
const JPEG_QUALITY = 0.85;

/** A JPEG of at most SEND_MAX_SIDE px a side, or undefined when this browser cannot make one
 * or it would not be smaller. Uprights by EXIF before scaling (imageOrientation). */
async function shrink(file: File): Promise<File | undefined> {
  try {
    if (typeof createImageBitmap !== "function") return undefined;
    const bmp = await createImageBitmap(file, { imageOrientation: "from-image" });
    const scale = Math.min(1, SEND_MAX_SIDE / Math.max(bmp.width, bmp.height));
    const w = Math.max(1, Math.round(bmp.width * scale));
    const h = Math.max(1, Math.round(bmp.height * scale));
    const canvas = document.createElement("canvas");
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext("2d");
    if (!ctx || typeof canvas.toBlob !== "function") return undefined;
    ctx.drawImage(bmp, 0, 0, w, h);
    bmp.close?.();
    const blob = await new Promise<Blob | null>((ok) =>
      canvas.toBlob(ok, "image/jpeg", JPEG_QUALITY)
    );
    if (!blob || blob.type !== "image/jpeg") return undefined;
    // Already small and not larger than the limit: the original is as good.
    if (scale === 1 && blob.size >= file.size) return undefined;
    const name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
    return new File([blob], name, { type: "image/jpeg", lastModified: Date.now() });
  } catch {
    return undefined; // could not decode here (e.g. an unsupported type): send the original
  }
}

/** Puts `file` in the input (what the form sends), when the browser allows it. */
function replaceFile(input: HTMLInputElement, file: File): boolean {
  try {
    const dt = new DataTransfer();
    dt.items.add(file);
    input.files = dt.files;
    return input.files?.[0] === file || input.files?.[0]?.size === file.size;
  } catch {
    return false;
  }
}

// Drawn icons: emoji fonts are missing on some cheap phones (and in headless Chromium).
function CameraIcon() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" class="h-6 w-6 shrink-0">
      <path
        d="M4 7h3l2-2h6l2 2h3v12H4z"
        fill="none"
        stroke="currentColor"
        stroke-width="2"
        stroke-linejoin="round"
      />
      <circle cx="12" cy="13" r="3.5" fill="none" stroke="currentColor" stroke-width="2" />
    </svg>
  );
}

function GalleryIcon() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" class="h-6 w-6 shrink-0">
      <rect
        x="3"
        y="4"
        width="18"
        height="16"
        rx="2"
        fill="none"
        stroke="currentColor"
        stroke-width="2"
      />
      <circle cx="9" cy="10" r="2" fill="currentColor" />
      <path d="M4 18l5-5 4 4 3-3 4 4" fill="none" stroke="currentColor" stroke-width="2" />
    </svg>
  );
}

const kb = (n: number) =>
  n >= 1024 * 1024
    ? `${(n / 1024 / 1024).toFixed(1).replace(".", ",")} MB`
    : `${Math.round(n / 1024)} KB`;

function PhotoPicker({ maxBytes, error }: Props) {
  const preview = useSignal<string | null>(null);
  const problem = useSignal<string | undefined>(error);
  const note = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);
  const camera = useRef<HTMLInputElement>(null);
  const gallery = useRef<HTMLInputElement>(null);

  const choose = async (input: HTMLInputElement) => {
    const other = input === camera.current ? gallery.current : camera.current;
    if (other) other.value = ""; // only the photo just chosen is sent
    const file = input.files?.[0];
    if (preview.value) URL.revokeObjectURL(preview.value);
    preview.value = null;
    note.value = undefined;
    problem.value = undefined; // the new choice replaces any earlier message
    if (!file) return;
    if (!TYPES.includes(file.type)) {
      problem.value = "Envie uma foto em JPG, PNG ou WEBP.";
      input.value = "";
      return;
    }
    busy.value = true;
    const small = await shrink(file);
    busy.value = false;
    const sent = small && replaceFile(input, small) ? small : file;
    if (sent.size > maxBytes) {
      problem.value = `A foto passa de ${
        Math.round(maxBytes / 1024 / 1024)
      } MB. Tire outra com menor resolução.`;
      input.value = "";
      return;
    }
    if (sent !== file) {
      note.value = `Foto reduzida para o envio: ${kb(file.size)} → ${kb(sent.size)}.`;
    }
    preview.value = URL.createObjectURL(sent);
  };
  const onChange = (e: Event) => choose(e.currentTarget as HTMLInputElement);
  // A photo chosen while the script was still loading (a slow phone) fired its change before
  // this island listened: handle it now, so it gets its preview and is shrunk like any other.
  useEffect(() => {
    const chosen = [camera.current, gallery.current].find((i) => i?.files?.length);
    if (chosen) void choose(chosen);
  }, []);

  const btn =
    "flex-1 flex items-center justify-center gap-2 rounded-lg border-2 border-brand-600 bg-white px-3 py-3 text-base font-medium text-brand-800 cursor-pointer hover:bg-brand-50 focus-within:ring-2 focus-within:ring-offset-2 focus-within:ring-brand-600";
  return (
    <fieldset class="mb-4" aria-describedby={problem.value ? "photo-err" : undefined}>
      <legend class="block font-medium mb-2">Foto segurando o documento</legend>
      {problem.value && (
        <p
          id="photo-err"
          role="alert"
          class="mb-3 rounded border border-red-700 bg-red-50 p-3 text-red-800"
        >
          {problem.value}
        </p>
      )}
      <div class="flex flex-wrap gap-2">
        <label class={btn}>
          <input
            ref={camera}
            type="file"
            name="photo"
            accept={PHOTO_TYPES.join(",")}
            {
              // `capture` without a facing mode: the camera opens and the phone picks the lens
              // (the customer can turn it); "user" forced the front camera. Preact's types only
              // know the two facing modes.
              ...{ capture: "" } as Record<string, string>
            }
            onChange={onChange}
            class="sr-only"
            data-testid="photo-camera"
          />
          <CameraIcon /> Tirar foto
        </label>
        <label class={btn}>
          <input
            ref={gallery}
            type="file"
            name="photo"
            accept={PHOTO_TYPES.join(",")}
            onChange={onChange}
            class="sr-only"
            data-testid="photo-gallery"
          />
          <GalleryIcon /> Escolher da galeria
        </label>
      </div>
      {busy.value && <p class="mt-2 text-sm" role="status">Preparando a foto…</p>}
      {note.value && <p class="mt-2 text-sm text-gray-700" data-testid="photo-size">{note.value}
      </p>}
      {preview.value && (
        <img
          src={preview.value}
          alt="Prévia da foto escolhida"
          class="mt-3 max-h-72 rounded border"
          data-testid="photo-preview"
        />
      )}
    </fieldset>
  );
}

export default island("PhotoPicker", PhotoPicker);
