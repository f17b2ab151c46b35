// Bulletin publishing in a real browser: a publisher drafts a bulletin, previews it (with
// JavaScript the preview follows the typing without a reload; without, the preview button
// renders it), schedules it, publishes it; the public list and the feed show it;
// unpublishing takes it away. An incident and its updates reach an open agent console live
// (with JavaScript; without, at the next page) and the public banner at the next request.
// Someone without the publisher role cannot reach the page.
import { expect, test } from "@playwright/test";
import { expectFitsA320PxPhone, expectNoViolations } from "./fixtures/page-checks";
import { newStaffPage } from "./fixtures/staff";

test.describe("bulletin publishing", () => {
  test("a publisher drafts, previews, schedules and publishes; readers see it until it is unpublished", async ({
    browser,
    javaScriptEnabled,
  }, testInfo) => {
    const tag = `${testInfo.project.name}-${Date.now() % 100000}`;
    const title = `假網站提醒 ${tag}`;
    const page = await newStaffPage(browser, javaScriptEnabled ?? true, `publisher-${tag}`, "publisher");
    await expect(page).toHaveURL(/\/console\/bulletins$/);
    await expect(page.getByRole("heading", { name: "公告發布", level: 1 })).toBeVisible();

    const form = page.locator("#new-bulletin");
    await form.getByLabel("標題").fill(title);
    await form.getByLabel("內文（Markdown）").fill("請認明官方網址。");
    await form.getByLabel("網址名稱（可不填）").fill(`e2e-${tag}`);
    await form.getByRole("button", { name: "建立草稿" }).click();
    await expect(page).toHaveURL(/\/console\/bulletins\/\d+\?done=created$/);
    await expect(page.getByRole("status")).toContainText("草稿已建立");
    const preview = page.locator("#bulletin-preview");
    await expect(preview.locator(".bulletin-article")).toContainText("請認明官方網址。");

    const body = page.locator("#bulletin-editor").getByLabel("內文（Markdown）");
    if (javaScriptEnabled) {
      await expect(page.locator(".live-preview-note[data-live=true]")).toBeVisible();
      const url = page.url();
      await body.fill("**切勿**點擊簡訊裡的連結。");
      // Without a reload: the island sent the text and put the server's rendering in place.
      await expect(preview.locator("strong")).toHaveText("切勿", { timeout: 5_000 });
      expect(page.url()).toBe(url);
    } else {
      await body.fill("**切勿**點擊簡訊裡的連結。");
      await page.getByRole("button", { name: "預覽（不儲存）" }).click();
      await expect(page.getByRole("status")).toContainText("尚未儲存");
      await expect(preview.locator("strong")).toHaveText("切勿");
    }
    await page.getByRole("button", { name: "儲存草稿" }).click();
    await expect(page.getByRole("status")).toContainText("已儲存");

    // Schedule for tomorrow (Taiwan time), then publish now instead.
    const tomorrow = new Date(Date.now() + 8 * 3600_000 + 24 * 3600_000).toISOString().slice(0, 16);
    await page.getByLabel("排程發布時間（台灣時間，UTC+8）").fill(tomorrow);
    await page.getByRole("button", { name: "排程發布" }).click();
    await expect(page.getByRole("status")).toContainText("已排程");
    const readers = await browser.newContext({ javaScriptEnabled });
    const reader = await readers.newPage();
    await reader.goto("/bulletins");
    await expect(reader.getByText(title)).toHaveCount(0);

    await page.getByRole("button", { name: "下架" }).click();
    await expect(page.getByRole("status")).toContainText("已下架");
    await page.getByRole("button", { name: "立即發布" }).click();
    await expect(page.getByRole("status")).toContainText("已發布");

    await reader.goto("/bulletins");
    await expect(reader.getByRole("link", { name: title })).toBeVisible();
    const feed = await reader.request.get("/feed.atom");
    expect(await feed.text()).toContain(title);

    await page.getByRole("button", { name: "下架" }).click();
    await expect(page.getByRole("status")).toContainText("已下架");
    await reader.goto("/bulletins");
    await expect(reader.getByText(title)).toHaveCount(0);
    expect(await (await reader.request.get("/feed.atom")).text()).not.toContain(title);
    await readers.close();
    await page.context().close();
  });

  test("an incident update appears in an open agent console without a reload, and on the public site's next page", async ({
    browser,
    javaScriptEnabled,
  }, testInfo) => {
    test.setTimeout(90_000);
    const tag = `${testInfo.project.name}-${Date.now() % 100000}`;
    const title = `查證服務異常 ${tag}`;
    const agent = await newStaffPage(browser, javaScriptEnabled ?? true, `agent-news-${tag}`, "agent");
    const news = agent.locator(".console-news");
    if (javaScriptEnabled) {
      await expect(agent.locator(".console-news[data-live=true]")).toBeVisible();
      // A mark that a reload would wipe: the page the agent has open stays the same page.
      await agent.evaluate(() => ((window as unknown as { openSince: string }).openSince = "before"));
    }
    const seesLive = async (text: string | RegExp) => {
      if (!javaScriptEnabled) await agent.reload();
      await expect(news.locator(".incident-banner")).toContainText(text, { timeout: 10_000 });
      if (javaScriptEnabled) {
        expect(await agent.evaluate(() => (window as unknown as { openSince?: string }).openSince)).toBe("before");
      }
    };
    const publisher = await newStaffPage(browser, javaScriptEnabled ?? true, `publisher-news-${tag}`, "publisher");
    const readers = await browser.newContext({ javaScriptEnabled });
    const reader = await readers.newPage();
    const banner = reader.locator(".incident-banner");
    let editor = "";
    try {
      const form = publisher.locator("#new-bulletin");
      await form.getByLabel("標題").fill(title);
      await form.getByLabel("類別").selectOption("incident");
      await form.getByLabel("內文（Markdown）").fill("部分查證暫時無法完成，我們正在處理。");
      await form.getByLabel("網址名稱（可不填）").fill(`incident-${tag}`);
      await form.getByRole("button", { name: "建立草稿" }).click();
      await expect(publisher.getByRole("status")).toContainText("草稿已建立");
      editor = new URL(publisher.url()).pathname;
      await publisher.getByRole("button", { name: "立即發布" }).click();
      await expect(publisher.getByRole("status")).toContainText("已發布");

      await seesLive(title);
      await reader.goto("/");
      await expect(banner).toContainText(title);
      await expect(banner.locator(`[data-incident="incident-${tag}"]`)).toHaveAttribute("data-state", "investigating");

      // An update of the open incident: the console and the next public page show it.
      const update = `已找到原因：資料庫連線中斷 ${tag}`;
      await publisher.getByLabel("新的狀態").selectOption("identified");
      await publisher.getByLabel("說明", { exact: true }).fill(update);
      await publisher.getByRole("button", { name: "新增進度" }).click();
      await expect(publisher.getByRole("status")).toContainText("進度已新增");
      await seesLive(update);
      await expect(news.locator(`[data-incident="incident-${tag}"]`)).toHaveAttribute("data-state", "identified");
      await reader.goto("/bulletins");
      await expect(banner).toContainText(update);
    } finally {
      // Resolved, so no later test (nor the README's screenshots) meets this banner.
      if (editor) {
        await publisher.goto(editor);
        await publisher.getByLabel("新的狀態").selectOption("resolved");
        await publisher.getByLabel("說明", { exact: true }).fill("一切正常。");
        await publisher.getByRole("button", { name: "新增進度" }).click();
        await expect(publisher.getByRole("status")).toContainText("進度已新增");
      }
    }
    if (!javaScriptEnabled) await agent.reload();
    await expect(news.locator(`[data-incident="incident-${tag}"]`)).toHaveCount(0, { timeout: 10_000 });
    await reader.goto("/");
    await expect(reader.locator(`[data-incident="incident-${tag}"]`)).toHaveCount(0);
    await readers.close();
    await publisher.context().close();
    await agent.context().close();
  });

  test("an agent cannot reach the publishing page, nor post to it", async ({ browser, javaScriptEnabled }, testInfo) => {
    const tag = `${testInfo.project.name}-${Date.now() % 100000}`;
    const agent = await newStaffPage(browser, javaScriptEnabled ?? true, `agent-pub-${tag}`, "agent");
    await expect(agent.getByRole("link", { name: "公告發布" })).toHaveCount(0);
    const page = await agent.goto("/console/bulletins");
    expect(page?.status()).toBe(403);
    const posted = await agent.request.post("/console/bulletins/new", {
      form: { title: "越權", body: "越權" },
      headers: { origin: new URL(agent.url()).origin },
    });
    expect(posted.status()).toBe(403);
    await agent.context().close();
  });

  test("the publishing pages have no WCAG 2.2 AA violations and fit a 320 px phone", async ({
    browser,
    javaScriptEnabled,
  }, testInfo) => {
    test.setTimeout(90_000);
    const tag = `${testInfo.project.name}-${Date.now() % 100000}`;
    // Both roles, so every form of these pages is on them: the setting and the template editor too.
    const page = await newStaffPage(browser, javaScriptEnabled ?? true, `pub-pages-${tag}`, ["publisher", "admin"]);
    await page.goto("/console/bulletins");
    // A draft incident (readers never see a draft, so no banner) with two revisions and an update.
    const form = page.locator("#new-bulletin");
    await form.getByLabel("標題").fill(`頁面檢查 ${tag}`);
    await form.getByLabel("類別").selectOption("incident");
    await form.getByLabel("內文（Markdown）").fill("第一版：請認明 https://www.kgi.com.tw 以外的網址都不是我們。");
    await form.getByLabel("網址名稱（可不填）").fill(`pages-${tag}`);
    await form.getByRole("button", { name: "建立草稿" }).click();
    await expect(page.getByRole("status")).toContainText("草稿已建立");
    const editor = new URL(page.url()).pathname;
    await page.locator("#bulletin-editor").getByLabel("內文（Markdown）").fill("第二版：切勿點擊 kkpp.kgi357.com 這類連結。");
    await page.getByRole("button", { name: "儲存草稿" }).click();
    await expect(page.getByRole("status")).toContainText("已儲存");
    await page.getByLabel("新的狀態").selectOption("identified");
    await page.getByLabel("說明", { exact: true }).fill("已找到原因，正在修復。");
    await page.getByRole("button", { name: "新增進度" }).click();
    await expect(page.getByRole("status")).toContainText("進度已新增");

    await page.goto(`${editor}/revisions`);
    const compare = await page.locator('a[href*="compare="]').first().getAttribute("href");
    await page.goto("/console/bulletins/templates");
    const template = await page.locator('a[href^="/console/bulletins/templates/"]').first().getAttribute("href");
    const templateId = template!.split("/").pop();
    const paths = [
      "/console/bulletins",
      "/console/bulletins?status=draft&category=incident",
      `/console/bulletins?template=${templateId}`,
      editor,
      `${editor}/revisions`,
      compare!,
      "/console/bulletins/templates",
      template!,
    ];
    if (javaScriptEnabled) await expectNoViolations(page, paths);
    await expectFitsA320PxPhone(page, testInfo, paths);
    await page.context().close();
  });
});
