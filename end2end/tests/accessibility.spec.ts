// WCAG 2.2 AA as axe-core measures it, on every public page and on each kind of answer,
// in both languages; and the check done with the keyboard alone.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { CheckPage } from "./fixtures/check-page";
import { fakeLink, publicPages, unknownLink } from "./fixtures/pages";

const wcag = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(wcag).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary).toEqual([]);
}

for (const lang of ["zh-TW", "en"]) {
  test.describe(`accessibility (${lang})`, () => {
    // axe-core runs inside the page, so it needs JavaScript; the pages are the same HTML without it.
    test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, "axe-core needs JavaScript");
    test.beforeEach(async ({ context, baseURL }) => {
      await context.addCookies([{ name: "lang", value: lang, url: baseURL! }]);
    });

    for (const { name, path } of publicPages) {
      test(`the ${name} page has no WCAG 2.2 AA violations`, async ({ page }) => {
        await page.goto(path);
        await expectNoViolations(page);
      });
    }

    for (const [kind, text] of [
      ["fraud", fakeLink],
      ["unknown", unknownLink],
      ["suspicious", "kgi888.cc/login"],
      ["official", "https://www.kgi.com.tw/"],
    ]) {
      test(`a ${kind} answer has no WCAG 2.2 AA violations`, async ({ page }) => {
        const home = new CheckPage(page, lang as "zh-TW" | "en");
        await home.open();
        await home.waitForHydration();
        await home.check(text);
        await expect(home.verdict).toHaveAttribute("data-verdict", kind);
        // The evidence panel open too: its contents must pass as well.
        await home.verdict.locator("details summary").first().click();
        await expectNoViolations(page);
      });
    }
  });
}

test("the check can be done with the keyboard alone", async ({ page }, testInfo) => {
  const home = new CheckPage(page);
  await home.open();
  if (testInfo.project.name === "js") await home.waitForHydration();
  // The first Tab reaches the skip link, which leads past the menu to the content.
  await page.keyboard.press("Tab");
  await expect(page.locator(".skip-link")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
  await page.keyboard.press("Tab");
  await expect(home.pasteBox).toBeFocused();
  await page.keyboard.type(fakeLink);
  await page.keyboard.press("Tab");
  await expect(home.submit).toBeFocused();
  await page.keyboard.press("Enter");
  await home.expectVerdict("fraud", "危險：這是假冒的網站");
});

test("without JavaScript, the answer takes the focus so a screen reader reads it first", async ({ page }) => {
  test.skip(test.info().project.name === "js", "with JavaScript the live region announces the answer");
  const home = new CheckPage(page);
  await home.open();
  await home.check(fakeLink);
  await home.expectVerdict("fraud", "危險");
  await expect(home.verdict).toBeFocused();
});
