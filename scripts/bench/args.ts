// The scale benchmarks' command line: `--name value` or `--name=value`, and the contract count
// they share (bench:scale, bench:campaign).

export function arg(name: string, def: string): string {
  const i = Deno.args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return def;
  const a = Deno.args[i];
  return a.includes("=") ? a.slice(a.indexOf("=") + 1) : Deno.args[i + 1] ?? def;
}

/** `--contracts N` (default 10,000), or exit 2 with the rule. */
export function contractsArg(): number {
  const n = Number(arg("contracts", "10000"));
  if (!Number.isInteger(n) || n < 100 || n > 5_000_000) {
    console.error("--contracts: a whole number from 100 to 5,000,000");
    Deno.exit(2);
  }
  return n;
}
