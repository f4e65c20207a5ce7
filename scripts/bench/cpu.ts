// CPU time of this process, for benchmarks on a shared machine (bench:contracts, bench:scale).

/**
 * This process's CPU time in ms (user + system, Linux /proc; NaN elsewhere). Wall time on a
 * shared, loaded machine stretches long tasks more than short ones; CPU time does not.
 */
export function cpuMs(): number {
  try {
    const f = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) * 10; // clock ticks of 10 ms
  } catch {
    return NaN;
  }
}
