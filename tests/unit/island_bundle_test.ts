// The island scripts' names (lib/island_bundle.ts): the bundler's tree is flattened under
// build/islands/, imports are rewritten to fingerprinted names, and a changed chunk changes
// the name of every file that imports it (an immutable file never points at stale code).
import assert from "node:assert/strict";
import { fingerprintOutputs, flatten } from "../../lib/island_bundle.ts";

const tree = (chunk: string) =>
  new Map([
    ["islands/A.js", 'import{a}from"../chunk-X.js";a("A");'],
    ["islands/B.js", 'import"../chunk-Y.js";'],
    ["lib/client.js", 'import{a}from"../chunk-X.js";a();'],
    ["chunk-X.js", chunk],
    ["chunk-Y.js", 'export const y="./not-a-file.js";'],
  ]);

Deno.test("island bundle: imports point at the fingerprinted names, in one folder", async () => {
  const outputs = flatten(tree("export function a(){}"));
  assert.deepEqual(outputs.get("build/islands/A.js")!.deps, ["build/islands/chunk-X.js"]);
  const { names, code } = await fingerprintOutputs(outputs);
  const x = names["build/islands/chunk-X.js"];
  assert.match(x, /^build\/islands\/chunk-X\.[0-9a-f]{10}\.js$/);
  const a = code.get(names["build/islands/A.js"])!;
  assert.equal(a, `import{a}from"./${x.split("/").pop()}";a("A");`);
  assert.equal(code.get(names["build/islands/chunk-Y.js"]), 'export const y="./not-a-file.js";');
});

Deno.test("island bundle: a changed chunk renames its importers, not the others", async () => {
  const one = (await fingerprintOutputs(flatten(tree("export function a(){}")))).names;
  const two = (await fingerprintOutputs(flatten(tree("export function a(){1}")))).names;
  assert.notEqual(one["build/islands/chunk-X.js"], two["build/islands/chunk-X.js"]);
  assert.notEqual(one["build/islands/A.js"], two["build/islands/A.js"]);
  assert.notEqual(one["build/islands/client.js"], two["build/islands/client.js"]);
  assert.equal(one["build/islands/B.js"], two["build/islands/B.js"]);
});
