import assert from "node:assert/strict";
import {
  compareRoutes,
  fileToPath,
  islandsManifest,
  listSourceFiles,
  routesManifest,
} from "../../lib/manifest.ts";

Deno.test("route files map to URLs the way Fresh does", () => {
  assert.equal(fileToPath("routes/index.tsx"), "/");
  assert.equal(fileToPath("routes/login.tsx"), "/login");
  assert.equal(fileToPath("routes/r/[token]/index.tsx"), "/r/:token");
  assert.equal(fileToPath("routes/admin/users/[id].ts"), "/admin/users/:id");
  assert.equal(fileToPath("routes/files/[...path].ts"), "/files/*");
});

Deno.test("static segments win over parameters", () => {
  const paths = ["/users/:id", "/users/new", "/users/*", "/users"];
  assert.deepEqual(paths.sort(compareRoutes), ["/users", "/users/new", "/users/:id", "/users/*"]);
});

Deno.test("generated manifests are up to date (run `deno task manifest`)", async () => {
  const root = new URL("../../", import.meta.url);
  const routes = routesManifest(await listSourceFiles(root, "routes"));
  const islands = islandsManifest(await listSourceFiles(root, "islands"));
  assert.equal(
    await Deno.readTextFile(new URL("routes.gen.ts", root)),
    routes,
    "routes.gen.ts is stale",
  );
  assert.equal(
    await Deno.readTextFile(new URL("islands.gen.ts", root)),
    islands,
    "islands.gen.ts is stale",
  );
});
