// Parts of a customer page that read no input are rendered once per process and spliced in as
// inner HTML (lib/prerendered.ts, issue #21): the page's bytes must stay those of a full render.
import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { prerendered } from "../../lib/prerendered.ts";
import { drawPhotoExample, PhotoExample } from "../../components/customer/PhotoExample.tsx";
import { drawRouter, RouterIllustration } from "../../components/customer/RouterIllustration.tsx";

Deno.test("prerendered: the customer drawings render the same bytes as drawn in full", () => {
  assert.equal(renderToString(<PhotoExample />), renderToString(drawPhotoExample()));
  assert.equal(renderToString(<RouterIllustration />), renderToString(drawRouter()));
});

Deno.test("prerendered: a part is drawn once, however many pages render it", () => {
  let draws = 0;
  const draw = () => {
    draws++;
    return (
      <svg viewBox="0 0 10 10" class="w-4">
        <path d="M0 0 L 10 10" stroke-width="2" stroke-linecap="round" />
        <text x="1" y="9">a &lt; b</text>
      </svg>
    );
  };
  const first = renderToString(<div>{prerendered(draw)}</div>);
  const second = renderToString(<div>{prerendered(draw)}</div>);
  assert.equal(draws, 1);
  assert.equal(first, second);
  assert.equal(first, renderToString(<div>{draw()}</div>));
});
