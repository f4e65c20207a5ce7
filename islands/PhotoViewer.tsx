// The holder photo for review: full size with zoom and rotate, operable by mouse and keyboard
// (buttons, or + − R Shift+R 0 inside the photo area; the arrows then scroll the zoomed photo).
// Without JavaScript it is the photo fitted to the box and a link to the full-size file.
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { island } from "../lib/island.ts";

interface Props extends Record<string, unknown> {
  src: string;
  alt: string;
}

const ZOOMS = [1, 1.5, 2, 3, 4] as const;

const btn =
  "rounded border border-gray-400 bg-white px-3 py-1.5 text-sm hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-600";

function PhotoViewer({ src, alt }: Props) {
  const zoom = useSignal(0); // index into ZOOMS
  const turns = useSignal(0); // quarter turns clockwise, 0..3
  const img = useRef<HTMLImageElement>(null);
  // Sizes are set through the CSSOM (allowed by the CSP), never as a style attribute.
  useEffect(() => {
    const el = img.current;
    if (!el) return;
    const z = ZOOMS[zoom.value];
    el.style.transform = turns.value ? `rotate(${turns.value * 90}deg)` : "";
    el.style.width = z > 1 ? `${z * 100}%` : "";
    el.style.maxWidth = z > 1 ? "none" : "";
    el.style.maxHeight = z > 1 ? "none" : "";
  }, [zoom.value, turns.value]);
  const zoomIn = () => (zoom.value = Math.min(zoom.value + 1, ZOOMS.length - 1));
  const zoomOut = () => (zoom.value = Math.max(zoom.value - 1, 0));
  const rotate = (by: number) => (turns.value = (turns.value + by + 4) % 4);
  const reset = () => {
    zoom.value = 0;
    turns.value = 0;
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key;
    if (k === "+" || k === "=") zoomIn();
    else if (k === "-" || k === "_") zoomOut();
    else if (k === "r") rotate(1);
    else if (k === "R") rotate(-1);
    else if (k === "0") reset();
    else return;
    e.preventDefault();
    e.stopPropagation(); // the page's own shortcuts do not fire from here
  };
  const state = `Zoom ${Math.round(ZOOMS[zoom.value] * 100)}% · rotação ${turns.value * 90}°`;
  return (
    <div data-testid="photo-viewer">
      <div class="flex flex-wrap gap-2 mb-2" role="toolbar" aria-label="Ajustar a foto">
        <button
          type="button"
          class={btn}
          onClick={zoomIn}
          aria-keyshortcuts="+"
          disabled={zoom.value === ZOOMS.length - 1}
        >
          Ampliar (+)
        </button>
        <button
          type="button"
          class={btn}
          onClick={zoomOut}
          aria-keyshortcuts="-"
          disabled={zoom.value === 0}
        >
          Reduzir (−)
        </button>
        <button type="button" class={btn} onClick={() => rotate(1)} aria-keyshortcuts="R">
          Girar (R)
        </button>
        <button type="button" class={btn} onClick={reset} aria-keyshortcuts="0">
          Ajustar (0)
        </button>
        <a
          href={src}
          target="_blank"
          rel="noopener"
          class="self-center text-sm text-brand-700 underline"
        >
          Abrir em tamanho real
        </a>
      </div>
      <div
        tabIndex={0}
        role="group"
        aria-label={`${alt}. ${state}. Use + e − para ampliar, R para girar, 0 para ajustar e as setas para mover.`}
        onKeyDown={onKey}
        data-testid="photo-area"
        data-shortcut="f"
        aria-keyshortcuts="F"
        class="overflow-auto max-h-[70vh] min-h-[16rem] rounded border bg-gray-900 p-2 focus:outline-none focus:ring-2 focus:ring-brand-600"
      >
        <img
          ref={img}
          src={src}
          alt={alt}
          data-testid="holder-photo"
          class="block m-auto max-w-full max-h-[68vh]"
        />
      </div>
      <p class="text-sm text-gray-700 mt-1" aria-live="polite" data-testid="photo-state">
        {state}
      </p>
    </div>
  );
}

export default island("PhotoViewer", PhotoViewer);
