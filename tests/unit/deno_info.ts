// Deno's own module graph (`deno info --json`) for the structure tests: what the runtime loads,
// type-only imports included, never a hand-made parse of import lines.
import assert from "node:assert/strict";

export const ROOT = new URL("../../", import.meta.url);

export interface InfoModule {
  specifier: string;
  dependencies?: { code?: { specifier: string }; type?: { specifier: string } }[];
}

/** Every module `entry` (a path from the repository root) loads. */
export async function denoInfo(entry: string): Promise<InfoModule[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: ROOT,
    stdout: "piped",
    stderr: "null",
  }).output();
  assert.ok(out.success, `deno info ${entry} failed`);
  return (JSON.parse(new TextDecoder().decode(out.stdout)) as { modules: InfoModule[] }).modules;
}
