// Optional drawn signature: a touch-friendly canvas whose drawing is sent as a PNG data URL in
// a hidden field. The server stamps it into the PDF it rendered; the typed name and the code
// are what make the signature, so the drawing can be skipped.
import { useRef } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { island } from "../lib/island.ts";

function SignaturePad(_: Record<string, never>) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const value = useSignal("");
  const drawing = useRef(false);
  const point = (e: PointerEvent) => {
    const r = canvas.current!.getBoundingClientRect();
    return [
      (e.clientX - r.left) * (canvas.current!.width / r.width),
      (e.clientY - r.top) * (canvas.current!.height / r.height),
    ];
  };
  const down = (e: PointerEvent) => {
    drawing.current = true;
    canvas.current!.setPointerCapture(e.pointerId);
    const ctx = canvas.current!.getContext("2d")!;
    const [x, y] = point(e);
    ctx.beginPath();
    ctx.moveTo(x, y);
  };
  const move = (e: PointerEvent) => {
    if (!drawing.current) return;
    e.preventDefault();
    const ctx = canvas.current!.getContext("2d")!;
    ctx.lineWidth = 3;
    ctx.lineCap = "round";
    ctx.strokeStyle = "#111827";
    const [x, y] = point(e);
    ctx.lineTo(x, y);
    ctx.stroke();
  };
  const up = () => {
    if (!drawing.current) return;
    drawing.current = false;
    value.value = canvas.current!.toDataURL("image/png");
  };
  const clear = () => {
    const c = canvas.current!;
    c.getContext("2d")!.clearRect(0, 0, c.width, c.height);
    value.value = "";
  };
  return (
    <div class="mt-3">
      <p id="pad-label" class="mb-1">Desenhe sua assinatura (opcional)</p>
      <canvas
        ref={canvas}
        width={600}
        height={180}
        role="img"
        aria-labelledby="pad-label"
        data-testid="signature-pad"
        class="w-full h-36 rounded border border-gray-400 bg-white touch-none"
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerLeave={up}
      />
      <input type="hidden" name="drawnSignature" value={value.value} />
      <button type="button" onClick={clear} class="mt-1 text-sm text-brand-700 underline">
        Limpar desenho
      </button>
    </div>
  );
}

export default island("SignaturePad", SignaturePad);
