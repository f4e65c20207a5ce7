// The real server (main.ts) as a child process on one KV file: started, killed with SIGKILL at
// random moments, and started again on the same file.
const ROOT = new URL("../../", import.meta.url);

export class ServerProcess {
  #child?: Deno.ChildProcess;
  #log: string[] = [];
  constructor(readonly env: Record<string, string>, readonly port: number) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 120_000) {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "main.ts"],
      cwd: ROOT,
      env: this.env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#child = child;
    this.#drain(child.stdout);
    this.#drain(child.stderr);
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      try {
        const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2000) });
        await res.body?.cancel();
        if (res.ok) return;
      } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`server did not start:\n${this.#log.slice(-30).join("")}`);
  }

  async #drain(stream: ReadableStream<Uint8Array>) {
    const dec = new TextDecoder();
    try {
      for await (const chunk of stream) {
        this.#log.push(dec.decode(chunk));
        if (this.#log.length > 200) this.#log.splice(0, 100);
      }
    } catch { /* the process went away */ }
  }

  /** kill -9: no shutdown hook runs, whatever was in flight is cut. */
  async kill() {
    if (!this.#child) return;
    try {
      this.#child.kill("SIGKILL");
    } catch { /* already gone */ }
    await this.#child.status;
    this.#child = undefined;
  }

  /** A clean stop (SIGTERM: finish sends, close the store). */
  async stop() {
    if (!this.#child) return;
    const child = this.#child;
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    const t = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
    }, 15_000);
    await child.status;
    clearTimeout(t);
    this.#child = undefined;
  }

  logTail(lines = 20) {
    return this.#log.slice(-lines).join("");
  }
}
