import { prerendered } from "../../lib/prerendered.ts";

/**
 * What a good holder photo looks like, drawn (no real person): a face and an open ID card
 * beside it, both whole and readable, with the tips next to it. SVG presentation attributes
 * only (the CSP allows no style attributes).
 */
export function PhotoExample() {
  return prerendered(drawPhotoExample);
}

/** The drawing itself (exported for the test that compares both renders). */
export function drawPhotoExample() {
  return (
    <figure class="my-3" data-testid="photo-example">
      <svg
        viewBox="0 0 240 170"
        role="img"
        aria-labelledby="photo-example-title"
        class="w-full max-w-[15rem] mx-auto rounded border border-gray-300 bg-gray-50"
      >
        <title id="photo-example-title">
          Exemplo de foto boa: o rosto inteiro e, ao lado, o documento aberto, de frente e legível
        </title>
        {/* The phone's frame. */}
        <rect x="6" y="6" width="228" height="158" rx="10" fill="#ffffff" stroke="#9ca3af" />
        {/* A drawn person: head and shoulders. */}
        <circle cx="78" cy="62" r="26" fill="#d6b49a" />
        <path d="M52 56 Q78 22 104 56 Q100 36 78 34 Q56 36 52 56Z" fill="#374151" />
        <circle cx="69" cy="60" r="3" fill="#1f2937" />
        <circle cx="87" cy="60" r="3" fill="#1f2937" />
        <path d="M70 74 Q78 80 86 74" stroke="#1f2937" stroke-width="2" fill="none" />
        <path d="M30 160 Q34 104 78 100 Q122 104 126 160Z" fill="#0f766e" />
        {/* The hand holding the ID card beside the face. */}
        <rect x="122" y="52" width="92" height="60" rx="6" fill="#e0f2fe" stroke="#0369a1" />
        <rect x="130" y="62" width="24" height="30" rx="3" fill="#d6b49a" />
        <rect x="160" y="64" width="46" height="5" rx="2" fill="#0369a1" />
        <rect x="160" y="74" width="40" height="5" rx="2" fill="#0369a1" />
        <rect x="160" y="84" width="44" height="5" rx="2" fill="#0369a1" />
        <rect x="130" y="98" width="76" height="5" rx="2" fill="#0369a1" />
        <ellipse cx="124" cy="104" rx="10" ry="12" fill="#d6b49a" />
        {/* The check: this is how it should look. */}
        <circle cx="212" cy="140" r="14" fill="#15803d" />
        <path
          d="M205 140 l5 5 l10 -11"
          stroke="#ffffff"
          stroke-width="3"
          fill="none"
          stroke-linecap="round"
        />
      </svg>
      <figcaption class="sr-only">Exemplo de foto boa</figcaption>
    </figure>
  );
}

/** The tips beside the example: what the attendant must be able to read. */
export function PhotoTips() {
  return (
    <ul class="list-disc pl-5 mb-3 text-base" data-testid="photo-tips">
      <li>Rosto inteiro e documento inteiro na foto, lado a lado.</li>
      <li>Documento com foto (RG ou CNH) aberto, de frente e legível.</li>
      <li>Sem reflexo: evite o flash e luz forte em cima do documento.</li>
      <li>Lugar claro; segure o celular firme para a foto não tremer.</li>
    </ul>
  );
}
