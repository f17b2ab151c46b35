// The per-host status page: reached from a fraud result's details, and opened directly.
import { expect, test } from "@playwright/test";
import { CheckPage } from "./fixtures/check-page";

test.describe("the domain page", () => {
  test("is reached from the details of a fraud result", async ({ page }, testInfo) => {
    const home = new CheckPage(page);
    await home.openFor(testInfo);
    await home.check("https://kkpp.kgi357.com/index/login");
    await home.expectVerdict("fraud", "危險");
    await home.verdict.getByText("顯示詳細資料").click();
    await home.verdict.getByRole("link", { name: "這個網域的狀態頁" }).click();

    await expect(page).toHaveURL(/\/domain\/kkpp\.kgi357\.com$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("kkpp[.]kgi357[.]com");
    await expect(page.locator("section.verdict")).toHaveAttribute("data-verdict", "fraud");
    await expect(page.getByRole("heading", { name: "下架處理紀錄" })).toBeVisible();
    await expect(page.locator(".history-step")).toHaveCount(2);
    await expect(page.locator(".history-list")).toContainText("已申請下架");
    await expect(page.getByRole("link", { name: /請認明凱基證券真正網址/ })).toBeVisible();
    await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", "/domain/kkpp.kgi357.com");
    await expect(page.locator('meta[name="robots"]')).toHaveCount(0);
  });

  test("says it cannot vouch for an unknown domain and keeps it out of search engines", async ({ page }) => {
    await page.goto("/domain/example.org");
    await expect(page.locator("section.verdict")).toHaveAttribute("data-verdict", "unknown");
    await expect(page.getByRole("heading", { level: 2, name: /我們無法為它擔保/ })).toBeVisible();
    await expect(page.getByText("這不代表它是安全的")).toBeVisible();
    await expect(page.getByText("沒有下架紀錄")).toBeVisible();
    await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", "noindex");
    await expect(page.getByRole("heading", { name: "正確辨識凱基證券" })).toBeVisible();
  });

  test("moves another spelling of a host to its one page", async ({ page }) => {
    await page.goto("/domain/WWW.KGI357.COM");
    await expect(page).toHaveURL(/\/domain\/kgi357\.com$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("kgi357[.]com");
  });

  test("answers a bad host with a 404 that says to paste the whole link", async ({ page }) => {
    const response = await page.goto("/domain/localhost");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "無法查詢這個網址" })).toBeVisible();
    await page.getByRole("link", { name: "回到首頁貼上連結" }).click();
    await expect(page.getByLabel("貼上可疑的網址或訊息")).toBeVisible();
  });

  test("is usable at 320 px without sideways scrolling", async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto("/domain/kkpp.kgi357.com");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
  });
});
