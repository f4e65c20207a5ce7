// The PIX QR code for a web page: an SVG drawn on the server with bwip-js (the same encoder and
// error-correction level as the carnê PDF), as a data: URL an <img> can show (the CSP allows
// data: images; no script, no extra request). Pure: no store access.
import bwipjs from "bwip-js";

/** bwip-js options its typings do not list. */
type BwipSvgOptions = Parameters<typeof bwipjs.toSVG>[0] & { eclevel?: string };

/** The SVG of the QR code that encodes `payload` (the PIX copia-e-cola string), with its quiet zone. */
export function pixQrSvg(payload: string): string {
  const opts: BwipSvgOptions = {
    bcid: "qrcode",
    text: payload,
    eclevel: "M",
    scale: 4,
    paddingwidth: 4,
    paddingheight: 4,
    backgroundcolor: "FFFFFF",
  };
  return bwipjs.toSVG(opts);
}

/** The same, as a data: URL for an <img src>. */
export function pixQrDataUrl(payload: string): string {
  const bytes = new TextEncoder().encode(pixQrSvg(payload));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return `data:image/svg+xml;base64,${btoa(bin)}`;
}
