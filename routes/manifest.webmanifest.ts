// The web app manifest: makes the attendant console installable (Chromium, Android, desktop).
import { define } from "../lib/route.ts";
import { type Asset, assetUrl } from "../lib/assets.ts";

export const MANIFEST = {
  id: "/app",
  name: "Renova — Renovações de contrato",
  short_name: "Renova",
  description: "Fila de renovações do atendente, também sem conexão.",
  lang: "pt-BR",
  dir: "ltr",
  start_url: "/app",
  scope: "/",
  display: "standalone",
  orientation: "any",
  theme_color: "#0f766e",
  background_color: "#f9fafb",
  icons: [
    { src: "/static/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
    { src: "/static/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
    {
      src: "/static/icons/maskable-192.png",
      sizes: "192x192",
      type: "image/png",
      purpose: "maskable",
    },
    {
      src: "/static/icons/maskable-512.png",
      sizes: "512x512",
      type: "image/png",
      purpose: "maskable",
    },
  ],
};

export default define({
  // Browsers fetch the manifest without cookies, and it holds nothing personal.
  access: "public",
  GET: (c) => {
    c.header("Content-Type", "application/manifest+json; charset=utf-8");
    c.header("Cache-Control", "no-cache");
    // Icons by their fingerprinted names (lib/assets.ts), cached for good once fetched.
    const icons = MANIFEST.icons.map((i) => ({
      ...i,
      src: assetUrl(i.src.slice("/static/".length) as Asset),
    }));
    return c.body(JSON.stringify({ ...MANIFEST, icons }));
  },
});
