// Build step: regenerate the manifests, then bundle the islands for the browser with Deno's
// built-in bundler into static/build/islands.js (git-ignored, rebuilt on start and test), then
// fingerprint the assets pages link (lib/assets.ts): content-hashed copies and assets.json.
import { writeManifests } from "./manifest.ts";
import { islandClasses, safelistModule } from "../lib/island_classes.ts";
import { fingerprintAssets } from "../lib/fingerprint.ts";

const root = new URL("../", import.meta.url);
// Tests build with --bundle-only so a stale committed manifest fails its test instead of
// being silently regenerated.
if (!Deno.args.includes("--bundle-only")) {
  await writeManifests(root);
  // The twind safelist: every class in the islands' string literals (lib/island_classes.ts).
  await Deno.writeTextFile(
    new URL("twind_safelist.gen.ts", root),
    safelistModule(await islandClasses(root)),
  );
}
const out = new URL("static/build/islands.js", root);
const cmd = new Deno.Command(Deno.execPath(), {
  args: [
    "bundle",
    "--quiet",
    "--platform",
    "browser",
    "--minify",
    "--output",
    out.pathname,
    new URL("islands.gen.ts", root).pathname,
  ],
  cwd: root.pathname,
  stdout: "inherit",
  stderr: "inherit",
});
const { code } = await cmd.output();
if (code !== 0) {
  console.error("islands bundle failed");
  Deno.exit(code);
}
console.log(`islands bundled: ${out.pathname} (${(await Deno.stat(out)).size} bytes)`);
const assets = await fingerprintAssets(new URL("static/", root));
console.log(`assets fingerprinted: ${Object.values(assets).join(", ")}`);
