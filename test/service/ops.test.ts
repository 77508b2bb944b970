/** Operations: health (liveness + readiness), Prometheus metrics, the OpenAPI document, the offline docs page. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCommunity, startTestService, type TestService } from "./harness.js";

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.close();
});

describe("GET /health", () => {
  it("is public; ready on an empty store, not ready while data has no model, ready once one is loaded", async () => {
    const empty = await service.request("GET", "/health", { key: null });
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ status: "ok", live: true, ready: true, store: { ok: true } });
    await seedCommunity(service);
    const unfitted = await service.request("GET", "/health", { key: null });
    expect(unfitted.status).toBe(503);
    expect(unfitted.body).toMatchObject({ live: true, ready: false, models: [] });
    await service.request("GET", "/customers/c0/recommendations");
    const ready = await service.request("GET", "/health", { key: null });
    expect(ready.status).toBe(200);
    expect(ready.body.models.map((m: { kind: string }) => m.kind)).toContain("popular");
    // While serve.ts warms the models up at start, the instance is alive but not ready.
    service.app.context.readiness.warm = false;
    const warming = await service.request("GET", "/health", { key: null });
    expect(warming.status).toBe(503);
    expect(warming.body).toMatchObject({ live: true, ready: false });
    service.app.context.readiness.warm = true;
  });
});

describe("GET /metrics", () => {
  it("reports requests and latencies per route pattern, events ingested, model age and fit durations", async () => {
    await service.request("GET", "/customers/c1/recommendations?n=2");
    await service.request("GET", "/customers/c2/recommendations?n=2");
    await service.request("POST", "/events", {
      key: service.keys["events:write"],
      body: [{ customer: "m-1", item: "m1", type: "view" }],
    });
    await service.kindred.train("popular");
    await service.request("POST", "/models/train", { body: { algorithm: "popular" } });
    await service.app.context.lifecycle.idle();
    const res = await service.request("GET", "/metrics", { key: service.keys.read });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = res.text;
    expect(text).toMatch(
      /kindred_http_requests_total\{method="GET",route="\/customers\/:id\/recommendations",status="200"\} [2-9]/,
    );
    expect(text).toContain(
      'kindred_http_request_duration_seconds_bucket{method="GET",route="/customers/:id/recommendations",le="+Inf"}',
    );
    expect(text).toMatch(/kindred_events_ingested_total\{channel="channel:events:write"\} 1/);
    expect(text).toMatch(/kindred_model_age_seconds\{algorithm="popular"\} \d/);
    expect(text).toMatch(/kindred_fit_duration_seconds_count\{algorithm="popular",outcome="succeeded"\} 1/);
    expect(text).toMatch(/kindred_process_memory_bytes\{kind="rss"\} \d+/);
    // Raw ids never become label values (one series per route, not per customer).
    expect(text).not.toContain("/customers/c1/");
    await service.request("GET", "/no/such/thing");
    const after = (await service.request("GET", "/metrics")).text;
    expect(after).toMatch(/kindred_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
  });

  it("reports the event loop's delay since the previous scrape: a synchronous stall shows in its max", async () => {
    await service.request("GET", "/metrics"); // the first scrape starts the monitor
    await new Promise((resolve) => setTimeout(resolve, 30));
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        const until = performance.now() + 300;
        while (performance.now() < until); // a 300 ms synchronous stretch: long enough that a loaded machine's own scheduling delays stay well below it
        resolve();
      }, 0),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    const text = (await service.request("GET", "/metrics")).text;
    const max = Number(/kindred_event_loop_delay_seconds\{quantile="1"\} ([\d.e-]+)/.exec(text)?.[1]);
    expect(max).toBeGreaterThanOrEqual(0.25);
    expect(text).toMatch(/kindred_event_loop_delay_seconds\{quantile="0.99"\} [\d.e-]+/);
    // Reset by the scrape: the next one does not report the stall again.
    await new Promise((resolve) => setTimeout(resolve, 40));
    const next = (await service.request("GET", "/metrics")).text;
    expect(Number(/kindred_event_loop_delay_seconds\{quantile="1"\} ([\d.e-]+)/.exec(next)?.[1])).toBeLessThan(max);
  });
});

describe("the OpenAPI document", () => {
  it("is OpenAPI 3 with every route, its parameters and schemas", async () => {
    const res = await service.request("GET", "/openapi.json", { key: null });
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      "/items",
      "/items/{id}",
      "/items/{id}/similar",
      "/domains",
      "/customers/{id}",
      "/customers/{id}/memory",
      "/customers/{id}/export",
      "/events",
      "/customers/{id}/recommendations",
      "/customers/{id}/predictions",
      "/customers/{id}/neighbors",
      "/customers/{id}/styles",
      "/models",
      "/models/train",
      "/models/training",
      "/models/{id}/activate",
      "/models/rollback",
      "/health",
      "/metrics",
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    const recs = doc.paths["/customers/{id}/recommendations"].get;
    expect(recs.parameters.map((p: { name: string }) => p.name).sort()).toEqual(
      ["algorithm", "category", "domain", "explain", "id", "includeSeen", "n"].sort(),
    );
    expect(recs.responses["200"].content["application/json"].schema.$ref).toBe("#/components/schemas/Recommendations");
    const events = doc.paths["/events"].post.requestBody.content["application/json"].schema;
    expect(JSON.stringify(events)).toContain('"rating","purchase","view","like","dislike"');
  });
});

describe("GET /docs", () => {
  it("is an offline page: its script is served here and nothing is loaded from elsewhere", async () => {
    const page = await service.request("GET", "/docs", { key: null });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    const script = await service.request("GET", "/docs/app.js", { key: null });
    expect(script.status).toBe(200);
    expect(script.text).toContain("openapi.json");
    expect(script.text).not.toMatch(/https?:\/\//);
    expect(script.text).not.toContain("innerHTML");
  });
});
