// Tiny HTTP load generator for bench_scale.ts, run as its own process so the server under test
// does not share an event loop with the client. Bounded in requests and time; stops by itself.
//   deno run --allow-net scripts/bench_load.ts --url http://127.0.0.1:PORT/ [--seconds 5]
//     [--concurrency 16] [--max 200000] [--warmup 1]
// Prints one JSON line: {"url","requests","errors","seconds","rps","warmup_requests"}.

function arg(name: string, def: string): string {
  const i = Deno.args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return def;
  const a = Deno.args[i];
  return a.includes("=") ? a.slice(a.indexOf("=") + 1) : Deno.args[i + 1] ?? def;
}

const url = arg("url", "");
if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) {
  console.error("--url must be a loopback URL (http://127.0.0.1:PORT/...)");
  Deno.exit(2);
}
const seconds = Math.min(Math.max(Number(arg("seconds", "5")), 0.5), 60);
const warmup = Math.min(Math.max(Number(arg("warmup", "1")), 0), 10);
const concurrency = Math.min(Math.max(Number(arg("concurrency", "16")), 1), 256);
const max = Math.min(Math.max(Number(arg("max", "200000")), 1), 2_000_000);

// Hard stop: whatever happens, this process ends shortly after its time is up.
const hardStop = setTimeout(() => {
  console.error("load generator: hard time limit reached");
  Deno.exit(3);
}, (seconds + warmup + 15) * 1000);

async function run(untilMs: number, budget: number) {
  let requests = 0, errors = 0, issued = 0;
  const worker = async () => {
    while (performance.now() < untilMs && issued < budget) {
      issued++;
      try {
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.status === 200) requests++;
        else errors++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { requests, errors };
}

// Warm-up answers are counted apart: the server's CPU per request covers them too.
const warm = warmup > 0 ? await run(performance.now() + warmup * 1000, max) : null;
const started = performance.now();
const { requests, errors } = await run(started + seconds * 1000, max);
const elapsed = (performance.now() - started) / 1000;
clearTimeout(hardStop);
console.log(JSON.stringify({
  url: url.replace(/\/r\/[^/?]+/, "/r/:token"),
  requests,
  errors,
  seconds: Math.round(elapsed * 1000) / 1000,
  rps: Math.round((requests / elapsed) * 10) / 10,
  warmup_requests: warm ? warm.requests + warm.errors : 0,
}));
