// The check from an investor's side: paste a link, read the verdict, with and without JavaScript.
import { expect, test } from "@playwright/test";
import { CheckPage } from "./fixtures/check-page";

const cases = [
  { link: "https://kkpp.kgi357.com/index/login", code: "fraud", headline: "危險：這是假冒的網站" },
  { link: "https://www.kgi.com.tw/", code: "official", headline: "這是凱基證券的官方管道" },
  { link: "https://example.org/", code: "unknown", headline: "我們無法為它擔保" },
  { link: "kgi888.cc/login", code: "suspicious", headline: "小心：這很可能是詐騙" },
];

test.describe("the home page", () => {
  test("shows the paste box, the official domain and the latest bulletins", async ({ page }) => {
    const home = new CheckPage(page);
    await home.open();
    await expect(page.getByRole("heading", { name: "正確辨識凱基證券" })).toBeVisible();
    await expect(page.locator(".official-list")).toContainText("kgi.com.tw");
    await expect(page.getByText("請認明凱基證券真正網址")).toBeVisible();
  });

  for (const { link, code, headline } of cases) {
    test(`calls ${link} ${code}`, async ({ page }, testInfo) => {
      const home = new CheckPage(page);
      await home.open();
      const withJs = testInfo.project.name === "js";
      if (withJs) {
        await home.waitForHydration();
        // A page load would wipe this marker: its survival proves no navigation happened.
        await page.evaluate(() => ((window as any).__sameDocument = true));
      }
      await home.check(link);
      await home.expectVerdict(code, headline);
      await expect(home.verdict).toContainText("資料版本");
      if (withJs) {
        expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
      } else {
        expect(new URL(page.url()).pathname).toBe("/");
      }
    });
  }

  test("asks for something to check when the paste is empty", async ({ page }, testInfo) => {
    const home = new CheckPage(page);
    await home.openFor(testInfo);
    await home.submit.click();
    await expect(home.verdict).toContainText("請先貼上網址或訊息");
  });

  test("keeps the pasted text in the box after the answer", async ({ page }, testInfo) => {
    const home = new CheckPage(page);
    await home.openFor(testInfo);
    const message = "【凱基證券】您的帳戶有風險，請至 kkpp.kgi357.com 驗證";
    await home.check(message);
    await home.expectVerdict("fraud", "危險");
    await expect(home.pasteBox).toHaveValue(message);
  });

  test("keeps the answer when the reader switches language", async ({ page }, testInfo) => {
    const home = new CheckPage(page);
    await home.openFor(testInfo);
    await home.check("https://kkpp.kgi357.com/index/login");
    await home.expectVerdict("fraud", "危險");
    await page.getByRole("button", { name: "English" }).click();
    const english = new CheckPage(page, "en");
    await english.expectVerdict("fraud", "Danger: this is a known fake site");
    await expect(english.pasteBox).toHaveValue("https://kkpp.kgi357.com/index/login");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  });

  test("says a message that speaks as the firm sends the reader elsewhere", async ({ page }, testInfo) => {
    const home = new CheckPage(page);
    await home.openFor(testInfo);
    await home.check("【凱基證券】您的帳戶資料需要更新，請至 https://example.org/update 辦理");
    await home.expectVerdict("suspicious", "小心");
    await expect(home.verdict).toContainText("這則訊息自稱是凱基證券，但這個網址不是凱基證券的網址。");
  });

  test("judges every link in a pasted Chinese SMS and shows them defanged", async ({ page }, testInfo) => {
    const home = new CheckPage(page);
    await home.openFor(testInfo);
    await home.check("【凱基證券】您的帳戶有風險，請立即至 kkpp.kgi357。com/index/login 驗證，官網 www.kgi.com.tw");
    await home.expectVerdict("fraud", "危險");
    await expect(home.verdict.locator(".finding")).toHaveCount(2);
    await expect(home.verdict).toContainText("kkpp[.]kgi357[.]com");
  });
});
