//! The answer to a check: a headline per verdict (icon and words, never colour
//! alone), why in a sentence or two, one next action, then each link on its own.

use engine::{Finding, Lang, TakedownStatus};
use leptos::prelude::*;

use super::wording::{defanged, overall, overall_code, verdict_code, verdict_label, Icon};
use super::{CheckAnswer, CheckFailure};

/// Shows a check's answer, or says plainly why there is none.
#[component]
pub fn CheckResult(outcome: Result<CheckAnswer, CheckFailure>) -> impl IntoView {
    match outcome {
        Ok(answer) => view! { <Answer answer/> }.into_any(),
        Err(failure) => view! { <Failure failure/> }.into_any(),
    }
}

#[component]
fn Answer(answer: CheckAnswer) -> impl IntoView {
    let CheckAnswer { report, data } = answer;
    let words = overall(report.verdict);
    let code = overall_code(report.verdict);
    let truncated = report.truncated.then(|| view! { <p>"訊息裡的連結太多，只檢查了前 200 個。"</p> });
    let signals = (!report.signals.is_empty()).then(|| {
        view! {
            <div class="signals">
                <p><strong>"訊息內容也有詐騙常見的說法："</strong></p>
                <ul>
                    {report.signals.iter().map(|s| view! { <li data-signal=s.code()>{s.message(Lang::ZhTw)}</li> }).collect_view()}
                </ul>
            </div>
        }
    });
    // Never silently missing: say which checks did not run.
    let disabled = (!report.disabled_detectors.is_empty()).then(|| {
        let codes = report.disabled_detectors.iter().map(|d| d.code()).collect::<Vec<_>>().join(", ");
        view! { <p class="disabled-detectors">"部分檢查暫時關閉，結果可能不完整（" {codes} "）。"</p> }
    });
    view! {
        <section class=format!("verdict verdict-{code}") data-verdict=code aria-labelledby="verdict-headline">
            <h2 id="verdict-headline">
                <VerdictIcon icon=words.icon/>
                {words.headline}
                <span class="en" lang="en">{words.headline_en}</span>
            </h2>
            {words.why.iter().map(|s| view! { <p>{*s}</p> }).collect_view()}
            <p class="next-action">
                <strong>"請這樣做："</strong>
                {words.action}
            </p>
            {truncated}
            {signals}
            {disabled}
            <ul class="findings">
                {report.findings.into_iter().map(|finding| view! { <FindingItem finding/> }).collect_view()}
            </ul>
            <p class="data-stamp">"資料更新時間：" {data.updated_at.clone()} "（台灣時間）"</p>
        </section>
    }
}

#[component]
fn FindingItem(finding: Finding) -> impl IntoView {
    let code = verdict_code(finding.verdict);
    let reasons = finding
        .reasons
        .iter()
        .map(|r| view! { <p class="reason">{r.message(Lang::ZhTw)}</p> })
        .collect_view();
    let codes = finding.reasons.iter().map(|r| r.code()).collect::<Vec<_>>().join(", ");
    let is_link = finding.kind.is_link();
    // Links are shown defanged so they cannot be tapped; numbers and IDs as the message
    // wrote them, which is what the reader will recognise (the E.164 form is in the details).
    let shown = if is_link { defanged(&finding.normalized) } else { finding.raw.clone() };
    let normalized = if is_link { defanged(&finding.normalized) } else { finding.normalized.clone() };
    let host = finding.host.as_deref().map(|h| {
        view! {
            <dt>"主機"</dt>
            <dd><code>{defanged(h)}</code></dd>
        }
    });
    let site = finding.registrable_domain.as_deref().map(|d| {
        view! {
            <dt>"可註冊網域（registrable domain）"</dt>
            <dd><code>{defanged(d)}</code></dd>
        }
    });
    let takedown = finding.takedown.clone().map(|t| {
        view! {
            <p class="takedown">
                "處理狀態：" {status_label(t.status)} "（" {t.listed_on} " 列入名單）"
            </p>
        }
    });
    view! {
        <li class=format!("finding finding-{code}") data-verdict=code>
            <span class="badge">{verdict_label(finding.verdict)}</span>
            " "
            <code class="link">{shown}</code>
            {reasons}
            {takedown}
            <details>
                <summary>"顯示詳細資料"</summary>
                <dl class="evidence">
                    <dt>{if is_link { "標準化網址" } else { "標準化寫法" }}</dt>
                    <dd><code>{normalized}</code></dd>
                    {host}
                    {site}
                    <dt>"原因代碼"</dt>
                    <dd><code>{codes}</code></dd>
                </dl>
            </details>
        </li>
    }
}

#[component]
fn Failure(failure: CheckFailure) -> impl IntoView {
    let (headline, detail) = match failure {
        CheckFailure::Empty => ("請先貼上網址或訊息。", "Paste a link or a message first."),
        CheckFailure::TooLong { .. } => (
            "內容太長了，無法查證。請只貼上有連結的那一段（上限 64 KB）。",
            "That is too long to check. Paste only the part with the link (64 KB at most).",
        ),
        CheckFailure::NotReady | CheckFailure::Transport(_) => (
            "現在無法查證，請稍後再試。在那之前，請不要點擊這個連結，有疑問請撥打 165 反詐騙專線。",
            "We cannot check right now. Until we can, do not open the link; if in doubt call 165.",
        ),
    };
    view! {
        <section class="verdict verdict-error" data-verdict="error">
            <h2 id="verdict-headline">{headline}</h2>
            <p class="en" lang="en">{detail}</p>
        </section>
    }
}

/// An inline SVG (no emoji font needed on old phones); the headline's words carry the meaning.
#[component]
fn VerdictIcon(icon: Icon) -> impl IntoView {
    let circle = || view! { <circle cx="12" cy="12" r="11"/> };
    let mark = |m: &'static str| view! { <text x="12" y="17.5" text-anchor="middle">{m}</text> };
    let drawing = match icon {
        Icon::Stop => {
            view! { <polygon points="7,1 17,1 23,7 23,17 17,23 7,23 1,17 1,7"/> {mark("!")} }.into_any()
        }
        Icon::Warning => view! { <polygon points="12,1 23,22 1,22"/> {mark("!")} }.into_any(),
        Icon::Question => view! { {circle()} {mark("?")} }.into_any(),
        Icon::Info => view! { {circle()} {mark("i")} }.into_any(),
        Icon::Check => {
            view! { {circle()} <polyline class="tick" points="6.5,12.5 10.5,16.5 17.5,8.5"/> }.into_any()
        }
    };
    view! {
        <svg class="verdict-icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
            {drawing}
        </svg>
    }
}

fn status_label(status: TakedownStatus) -> &'static str {
    match status {
        TakedownStatus::Detected => "已發現，準備下架",
        TakedownStatus::TakedownRequested => "已申請下架",
        TakedownStatus::TakenDown => "已下架",
        TakedownStatus::Reactivated => "下架後又重新出現",
    }
}
