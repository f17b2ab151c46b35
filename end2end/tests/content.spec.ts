// The content pages as an investor reads them: bulletins, scam patterns, official channels,
// help, and the feed, with and without JavaScript.
import { expect, test } from "@playwright/test";

test.describe("bulletins", () => {
  test("the list links to each bulletin, which opens on its own page", async ({ page }) => {
    await page.goto("/bulletins");
    await expect(page.getByRole("heading", { level: 1, name: "防詐公告" })).toBeVisible();
    const link = page.getByRole("link", { name: /請認明凱基證券真正網址/ });
    await expect(link).toBeVisible();
    await link.click();
    await expect(page).toHaveURL(/\/bulletins\/verify-real-website$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("請認明凱基證券真正網址");
    await expect(page.getByRole("link", { name: "回到所有公告" })).toBeVisible();
  });

  test("a bulletin reads in English after the language switch", async ({ page }) => {
    await page.goto("/bulletins/verify-real-website");
    await page.getByRole("link", { name: "English", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("check KGI Securities' real web address");
    await page.getByRole("link", { name: "中文", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("請認明凱基證券真正網址");
  });

  test("an unknown bulletin is a 404 that points back to the list", async ({ page }) => {
    const response = await page.goto("/bulletins/no-such-bulletin");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "找不到這則公告" })).toBeVisible();
    await expect(page.getByRole("link", { name: "回到所有公告" })).toBeVisible();
  });

  test("the home page links the latest bulletins to their pages", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("link", { name: /請認明凱基證券真正網址/ }).click();
    await expect(page).toHaveURL(/\/bulletins\/verify-real-website$/);
  });
});

test("the scam patterns page explains each pattern", async ({ page }) => {
  await page.goto("/patterns");
  await expect(page.getByRole("heading", { level: 1, name: "詐騙樣態停看聽" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: /投資老師/ })).toBeVisible();
  await expect(page.getByText("凱基證券不會邀請您加入 LINE 投資群組。").first()).toBeVisible();
});

test("the official page shows the official address and how to recognise the firm", async ({ page }) => {
  await page.goto("/official");
  await expect(page.getByRole("heading", { level: 1, name: "正確辨識凱基證券" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "官方網站" })).toBeVisible();
  await expect(page.getByRole("region", { name: "官方網站" })).toContainText("kgi.com.tw");
  // The demo's hotline is listed as a firm would enter one, and says it is not a real number.
  await expect(page.getByRole("region", { name: "官方客服電話" })).toContainText("示範號碼，非真實電話");
  await expect(page.getByRole("heading", { level: 2, name: "怎麼分辨真的凱基證券" })).toBeVisible();
});

test("the help page gives the steps and a 165 call link", async ({ page }) => {
  await page.goto("/help");
  await expect(page.getByRole("heading", { level: 1, name: "受騙或點了連結，怎麼辦？" })).toBeVisible();
  await expect(page.getByRole("link", { name: "撥打 165" }).first()).toHaveAttribute("href", "tel:165");
  await expect(page.getByRole("link", { name: "檢舉可疑連結" }).last()).toHaveAttribute("href", "/report");
});

test("the Atom feed, sitemap and robots.txt are reachable", async ({ request }) => {
  const feed = await request.get("/feed.atom");
  expect(feed.status()).toBe(200);
  expect(feed.headers()["content-type"]).toBe("application/atom+xml; charset=utf-8");
  expect(await feed.text()).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');

  const sitemap = await request.get("/sitemap.xml");
  expect(sitemap.status()).toBe(200);
  expect(await sitemap.text()).toContain("/bulletins/verify-real-website</loc>");

  const robots = await request.get("/robots.txt");
  expect(await robots.text()).toContain("Sitemap: ");
});
