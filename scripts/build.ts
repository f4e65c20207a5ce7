// Build step: regenerate the manifests, then bundle the islands for the browser with Deno's
// built-in bundler, one entry per island and shared chunks, into static/build/islands/
// (git-ignored, rebuilt on start and test: lib/island_bundle.ts), then fingerprint the assets
// pages link (lib/assets.ts): content-hashed copies and assets.json.
import { writeManifests } from "./manifest.ts";
import { islandClasses, islandClassMap, safelistModule } from "../lib/island_classes.ts";
import { fingerprintAssets } from "../lib/fingerprint.ts";
import { bundleIslands } from "../lib/island_bundle.ts";

const root = new URL("../", import.meta.url);
// Tests build with --bundle-only so a stale committed manifest fails its test instead of
// being silently regenerated.
if (!Deno.args.includes("--bundle-only")) {
  await writeManifests(root);
  // The twind safelist: every class in the islands' string literals (lib/island_classes.ts).
  await Deno.writeTextFile(
    new URL("twind_safelist.gen.ts", root),
    safelistModule(await islandClasses(root), await islandClassMap(root)),
  );
}
// The manifest as committed (a --bundle-only run does not regenerate it).
const { islandEntries } = await import(new URL("islands.gen.ts", root).href);
const staticRoot = new URL("static/", root);
let islands: Record<string, string>;
try {
  islands = await bundleIslands(root, staticRoot, islandEntries);
} catch (e) {
  console.error((e as Error).message);
  Deno.exit(1);
}
console.log(`islands bundled: ${Object.keys(islands).length} files in static/build/islands/`);
const assets = await fingerprintAssets(staticRoot, islands);
console.log(`assets fingerprinted: ${Object.keys(assets).length}`);
