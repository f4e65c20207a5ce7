// Writes routes.gen.ts and islands.gen.ts from routes/ and islands/.
import { islandsManifest, listSourceFiles, routesManifest } from "../lib/manifest.ts";

export async function writeManifests(root = new URL("../", import.meta.url)) {
  const routes = routesManifest(await listSourceFiles(root, "routes"));
  const islands = islandsManifest(await listSourceFiles(root, "islands"));
  await Deno.writeTextFile(new URL("routes.gen.ts", root), routes);
  await Deno.writeTextFile(new URL("islands.gen.ts", root), islands);
}

if (import.meta.main) {
  await writeManifests();
  console.log("manifests written: routes.gen.ts, islands.gen.ts");
}
