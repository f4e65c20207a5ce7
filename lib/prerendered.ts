// Markup that depends on nothing of the request (a drawing, fixed text) rendered once per
// process: an uncached customer page renders only what is personal (issue #21). Preact gets the
// element with its children as inner HTML, so the page's bytes are the same as a full render's.
import { h, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";

interface Part {
  type: string;
  props: Record<string, unknown>;
  inner: string;
}

// By the function that draws the part: one entry per such component in the code base.
const parts = new Map<() => VNode, Part>();

function prerender(draw: () => VNode): Part {
  const el = draw();
  if (typeof el.type !== "string") throw new Error("prerendered: draw() must return an element");
  const { children: _children, ...props } = el.props as Record<string, unknown>;
  // The element's own tags as Preact writes them (an <svg> sets the SVG mode of its children).
  const whole = renderToString(el);
  const empty = renderToString(h(el.type, props));
  const close = `</${el.type}>`;
  const open = empty.slice(0, empty.length - close.length);
  if (!empty.endsWith(close) || !whole.startsWith(open) || !whole.endsWith(close)) {
    throw new Error(`prerendered: <${el.type}> is not a plain element`);
  }
  return { type: el.type, props, inner: whole.slice(open.length, whole.length - close.length) };
}

/** The element `draw()` returns, its children rendered once per process. `draw` must read no
 * input: its output is kept for every customer. */
export function prerendered(draw: () => VNode): VNode {
  let part = parts.get(draw);
  if (part === undefined) parts.set(draw, part = prerender(draw));
  return h(part.type, { ...part.props, dangerouslySetInnerHTML: { __html: part.inner } }) as VNode;
}
