// The staff side in a real browser: a new agent signs in with a password and an
// authenticator code (computed here, as the app would), checks a customer's message, logs
// the contact and escalates; an analyst in a second browser accepts; with JavaScript the
// agent's page shows the decision without a reload. And what must be refused is refused.
import AxeBuilder from "@axe-core/playwright";
import { execFileSync } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";
import { newStaffPage, NEW_PASSWORD } from "./fixtures/staff";

const MESSAGE = "【凱基證券】您的帳戶異常，請至 https://kkpp.kgi357.com/index/login 驗證，另加 LINE ID: kgi_vip888";

test.describe("the agent console", () => {
  test("an agent checks, logs the contact and escalates; an analyst accepts; the agent sees it", async ({
    browser,
    javaScriptEnabled,
  }, testInfo) => {
    const tag = `${testInfo.project.name}-${Date.now() % 100000}`;
    const agent = await newStaffPage(browser, javaScriptEnabled ?? true, `agent-${tag}`, "agent");
    await agent.getByLabel("客戶收到的連結、號碼或訊息").fill(MESSAGE);
    await agent.getByRole("button", { name: "檢查", exact: true }).click();
    await expect(agent.getByRole("heading", { name: "證據" })).toBeVisible();
    await expect(agent.getByRole("region", { name: "證據" })).toContainText("E7800746");
    await agent.getByLabel("客戶聯繫的方式").selectOption("phone");
    await agent.getByLabel("摘要").fill(`Customer ${tag} received this SMS`);
    await agent.getByRole("button", { name: "記錄聯繫" }).click();
    await expect(agent.getByRole("status")).toContainText("已記錄這次聯繫。");
    // Post/Redirect/Get: the answer is a page of its own, the logged contact with its check.
    await expect(agent).toHaveURL(/\/console\?contact=\d+&done=contact$/);
    await expect(agent.getByRole("region", { name: "證據" })).toContainText("E7800746");
    // The LINE ID is on no list: escalate it, with a note.
    const lineId = agent.locator("article.evidence-item", { hasText: "kgi_vip888" });
    await lineId.getByLabel("給資安團隊的說明").fill(`asked to add it (${tag})`);
    await lineId.getByRole("button", { name: "通報資安團隊" }).click();
    await expect(agent.getByRole("status")).toContainText("已將 kgi_vip888 送交資安團隊。");
    await expect(agent).toHaveURL(/\/console\?contact=\d+&done=escalated&escalation=\d+$/);
    const mine = agent.locator(".my-escalations li", { hasText: "kgi_vip888" });
    await expect(mine.locator(".status-queued")).toBeVisible();
    // A reload reads the page again and sends nothing: the escalation is still a new one (a
    // second sending would say "already waiting, now 2 reports").
    await agent.reload();
    await expect(agent.getByRole("status")).toContainText("已將 kgi_vip888 送交資安團隊。");
    await expect(agent.getByRole("region", { name: "證據" })).toContainText("E7800746");
    if (javaScriptEnabled) {
      // Live: the island has connected to the event stream.
      await expect(agent.locator(".my-escalations[data-live=true]")).toBeVisible();
    }

    const analyst = await newStaffPage(browser, javaScriptEnabled ?? true, `analyst-${tag}`, "analyst");
    const queued = analyst.locator(".queue li", { hasText: "kgi_vip888" });
    await queued.getByLabel("說明").fill("personal account, fake");
    await queued.getByRole("button", { name: "受理", exact: true }).click();
    await expect(analyst.getByRole("status")).toContainText("已受理");

    if (!javaScriptEnabled) await agent.reload();
    // With JavaScript, without a reload: the event stream brought it.
    await expect(mine.locator(".status-accepted")).toBeVisible({ timeout: 10_000 });
    if (javaScriptEnabled) await expect(agent.locator(".badge-new").first()).toBeVisible();

    // The contact is found again by the fake site's domain.
    await agent.goto(`/console?q=kgi357.com`);
    await expect(agent.locator(".contact-list")).toContainText(`Customer ${tag} received this SMS`);
    await agent.context().close();
    await analyst.context().close();
  });

  test("anonymous visits, wrong passwords and cross-site posts are refused", async ({ page, request }) => {
    await page.goto("/console");
    await expect(page).toHaveURL(/\/staff\/sign-in$/);
    await page.getByLabel("登入名稱").fill("nobody-here");
    await page.getByLabel("密碼", { exact: true }).fill("not the password at all");
    await page.getByRole("button", { name: "登入" }).click();
    await expect(page.getByRole("alert")).toHaveText("名稱或密碼錯誤。");
    const forged = await request.post("/console/escalations", {
      headers: { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
      form: { kind: "host", value: "kgi357.com" },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
  });

  test("an admin disables an agent: the agent's open session ends and sign-in is refused", async ({
    browser,
    javaScriptEnabled,
  }, testInfo) => {
    const tag = `${testInfo.project.name}-${Date.now() % 100000}`;
    const admin = await newStaffPage(browser, javaScriptEnabled ?? true, `admin-${tag}`, "admin");
    const agent = await newStaffPage(browser, javaScriptEnabled ?? true, `gone-${tag}`, "agent");
    await admin.goto("/console/users");
    const row = admin.locator(".user-row", { hasText: `gone-${tag}` });
    await row.getByRole("button", { name: "停用" }).click();
    await expect(admin.getByRole("status")).toContainText(`gone-${tag}`);
    await expect(admin.locator(".user-row", { hasText: `gone-${tag}` })).toContainText("已停用");
    // The agent's next page: the session is gone, on the server.
    await agent.goto("/console");
    await expect(agent).toHaveURL(/\/staff\/sign-in$/);
    await agent.getByLabel("登入名稱").fill(`gone-${tag}`);
    await agent.getByLabel("密碼", { exact: true }).fill(NEW_PASSWORD);
    await agent.getByRole("button", { name: "登入" }).click();
    await expect(agent.getByRole("alert")).toHaveText("這個帳號已停用，請洽系統管理員。");
    await admin.context().close();
    await agent.context().close();
  });

  test("a session idle for longer than 30 minutes is over: the next page goes to sign-in", async ({
    browser,
    javaScriptEnabled,
  }, testInfo) => {
    const tag = `${testInfo.project.name}-${Date.now() % 100000}`;
    const login = `idle-${tag}`;
    const agent = await newStaffPage(browser, javaScriptEnabled ?? true, login, "agent");
    // Half an hour passes, as far as the server's clock is concerned: its session row says so.
    const path = process.env.E2E_DATABASE_URL!.replace(/^sqlite:/, "");
    execFileSync("python3", [
      "-c",
      "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); " +
        "db.execute(\"UPDATE staff_sessions SET last_seen_at = '2000-01-01T00:00:00Z' WHERE user_id = " +
        "(SELECT id FROM staff_users WHERE login = ?)\", (sys.argv[2],)); db.commit()",
      path,
      login,
    ]);
    await agent.goto("/console");
    await expect(agent).toHaveURL(/\/staff\/sign-in$/);
    await agent.context().close();
  });

  test("the sign-in page and the console have no WCAG 2.2 AA violations", async ({ browser, javaScriptEnabled }, testInfo) => {
    test.skip(!javaScriptEnabled, "axe-core needs JavaScript");
    const tag = `${testInfo.project.name}-${Date.now() % 100000}`;
    const anonymous = await (await browser.newContext()).newPage();
    await anonymous.goto("/staff/sign-in");
    const wcag = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
    const summary = async (p: Page) =>
      (await new AxeBuilder({ page: p }).withTags(wcag).analyze()).violations.map((v) => v.id);
    expect(await summary(anonymous)).toEqual([]);
    const agent = await newStaffPage(browser, true, `axe-${tag}`, "agent");
    await agent.getByLabel("客戶收到的連結、號碼或訊息").fill(MESSAGE);
    await agent.getByRole("button", { name: "檢查", exact: true }).click();
    expect(await summary(agent)).toEqual([]);
    await agent.setViewportSize({ width: 1280, height: 900 });
    await agent.screenshot({ path: testInfo.outputPath("console-1280.png"), fullPage: true });
    await agent.setViewportSize({ width: 820, height: 1180 });
    await agent.screenshot({ path: testInfo.outputPath("console-tablet.png"), fullPage: true });
    await anonymous.context().close();
    await agent.context().close();
  });
});
