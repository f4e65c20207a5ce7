// Small accessible form parts: every input has a label, errors are tied with aria-describedby.
import type { ComponentChildren } from "preact";
import { newSubmissionId } from "../services/submissions.ts";

/** The CSRF token, and the form's submission id: the same form sent twice is one change. */
export function CsrfField({ token }: { token?: string }) {
  return (
    <>
      <input type="hidden" name="_csrf" value={token ?? ""} />
      <input type="hidden" name="_sub" value={newSubmissionId()} />
    </>
  );
}

interface FieldProps {
  name: string;
  label: string;
  type?: string;
  value?: string;
  error?: string;
  required?: boolean;
  autocomplete?: string;
  inputmode?: string;
}

export function Field(p: FieldProps) {
  const id = `f-${p.name}`;
  return (
    <div class="mb-4">
      <label for={id} class="block text-sm font-medium mb-1">{p.label}</label>
      <input
        id={id}
        name={p.name}
        type={p.type ?? "text"}
        value={p.value}
        required={p.required}
        autocomplete={p.autocomplete}
        inputMode={p.inputmode as "text"}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={p.error ? `${id}-err` : undefined}
        class={`w-full rounded border px-3 py-2 text-base focus:outline-none focus:ring-2 focus:ring-brand-600 ${
          p.error ? "border-red-700" : "border-gray-400"
        }`}
      />
      {p.error && <p id={`${id}-err`} class="text-sm text-red-700 mt-1">{p.error}</p>}
    </div>
  );
}

export function ErrorBox({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <div role="alert" class="mb-4 rounded border border-red-700 bg-red-50 p-3 text-red-800">
      {message}
    </div>
  );
}

export function Notice({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <div role="status" class="mb-4 rounded border border-brand-600 bg-brand-50 p-3 text-brand-800">
      {message}
    </div>
  );
}

export function Button(
  { children, variant = "primary", type = "submit" }: {
    children: ComponentChildren;
    variant?: "primary" | "secondary" | "danger";
    type?: "submit" | "button";
  },
) {
  const styles = {
    primary: "bg-brand-600 hover:bg-brand-700 text-white",
    secondary: "bg-white hover:bg-gray-100 text-gray-900 border border-gray-400",
    danger: "bg-red-700 hover:bg-red-800 text-white",
  };
  return (
    <button
      type={type}
      class={`${
        styles[variant]
      } rounded px-4 py-2 font-medium focus:outline-none focus:ring-2 focus:ring-offset-2 focus:ring-brand-600`}
    >
      {children}
    </button>
  );
}
