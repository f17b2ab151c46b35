// The site on a small old phone (320 px wide) and in the reader's own language.
import { expect, test } from "@playwright/test";
import { CheckPage } from "./fixtures/check-page";
import { fakeLink, publicPages } from "./fixtures/pages";

test.describe("at 320 px wide", () => {
  test.use({ viewport: { width: 320, height: 640 } });

  for (const { name, path } of publicPages) {
    test(`the ${name} page needs no sideways scrolling`, async ({ page }) => {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }

  test("a fraud answer with its details open fits the screen", async ({ page }) => {
    const home = new CheckPage(page);
    await home.open();
    await home.check(`您的帳戶有風險，請立即驗證 ${fakeLink}`);
    await home.expectVerdict("fraud", "危險");
    await home.verdict.locator("details summary").first().click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

test.describe("the language switch", () => {
  test("reads Traditional Chinese by default", async ({ page }) => {
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-Hant-TW");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("這個連結是真的嗎？");
  });

  test("switches to English, stays on the same page, and remembers it", async ({ page }) => {
    await page.goto("/bulletins");
    await page.getByRole("link", { name: "English" }).click();
    await expect(page).toHaveURL(/\/bulletins$/);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Is this link real?");
    const home = new CheckPage(page, "en");
    await home.check(fakeLink);
    await home.expectVerdict("fraud", "Danger: this is a known fake site");
    // And back: on the check page the switch is a button that carries the paste along.
    await page.getByRole("button", { name: "中文" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-Hant-TW");
  });
});
