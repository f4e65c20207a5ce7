// Password input with a show/hide toggle. Without JavaScript it is a plain password field.
import { useSignal } from "@preact/signals";
import { island } from "../lib/island.ts";

interface Props extends Record<string, unknown> {
  name: string;
  label: string;
  showLabel: string;
  hideLabel: string;
  autocomplete?: string;
  error?: string;
}

function PasswordField(p: Props) {
  const visible = useSignal(false);
  const id = `f-${p.name}`;
  return (
    <div class="mb-4">
      <label for={id} class="block text-sm font-medium mb-1">{p.label}</label>
      <div class="flex gap-2">
        <input
          id={id}
          name={p.name}
          type={visible.value ? "text" : "password"}
          required
          autocomplete={p.autocomplete ?? "current-password"}
          aria-invalid={p.error ? "true" : undefined}
          aria-describedby={p.error ? `${id}-err` : undefined}
          class="flex-1 rounded border border-gray-400 px-3 py-2 text-base focus:outline-none focus:ring-2 focus:ring-brand-600"
        />
        <button
          type="button"
          data-testid="toggle-password"
          aria-pressed={visible.value}
          aria-controls={id}
          onClick={() => visible.value = !visible.value}
          class="rounded border border-gray-400 bg-white px-3 text-sm hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-600"
        >
          {visible.value ? p.hideLabel : p.showLabel}
        </button>
      </div>
      {p.error && <p id={`${id}-err`} class="text-sm text-red-700 mt-1">{p.error}</p>}
    </div>
  );
}

export default island("PasswordField", PasswordField);
