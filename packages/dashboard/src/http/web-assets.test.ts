import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerErrorHandling } from "./error-handler.js";
import type { TypedApp } from "./types.js";
import {
  contentSecurityPolicy,
  findWebRoot,
  IMMUTABLE_CACHE,
  REVALIDATE_CACHE,
  webAssets,
} from "./web-assets.js";

const INDEX =
  '<!doctype html><html><head><script>var theme = 1;</script></head><body><div id="app"></div><script type="module" src="/assets/index-AbC123.js"></script></body></html>';
const SCRIPT = `console.log(${JSON.stringify("x".repeat(2000))});`;

function fakeBuild(): { parent: string; root: string } {
  const parent = mkdtempSync(join(tmpdir(), "wgf-web-"));
  const root = join(parent, "dist");
  mkdirSync(join(root, "assets"), { recursive: true });
  writeFileSync(join(root, "index.html"), INDEX);
  writeFileSync(join(root, "index.html.gz"), gzipSync(INDEX));
  writeFileSync(join(root, "favicon.svg"), "<svg/>");
  const asset = join(root, "assets", "index-AbC123.js");
  writeFileSync(asset, SCRIPT);
  writeFileSync(`${asset}.gz`, gzipSync(SCRIPT));
  writeFileSync(`${asset}.br`, brotliCompressSync(SCRIPT));
  writeFileSync(join(parent, "secret.txt"), "outside the root");
  return { parent, root };
}

async function appServing(root: string): Promise<TypedApp> {
  const app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
  registerErrorHandling(app);
  app.get("/api/v1/known", async () => ({ ok: true }));
  await app.register(webAssets, { root });
  await app.ready();
  return app;
}

describe("webAssets", () => {
  let build: { parent: string; root: string };
  let app: TypedApp;

  beforeAll(async () => {
    build = fakeBuild();
    app = await appServing(build.root);
  });
  afterAll(async () => {
    await app.close();
    rmSync(build.parent, { recursive: true, force: true });
  });

  it("sends hashed assets precompressed, brotli first, cached for a year", async () => {
    const br = await app.inject({
      url: "/assets/index-AbC123.js",
      headers: { "accept-encoding": "gzip, br" },
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["cache-control"]).toBe(IMMUTABLE_CACHE);
    expect(br.headers.vary).toBe("accept-encoding");
    expect(br.headers["content-type"]).toMatch(/javascript/);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(SCRIPT);

    const gz = await app.inject({ url: "/assets/index-AbC123.js", headers: { "accept-encoding": "gzip" } });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.rawPayload).toString()).toBe(SCRIPT);

    const plain = await app.inject({
      url: "/assets/index-AbC123.js",
      headers: { "accept-encoding": "identity" },
    });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
  });

  it("answers app routes with index.html, never cached, with a CSP that allows its inline script by hash", async () => {
    for (const url of ["/", "/configurations/corp", "/peers/123?tab=qr"]) {
      const response = await app.inject({ url, headers: { "accept-encoding": "gzip" } });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers["content-type"]).toMatch(/^text\/html/);
      expect(response.headers["cache-control"]).toBe(REVALIDATE_CACHE);
      expect(gunzipSync(response.rawPayload).toString()).toBe(INDEX);
      expect(response.headers["content-security-policy"]).toBe(contentSecurityPolicy(INDEX));
    }
    expect(contentSecurityPolicy(INDEX)).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]{44}'/);
  });

  it("serves unhashed top-level files as themselves, revalidated", async () => {
    const response = await app.inject({ url: "/favicon.svg" });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe("<svg/>");
    expect(response.headers["cache-control"]).toBe(REVALIDATE_CACHE);
  });

  it("answers unknown /api paths and missing assets with a 404 error body, not the app", async () => {
    for (const url of ["/api/v1/nope", "/api", "/assets/missing-123.js"]) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code).toBe("NOT_FOUND");
    }
    expect((await app.inject({ url: "/api/v1/known" })).json()).toEqual({ ok: true });
  });

  it("keeps server paths and requests that do not accept HTML out of the app's HTML fallback", async () => {
    for (const url of ["/readyz", "/metrics", "/healthz/x", "/s/abc123", "/api/v2/x"]) {
      const response = await app.inject({ url, headers: { accept: "text/html" } });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code, url).toBe("NOT_FOUND");
    }
    const json = await app.inject({ url: "/configurations/corp", headers: { accept: "application/json" } });
    expect(json.statusCode).toBe(404);
    expect(json.json().error.code).toBe("NOT_FOUND");
    const page = await app.inject({
      url: "/configurations/corp",
      headers: { accept: "text/html,*/*;q=0.8" },
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
  });

  it("never serves a file outside its root", async () => {
    for (const url of ["/assets/../../secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt"]) {
      const response = await app.inject({ url });
      expect(response.body, url).not.toContain("outside the root");
    }
  });
});

describe("webAssets without a build", () => {
  it("says the web app is not built instead of failing to start", async () => {
    const empty = mkdtempSync(join(tmpdir(), "wgf-web-empty-"));
    const app = await appServing(empty);
    try {
      const response = await app.inject({ url: "/" });
      expect(response.statusCode).toBe(503);
      expect(response.body).toMatch(/not built/);
    } finally {
      await app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("findWebRoot", () => {
  it("takes the web/ folder inside an installed package, else the web workspace's dist beside it", () => {
    const parent = mkdtempSync(join(tmpdir(), "wgf-webroot-"));
    try {
      const pkg = join(parent, "dashboard");
      mkdirSync(pkg);
      expect(findWebRoot(pkg)).toBe(join(parent, "web", "dist"));
      mkdirSync(join(pkg, "web"));
      expect(findWebRoot(pkg)).toBe(join(parent, "web", "dist"));
      writeFileSync(join(pkg, "web", "index.html"), INDEX);
      expect(findWebRoot(pkg)).toBe(join(pkg, "web"));
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
