// Photo input for the holder check: opens the camera on phones, shows a preview, and checks
// type and size before sending (the server checks again; this only saves a wasted upload).
import { useSignal } from "@preact/signals";
import { island } from "../lib/island.ts";
import { PHOTO_TYPES } from "../domain/limits.ts";

interface Props extends Record<string, unknown> {
  maxBytes: number;
  error?: string;
}

const TYPES: readonly string[] = PHOTO_TYPES;

function PhotoPicker({ maxBytes, error }: Props) {
  const preview = useSignal<string | null>(null);
  const problem = useSignal<string | undefined>(error);
  const onChange = (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (preview.value) URL.revokeObjectURL(preview.value);
    preview.value = null;
    problem.value = undefined;
    if (!file) return;
    if (!TYPES.includes(file.type)) {
      problem.value = "Envie uma foto em JPG, PNG ou WEBP.";
      input.value = "";
      return;
    }
    if (file.size > maxBytes) {
      problem.value = `A foto passa de ${
        Math.round(maxBytes / 1024 / 1024)
      } MB. Tire outra com menor resolução.`;
      input.value = "";
      return;
    }
    preview.value = URL.createObjectURL(file);
  };
  return (
    <div class="mb-4">
      <label for="photo" class="block font-medium mb-2">Foto segurando o documento</label>
      <input
        id="photo"
        name="photo"
        type="file"
        accept={PHOTO_TYPES.join(",")}
        capture="user"
        required
        onChange={onChange}
        aria-describedby={problem.value ? "photo-err" : undefined}
        class="block w-full text-base file:mr-3 file:rounded file:border-0 file:bg-brand-600 file:px-4 file:py-3 file:text-white"
      />
      {problem.value && <p id="photo-err" role="alert" class="text-red-700 mt-2">{problem.value}
      </p>}
      {preview.value && (
        <img
          src={preview.value}
          alt="Prévia da foto escolhida"
          class="mt-3 max-h-72 rounded border"
          data-testid="photo-preview"
        />
      )}
    </div>
  );
}

export default island("PhotoPicker", PhotoPicker);
