// The security console in a real browser: an analyst (who is also an admin) imports the
// takedown vendor's notice, reads the preview, applies it; the public check then answers
// fraud for the new site; the dashboard's charts render; the analyst rolls the data back and
// the check answers as before.
// A public report and an agent's escalation of one site meet in triage; the analyst accepts
// and the check answers fraud, and the agent sees the outcome (live with JavaScript).
// The takedown database is searched and an entry opened. Each page (an import's job and a
// report naming nothing in triage among them) passes axe and works at 320 px; the import
// works with and without JavaScript.
import { expect, test } from "@playwright/test";
import { CheckPage } from "./fixtures/check-page";
import { expectFitsA320PxPhone, expectNoViolations } from "./fixtures/page-checks";
import { newStaffPage } from "./fixtures/staff";

test.describe("the security console", () => {
  test("an analyst imports a notice, the check answers fraud, a rollback brings the old answer back", async ({
    browser,
    javaScriptEnabled,
  }, testInfo) => {
    test.setTimeout(90_000);
    const tag = `${testInfo.project.name}-${Date.now() % 100000}`;
    // A fake site no list has yet: the check calls it suspicious (the brand and digits).
    const digits = 100000 + (Date.now() % 800000);
    const host = `kkpp.kgi${digits}.com`;
    const notice = `資安部：\nRSA偵測到以下釣魚網頁，已申請下架。\n\nE${digits} (C${digits - 1}) hxxps://${host.replaceAll(".", "[.]")}/index/login 89.106.207.153\n`;
    const analyst = await newStaffPage(browser, javaScriptEnabled ?? true, `sec-${tag}`, ["analyst", "admin"]);

    const check = new CheckPage(await analyst.context().newPage());
    await check.openFor(testInfo);
    await check.check(`https://${host}/index/login`);
    await check.expectVerdict("suspicious", /小心/);

    await analyst.goto("/console/versions");
    const before = (await analyst.locator("tbody tr").first().locator("td").first().textContent())!.trim();

    await analyst.goto("/console/imports");
    await analyst.getByLabel("貼上內容").fill(notice);
    await analyst.getByRole("button", { name: "預覽" }).click();
    const preview = analyst.getByRole("region", { name: "預覽（尚未寫入）" });
    await expect(preview).toContainText("新增 1 筆");
    await expect(preview).toContainText(host);
    await analyst.screenshot({ path: testInfo.outputPath("import-preview.png"), fullPage: true });
    await analyst.getByRole("button", { name: "套用這次匯入" }).click();
    // Post/Redirect/Get: the import's job page says what it made; a reload does not apply it again.
    await expect(analyst).toHaveURL(/\/console\/imports\/jobs\/\d+$/);
    await expect(analyst.getByRole("status").filter({ hasText: "已套用為資料版本" })).toBeVisible();

    // The public site reloads its data within its refresh interval; wait for the answer.
    await expect(async () => {
      await check.check(`https://${host}/index/login`);
      await check.expectVerdict("fraud", /危險/);
    }).toPass({ timeout: 20_000 });

    await analyst.goto(`/console/takedowns?q=${host}`);
    await analyst.getByRole("link", { name: host }).click();
    await expect(analyst.getByRole("heading", { level: 1 })).toContainText(host);
    await expect(analyst.locator(".evidence-list")).toContainText(`E${digits}`);

    // The dashboard counts the new entry; each chart is an image the browser loads and draws.
    await analyst.goto("/console/dashboard");
    const charts = analyst.locator("img.chart");
    await expect(charts).toHaveCount(4);
    for (const chart of await charts.all()) {
      await expect(chart).toHaveAttribute("alt", /.+/);
      const width = await chart.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth);
      if (javaScriptEnabled) expect(width, await chart.getAttribute("src")).toBeGreaterThan(0);
      const svg = await analyst.request.get((await chart.getAttribute("src"))!);
      expect(svg.headers()["content-type"]).toContain("image/svg+xml");
      expect(await svg.text()).toContain("<svg");
    }
    await expect(analyst.locator("table.dashboard-table").first()).toBeVisible();
    await analyst.screenshot({ path: testInfo.outputPath("dashboard.png"), fullPage: true });

    await analyst.goto("/console/versions");
    await analyst.getByRole("button", { name: `回復到版本 ${before}`, exact: true }).click();
    await expect(analyst).toHaveURL(/\/console\/versions\?notice=/);
    await expect(analyst.getByRole("status").first()).toContainText(`已回復到版本 ${before}`);
    await expect(async () => {
      await check.check(`https://${host}/index/login`);
      await check.expectVerdict("suspicious", /小心/);
    }).toPass({ timeout: 20_000 });
    await analyst.context().close();
  });

  test("a public report and an agent's escalation meet in triage; accepting makes the check say fraud and the agent sees it", async ({
    browser,
    javaScriptEnabled,
  }, testInfo) => {
    test.setTimeout(90_000);
    const tag = `${testInfo.project.name}-${Date.now() % 100000}`;
    const digits = 100000 + ((Date.now() + (javaScriptEnabled ? 0 : 500000)) % 400000);
    const host = `a${digits}.kgi-vip.top`;
    const message = `【凱基證券】您的帳戶異常，請立即至 https://${host}/login 驗證`;

    // An investor reports the message; the check calls the link suspicious for now.
    const investor = await browser.newContext({ javaScriptEnabled: javaScriptEnabled ?? true });
    const reporter = await investor.newPage();
    await reporter.goto("/report");
    await reporter.getByLabel("可疑的網址或訊息", { exact: true }).fill(message);
    await reporter.getByLabel("簡訊", { exact: true }).check();
    await reporter.getByRole("button", { name: "送出檢舉" }).click();
    await expect(reporter.getByRole("heading", { level: 1, name: "謝謝您的檢舉" })).toBeVisible();
    const check = new CheckPage(await investor.newPage());
    await check.openFor(testInfo);
    await check.check(`https://${host}/login`);
    await check.expectVerdict("suspicious", /小心/);

    // An agent escalates the same site from a customer's call.
    const agent = await newStaffPage(browser, javaScriptEnabled ?? true, `tri-agent-${tag}`, "agent");
    await agent.getByLabel("客戶收到的連結、號碼或訊息").fill(message);
    await agent.getByRole("button", { name: "檢查", exact: true }).click();
    const finding = agent.locator("article.evidence-item", { hasText: host.replaceAll(".", "[.]") }).first();
    await finding.getByLabel("給資安團隊的說明").fill(`customer called (${tag})`);
    await finding.getByRole("button", { name: "通報資安團隊" }).click();
    const mine = agent.locator(".my-escalations li", { hasText: host });
    await expect(mine.locator(".status-queued")).toBeVisible();
    if (javaScriptEnabled) await expect(agent.locator(".my-escalations[data-live=true]")).toBeVisible();

    // The analyst finds both in one row, with what the texts show, and accepts.
    const analyst = await newStaffPage(browser, javaScriptEnabled ?? true, `tri-${tag}`, "analyst");
    await analyst.goto("/console/triage");
    const row = analyst.locator("article.triage-item", { hasText: host.replaceAll(".", "[.]") });
    await expect(row).toContainText("民眾檢舉 1 則，客服轉報 1 次");
    await expect(row).toContainText(`customer called (${tag})`);
    await expect(row).toContainText("firm_message_link");
    await analyst.screenshot({ path: testInfo.outputPath("triage.png"), fullPage: true });
    await row.getByLabel("備註（可不填）").fill("RSA 已通報");
    await row.getByRole("button", { name: "確認：這是假的" }).click();
    await expect(analyst.getByRole("status").first()).toContainText("已列入下架資料庫");

    await expect(async () => {
      await check.check(`https://${host}/login`);
      await check.expectVerdict("fraud", /危險/);
    }).toPass({ timeout: 20_000 });
    if (!javaScriptEnabled) await agent.reload();
    await expect(mine.locator(".status-accepted")).toBeVisible({ timeout: 10_000 });
    await investor.close();
    await agent.context().close();
    await analyst.context().close();
  });

  test("the security pages have no WCAG 2.2 AA violations and fit a 320 px phone", async ({
    browser,
    javaScriptEnabled,
  }, testInfo) => {
    test.setTimeout(120_000);
    const tag = `${testInfo.project.name}-${Date.now() % 100000}`;
    const analyst = await newStaffPage(browser, javaScriptEnabled ?? true, `axe-${tag}`, ["analyst", "admin"]);
    // An import, for its job's page: a fake site no list has yet.
    const digits = 100000 + ((Date.now() + (javaScriptEnabled ? 0 : 400000)) % 800000);
    const host = `login.kgi${digits}.net`;
    await analyst.goto("/console/imports");
    await analyst.getByLabel("貼上內容").fill(`E${digits} (C${digits - 1}) hxxps://${host.replaceAll(".", "[.]")}/ 89.106.207.153\n`);
    await analyst.getByRole("button", { name: "預覽" }).click();
    await analyst.getByRole("button", { name: "套用這次匯入" }).click();
    await expect(analyst).toHaveURL(/\/console\/imports\/jobs\/\d+$/);
    await expect(analyst.getByRole("status").filter({ hasText: "已套用為資料版本" })).toBeVisible({ timeout: 20_000 });
    const job = new URL(analyst.url()).pathname;
    // A public report in words only: triage lists it among the reports naming nothing.
    const investor = await browser.newContext({ javaScriptEnabled: javaScriptEnabled ?? true });
    const reporter = await investor.newPage();
    await reporter.goto("/report");
    await reporter.getByLabel("可疑的網址或訊息", { exact: true }).fill(`有人自稱營業員，要我下載一個 App 投資 (${tag})`);
    await reporter.getByLabel("簡訊", { exact: true }).check();
    await reporter.getByRole("button", { name: "送出檢舉" }).click();
    await expect(reporter.getByRole("heading", { level: 1, name: "謝謝您的檢舉" })).toBeVisible();
    await investor.close();
    await analyst.goto("/console/triage");
    await expect(analyst.locator(".unnamed-reports")).toContainText(tag);

    const paths = [
      "/console/takedowns",
      "/console/imports",
      job,
      "/console/versions",
      "/console/takedowns?ip=89.106.207.153",
      "/console/dashboard",
      "/console/official",
      "/console/triage",
      "/console/takedowns/campaigns",
    ];
    // axe-core runs inside the page; the no-JavaScript project renders the same server HTML.
    if (javaScriptEnabled) await expectNoViolations(analyst, paths);
    await expectFitsA320PxPhone(analyst, testInfo, paths);
    await analyst.setViewportSize({ width: 1280, height: 900 });
    await analyst.goto("/console/takedowns");
    await analyst.screenshot({ path: testInfo.outputPath("takedowns-1280.png"), fullPage: true });
    await analyst.context().close();
  });
});
