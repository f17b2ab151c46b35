// First load of the public pages on a throttled phone, in headless Chromium: transfer
// size (bytes on the wire, compressed), Largest Contentful Paint, and the time until the
// paste box is hydrated. Profile: Lighthouse's mobile settings (150 ms round trip,
// 1.6 Mbit/s down, 750 kbit/s up, CPU slowed 4x), 360x780 screen, empty cache.
//
//   BASE_URL=http://127.0.0.1:3000 node perf/first-load.mjs [runs]
//
// Prints one line per page with the median of the runs; docs/benchmarks.md records them.
import { chromium } from "@playwright/test";

const base = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const runs = Number(process.argv[2] ?? 5);
const pages = ["/", "/domain/kgi357.com", "/bulletins", "/official"];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});

async function measure(path) {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  let bytes = 0;
  const byType = {};
  const types = new Map();
  cdp.on("Network.responseReceived", (e) => types.set(e.requestId, e.type));
  cdp.on("Network.loadingFinished", (e) => {
    bytes += e.encodedDataLength;
    const type = types.get(e.requestId) ?? "Other";
    byType[type] = (byType[type] ?? 0) + e.encodedDataLength;
  });
  const start = Date.now();
  await page.goto(base + path, { waitUntil: "load" });
  let hydratedMs = null;
  if (path === "/") {
    await page.waitForSelector('form.check-form[data-hydrated="true"]', { timeout: 60_000 });
    hydratedMs = Date.now() - start;
  }
  // Everything the page fetches after load (the WebAssembly is fetched when the browser is idle).
  await page.waitForLoadState("networkidle");
  const lcp = await page.evaluate(
    () => new Promise((resolve) => {
      new PerformanceObserver((list) => {
        const entries = list.getEntries();
        resolve(entries[entries.length - 1].startTime);
      }).observe({ type: "largest-contentful-paint", buffered: true });
    }),
  );
  await context.close();
  return { bytes, byType, lcp, hydratedMs };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const path of pages) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await measure(path));
  const line = {
    page: path,
    transferBytes: median(results.map((r) => r.bytes)),
    byType: results[0].byType,
    lcpMs: Math.round(median(results.map((r) => r.lcp))),
    hydratedMs: path === "/" ? median(results.map((r) => r.hydratedMs)) : undefined,
  };
  console.log(JSON.stringify(line));
}
await browser.close();
