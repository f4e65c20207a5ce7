// A code to copy (PIX copia e cola) with a "Copiar" button. Uses the clipboard API when the
// browser has it (secure contexts); otherwise, or when it refuses, selects the text so the
// customer can copy it by hand. Without JavaScript it is a plain read-only text box.
import { useRef } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { island } from "../lib/island.ts";

interface Props extends Record<string, unknown> {
  id: string;
  label: string;
  text: string;
}

function CopyCode({ id, label, text }: Props) {
  const box = useRef<HTMLTextAreaElement>(null);
  const said = useSignal("");
  const selectAll = () => {
    box.current?.focus();
    box.current?.select();
    box.current?.setSelectionRange(0, text.length);
  };
  const copy = async () => {
    try {
      if (!navigator.clipboard?.writeText) throw new Error("no clipboard");
      await navigator.clipboard.writeText(text);
      said.value = "Copiado";
    } catch {
      selectAll();
      said.value = "Código selecionado: use Copiar do seu celular";
    }
  };
  return (
    <div class="mt-2">
      <label for={id} class="block text-sm font-medium">{label}</label>
      <textarea
        id={id}
        ref={box}
        readOnly
        rows={3}
        data-testid="pix-code"
        class="w-full font-mono text-xs rounded border border-gray-400 p-2 break-all"
        value={text}
      />
      <button
        type="button"
        data-testid="pix-copy"
        aria-describedby={`${id}-said`}
        onClick={copy}
        class="mt-1 w-full rounded-lg bg-brand-600 hover:bg-brand-700 text-white font-medium px-4 py-3 focus:outline-none focus:ring-2 focus:ring-offset-2 focus:ring-brand-600"
      >
        Copiar código PIX
      </button>
      <p id={`${id}-said`} aria-live="polite" class="text-sm text-brand-800 mt-1 min-h-[1.25rem]">
        {said.value}
      </p>
    </div>
  );
}

export default island("CopyCode", CopyCode);
