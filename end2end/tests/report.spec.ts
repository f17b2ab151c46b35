// Reporting a suspicious link from an investor's side, with and without JavaScript, and the
// Content-Security-Policy every page carries (the page must still come alive under it).
import { expect, type Page, test } from "@playwright/test";
import { CheckPage } from "./fixtures/check-page";

/** Fills in and sends the report form, then waits for the confirmation. */
async function sendReport(page: Page, text: string) {
  await page.goto("/report");
  await expect(page.getByRole("heading", { level: 1, name: "檢舉可疑的網址或訊息" })).toBeVisible();
  await page.getByLabel("可疑的網址或訊息", { exact: true }).fill(text);
  await page.getByLabel("簡訊", { exact: true }).check();
  await page.getByRole("button", { name: "送出檢舉" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "謝謝您的檢舉" })).toBeVisible();
}

test.describe("reporting a suspicious link", () => {
  test("stores the report, shows its reference and counts every report of the link", async ({ page }, testInfo) => {
    // A host per project: both projects share one server and database.
    const host = `report-${testInfo.project.name}.kgi999.cc`;
    await sendReport(page, `【凱基】您的帳戶異常，請至 https://${host}/login 驗證`);
    await expect(page).toHaveURL(/\/report\/thanks\?ref=[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const reference = new URL(page.url()).searchParams.get("ref")!;
    await expect(page.getByText(reference)).toBeVisible();
    const defanged = host.replaceAll(".", "[.]");
    await expect(page.locator(".report-counts")).toContainText(`${defanged}：已被檢舉 1 次`);
    await expect(page.getByText("資安團隊會查看您的檢舉。")).toBeVisible();

    await sendReport(page, `又收到 ${host}/login`);
    await expect(page.locator(".report-counts")).toContainText(`${defanged}：已被檢舉 2 次`);
    expect(new URL(page.url()).searchParams.get("ref")).not.toBe(reference);
  });

  test("says plainly what is missing and keeps what was written", async ({ page }) => {
    await page.goto("/report");
    await page.getByLabel("可疑的網址或訊息", { exact: true }).fill("https://kgi999.cc/login");
    await page.getByRole("button", { name: "送出檢舉" }).click();
    await expect(page.getByRole("alert")).toContainText("請選擇您在哪裡看到它。");
    await expect(page.getByLabel("可疑的網址或訊息", { exact: true })).toHaveValue("https://kgi999.cc/login");
  });

  test("can start from a check that cannot vouch for a link", async ({ page }, testInfo) => {
    const home = new CheckPage(page);
    await home.openFor(testInfo);
    await home.check("請看 https://example.org/promo");
    await home.expectVerdict("unknown", "我們無法為它擔保");
    await page.getByRole("button", { name: "檢舉這個連結" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "檢舉可疑的網址或訊息" })).toBeVisible();
    await expect(page.getByLabel("可疑的網址或訊息", { exact: true })).toHaveValue("https://example.org/promo");
    // The link travelled in the form's body, never in an address that logs and history keep.
    expect(page.url()).not.toContain("example.org");
  });
});

test.describe("the Content-Security-Policy", () => {
  test("is sent with every page, and the page still comes alive under it", async ({ page }, testInfo) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (message.text().includes("Content Security Policy")) violations.push(message.text());
    });
    for (const path of ["/", "/report"]) {
      const response = await page.goto(path);
      const policy = response!.headers()["content-security-policy"] ?? "";
      expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]{16,}' 'wasm-unsafe-eval'/);
      expect(policy).toContain("frame-ancestors 'none'");
    }
    if (testInfo.project.name === "js") {
      const home = new CheckPage(page);
      await home.open();
      // The hydration script ran (its nonce matched) and the WebAssembly compiled.
      await home.waitForHydration();
      await home.check("https://www.kgi.com.tw/");
      await home.expectVerdict("official", "這是凱基證券的官方管道");
    }
    expect(violations).toEqual([]);
  });
});
