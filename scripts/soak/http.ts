// The soak's browser: a cookie, form posts with the Origin header, the hidden fields a page's
// form carries, and retries while the server is down (killed, restarting). A retried post is
// the same form (same `_sub`), exactly what a person pressing the button again would send.

export class Http {
  cookie = "";
  constructor(readonly base: string, readonly retryForMs = 120_000) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const until = Date.now() + this.retryForMs;
    for (;;) {
      try {
        const headers = new Headers(init.headers);
        if (this.cookie) headers.set("cookie", this.cookie);
        if (init.method === "POST") headers.set("origin", this.base);
        const res = await fetch(`${this.base}${path}`, {
          ...init,
          headers,
          redirect: "manual",
          signal: AbortSignal.timeout(60_000),
        });
        const set = res.headers.get("set-cookie");
        if (set && set.startsWith("renova")) this.cookie = set.split(";")[0];
        // A 5xx while the server restarts (or from a cut request) is tried again too.
        if (res.status >= 500 && Date.now() < until) {
          await res.body?.cancel();
          await sleep(300);
          continue;
        }
        return res;
      } catch (e) {
        if (Date.now() > until) throw e;
        await sleep(250); // connection refused or reset: the server is down, wait for it
      }
    }
  }

  async text(path: string): Promise<{ status: number; html: string; location: string }> {
    const until = Date.now() + this.retryForMs;
    for (;;) {
      const res = await this.fetch(path);
      try {
        // A kill can cut the body after the headers arrived: a GET is read again.
        const html = await res.text();
        return { status: res.status, html, location: res.headers.get("location") ?? "" };
      } catch (e) {
        if (Date.now() > until) throw e;
        await sleep(250);
      }
    }
  }

  async json<T>(path: string): Promise<T> {
    const res = await this.fetch(path, { headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    return await res.json() as T;
  }

  /** Posts a form (urlencoded, or multipart when a file is given); retried as is. */
  async post(
    path: string,
    fields: Record<string, string | string[]>,
    file?: { name: string; file: File },
  ) {
    let body: BodyInit;
    const headers: Record<string, string> = {};
    if (file) {
      const fd = new FormData();
      for (const [k, v] of Object.entries(fields)) [v].flat().forEach((x) => fd.append(k, x));
      fd.set(file.name, file.file);
      body = fd;
    } else {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) [v].flat().forEach((x) => form.append(k, x));
      body = form.toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
    }
    const res = await this.fetch(path, { method: "POST", headers, body });
    await res.body?.cancel();
    return { status: res.status, location: res.headers.get("location") ?? "" };
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const unescape = (s: string) =>
  s.replaceAll("&quot;", '"').replaceAll("&#x27;", "'").replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");

function attr(tag: string, name: string): string | undefined {
  const m = tag.match(new RegExp(`\\s${name}="([^"]*)"`));
  return m ? unescape(m[1]) : undefined;
}

/** Every form on the page posting to `action`, as the fields a browser would send. */
export function formsTo(html: string, action: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    // As a browser does: the fragment is not sent, and a button's formaction posts the same
    // form elsewhere (the signing form's "Enviar código").
    const target = (attr(m[1], "action") ?? "").split("#")[0];
    const byButton = [...m[2].matchAll(/<button\b[^>]*>/g)]
      .some((b) => (attr(b[0], "formaction") ?? "").split("#")[0] === action);
    if (target !== action && !byButton) continue;
    const fields: Record<string, string> = {};
    for (const t of m[2].matchAll(/<input\b[^>]*>/g)) {
      const name = attr(t[0], "name");
      const type = attr(t[0], "type") ?? "text";
      if (!name || ["checkbox", "radio", "file", "submit"].includes(type)) continue;
      fields[name] = attr(t[0], "value") ?? "";
    }
    for (const t of m[2].matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const name = attr(t[1], "name");
      const options = [...t[2].matchAll(/<option\b[^>]*>/g)].map((o) => o[0]);
      const chosen = options.find((o) => /\sselected/.test(o)) ?? options[0];
      if (name && chosen) fields[name] = attr(chosen, "value") ?? "";
    }
    out.push(fields);
  }
  return out;
}
