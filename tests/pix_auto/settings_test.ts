import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../app.config.ts";

const BASE = {
  KV_PATH: ":memory:",
  PIX_AUTO_API_URL: "https://pix.psp.example.com/api/v2/",
  PIX_AUTO_CLIENT_ID: "id",
  PIX_AUTO_CLIENT_SECRET: "secret",
  PIX_AUTO_WEBHOOK_SECRET: "s".repeat(24),
};
const repoFile = new URL("../fixtures/vectors/README.md", import.meta.url).pathname;

function refused(env: Record<string, string>, message: RegExp) {
  assert.throws(() => loadConfig({ ...BASE, ...env }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, message);
    return true;
  });
}

Deno.test("Pix Automático is off unless PIX_AUTO_API_URL is set", () => {
  assert.equal(loadConfig({ KV_PATH: ":memory:" }).pixAuto, undefined);
});

Deno.test("Pix Automático settings: defaults, token URL, trailing slash dropped", () => {
  const s = loadConfig(BASE).pixAuto!;
  assert.equal(s.apiUrl, "https://pix.psp.example.com/api/v2");
  assert.equal(s.tokenUrl, "https://pix.psp.example.com/api/v2/oauth/token");
  assert.equal(s.journey, 2);
  assert.equal(s.retryPolicy, "PERMITE_3R_7D");
  assert.equal(s.mtls, undefined);
});

Deno.test("Pix Automático settings refuse half a configuration with a pt-BR message", () => {
  refused({ PIX_AUTO_CLIENT_SECRET: "" }, /faltam PIX_AUTO_CLIENT_SECRET/);
  refused({ PIX_AUTO_WEBHOOK_SECRET: "curto" }, /pelo menos 24/);
  refused({ PIX_AUTO_CERT_FILE: repoFile }, /informados juntos \(mTLS\)/);
  refused(
    { PIX_AUTO_CERT_FILE: "tests/nao-existe.pem", PIX_AUTO_KEY_FILE: repoFile },
    /não pôde ser lido/,
  );
  refused({ PIX_AUTO_JOURNEY: "1" }, /2 ou 3/);
  refused({ PIX_AUTO_RETRY_POLICY: "SEMPRE" }, /NAO_PERMITE ou PERMITE_3R_7D/);
  refused({ PIX_AUTO_API_URL: "pix.psp.example.com" }, /precisa ser uma URL/);
});
