// The pictures linked from the README: home, a fraud answer, an unknown answer and a
// domain page, on a phone (360 px) and a desktop (1280 px). Taken once, with JavaScript on,
// into test-results/screenshots; `SCREENSHOT_DIR=$PWD/../docs/screenshots` refreshes the README's.
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { CheckPage } from "./fixtures/check-page";
import { unknownLink } from "./fixtures/pages";

const outDir = process.env.SCREENSHOT_DIR ?? path.join(__dirname, "..", "test-results", "screenshots");

const shots: { name: string; show: (page: Page) => Promise<void> }[] = [
  { name: "home", show: async (page) => void (await new CheckPage(page).open()) },
  {
    name: "fraud-result",
    show: async (page) => {
      const home = new CheckPage(page);
      await home.open();
      await home.check(`【凱基證券】您的帳戶有異常風險，請立即驗證：kkpp.kgi357。com/index/login`);
      await home.expectVerdict("fraud", "危險");
      await home.verdict.scrollIntoViewIfNeeded();
    },
  },
  {
    name: "unknown-result",
    show: async (page) => {
      const home = new CheckPage(page);
      await home.open();
      await home.check(unknownLink);
      await home.expectVerdict("unknown", "我們無法為它擔保");
      await home.verdict.scrollIntoViewIfNeeded();
    },
  },
  {
    name: "domain-page",
    show: async (page) => {
      await page.goto("/domain/kkpp.kgi357.com");
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    },
  },
];

test.describe("README screenshots", () => {
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, "taken once, in the JavaScript project");

  for (const width of [360, 1280]) {
    for (const { name, show } of shots) {
      test(`${name} at ${width} px`, async ({ page }) => {
        await page.setViewportSize({ width, height: width < 800 ? 780 : 900 });
        await show(page);
        await page.screenshot({ path: path.join(outDir, `${name}-${width}.png`) });
      });
    }
  }
});
