//! `/console/imports` (analysts, admins): paste or upload a vendor notice, the 165 open data
//! or a list of links; see what it would add, change and remove, every unreadable line and
//! every row that names the firm's own addresses; then apply it as a new data version. The
//! data versions and their rollback (admins), and the detector switches (admins), are at
//! `/console/versions`.

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::{Meta, Title};

use super::{staff_page, Badge, StaffLayout, StaffPage, StaffPageMissing};
use crate::i18n::Locale;
use crate::locale::page_locale;

/// What the import form holds (echoed back with a preview, so the apply sends the same).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportForm {
    pub text: String,
    /// `auto`, `vendor`, `165` or `list`.
    pub format: String,
    pub vendor: String,
    pub replace: bool,
    /// Where the text came from: a file name, or `paste`.
    pub origin: String,
}

/// Why an import cannot go ahead (the server's refusal, in numbers the page words). Kept as
/// JSON with a finished import job, so any instance words it in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ImportProblem {
    TooLarge {
        bytes: usize,
        max: usize,
    },
    TooManyRows {
        rows: usize,
        max: usize,
    },
    Unreadable {
        problems: usize,
        lines: usize,
    },
    Empty,
    CoversOfficial {
        count: usize,
    },
    Doubles {
        before: usize,
        after: usize,
    },
    ChangesTooMuch {
        before: usize,
        touched: usize,
        percent: u32,
    },
    Stale,
    /// Forcing a guard is for admins.
    ForceNeedsAdmin,
    /// The text sent with the apply is not the text previewed.
    NotPreviewed,
    Unavailable,
}

/// A preview: what applying the form's text would do now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PreviewView {
    pub format: String,
    pub lines: usize,
    pub rows: usize,
    pub problems: Vec<(usize, String)>,
    pub problem_count: usize,
    pub official_hits: Vec<(usize, String, String)>,
    pub added: usize,
    pub revived: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub merged: usize,
    pub removed: usize,
    pub active_before: usize,
    pub active_after: usize,
    /// A sample of what would be added, changed (with what) and removed.
    pub sample_added: Vec<String>,
    pub sample_changed: Vec<String>,
    pub sample_removed: Vec<String>,
    /// The guard that stops it unless an admin confirms.
    pub guard: Option<ImportProblem>,
    /// Proof that the apply sends the text previewed, against the data previewed.
    pub digest: String,
    pub based_on: i64,
}

/// What was applied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppliedView {
    pub version: i64,
    pub added: i64,
    pub changed: i64,
    pub removed: i64,
    pub entries: i64,
    pub checksum: String,
    pub forced: bool,
    pub seconds: String,
}

/// The import page's data.
#[derive(Clone, Debug, Default)]
pub struct ImportData {
    pub who: Badge,
    pub form: ImportForm,
    pub preview: Option<PreviewView>,
    pub problem: Option<ImportProblem>,
    pub can_force: bool,
    pub max_bytes: usize,
    /// The newest import jobs, newest first.
    pub recent: Vec<JobView>,
}

/// An import applied from the console, as its job page shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobView {
    pub id: i64,
    pub actor: String,
    pub origin: String,
    pub format: String,
    /// `running`, `done`, `unchanged`, `refused`, `failed`, or `stalled` (stopped unfinished).
    pub state: String,
    /// Entries written so far, out of `total`.
    pub done: i64,
    pub total: i64,
    /// The version it made, once done.
    pub applied: Option<AppliedView>,
    /// Why it was refused or failed.
    pub problem: Option<ImportProblem>,
    /// RFC 3339 UTC.
    pub started_at: String,
}

/// The job page's data.
#[derive(Clone, Debug, Default)]
pub struct JobData {
    pub who: Badge,
    pub job: JobView,
}

/// How often a running job's page reloads itself, in seconds.
pub const JOB_REFRESH_SECONDS: u32 = 2;

fn job_state_words(state: &str, locale: Locale) -> &'static str {
    match state {
        "running" => td_string!(locale, security.job_state_running),
        "done" => td_string!(locale, security.job_state_done),
        "unchanged" => td_string!(locale, security.job_state_unchanged),
        "refused" => td_string!(locale, security.job_state_refused),
        "stalled" => td_string!(locale, security.job_state_stalled),
        _ => td_string!(locale, security.job_state_failed),
    }
}

fn progress_words(done: i64, total: i64, locale: Locale) -> String {
    td_string!(locale, security.job_progress, done = done, total = total).to_string()
}

/// A refusal in words.
pub fn problem_words(problem: &ImportProblem, locale: Locale) -> String {
    match problem {
        ImportProblem::TooLarge { bytes, max } => {
            td_string!(locale, security.import_too_large, bytes = *bytes, max = *max).to_string()
        }
        ImportProblem::TooManyRows { rows, max } => {
            td_string!(locale, security.import_too_many_rows, rows = *rows, max = *max).to_string()
        }
        ImportProblem::Unreadable { problems, lines } => {
            td_string!(locale, security.import_unreadable, problems = *problems, lines = *lines).to_string()
        }
        ImportProblem::Empty => td_string!(locale, security.import_empty).to_string(),
        ImportProblem::CoversOfficial { count } => {
            td_string!(locale, security.import_covers_official, count = *count).to_string()
        }
        ImportProblem::Doubles { before, after } => {
            td_string!(locale, security.import_doubles, before = *before, after = *after).to_string()
        }
        ImportProblem::ChangesTooMuch { before, touched, percent } => td_string!(
            locale,
            security.import_changes_too_much,
            before = *before,
            touched = *touched,
            percent = *percent
        )
        .to_string(),
        ImportProblem::Stale => td_string!(locale, security.import_stale).to_string(),
        ImportProblem::ForceNeedsAdmin => td_string!(locale, security.import_force_admin).to_string(),
        ImportProblem::NotPreviewed => td_string!(locale, security.import_not_previewed).to_string(),
        ImportProblem::Unavailable => td_string!(locale, security.import_unavailable).to_string(),
    }
}

fn format_options(selected: &str, locale: Locale) -> impl IntoView {
    [
        ("auto", td_string!(locale, security.format_auto)),
        ("vendor", td_string!(locale, security.format_vendor)),
        ("165", td_string!(locale, security.format_165)),
        ("list", td_string!(locale, security.format_list)),
    ]
    .into_iter()
    .map(|(code, words)| {
        let selected = code == selected;
        view! { <option value=code selected=selected>{words}</option> }
    })
    .collect_view()
}

fn sample(heading: &'static str, items: Vec<String>) -> impl IntoView {
    (!items.is_empty()).then(|| {
        let items = items.into_iter().map(|i| view! { <li><code>{i}</code></li> }).collect_view();
        view! { <h3>{heading}</h3><ul class="sample-list">{items}</ul> }
    })
}

fn preview_view(preview: PreviewView, form: &ImportForm, can_force: bool, locale: Locale) -> impl IntoView {
    let problems = preview
        .problems
        .iter()
        .map(|(line, reason)| view! { <li>{td_string!(locale, security.line_problem, line = *line, reason = reason.clone())}</li> })
        .collect_view();
    let more = preview.problem_count.saturating_sub(preview.problems.len());
    let hits = preview
        .official_hits
        .iter()
        .map(|(line, target, official)| {
            view! { <li>{td_string!(locale, security.official_hit, line = *line, target = target.clone(), official = official.clone())}</li> }
        })
        .collect_view();
    let blocked = !preview.official_hits.is_empty();
    let guard = preview.guard.clone();
    let nothing = preview.added + preview.changed + preview.removed == 0;
    let apply = (!blocked && !nothing).then(|| {
        let force = (guard.is_some() && can_force).then(|| {
            view! {
                <span class="role-box">
                    <input id="import-force" name="force" type="checkbox" value="on"/>
                    <label for="import-force">{td_string!(locale, security.import_force)}</label>
                </span>
            }
        });
        view! {
            <form method="post" action="/console/imports/apply" class="staff-form">
                <textarea name="text" hidden>{crate::safe_text::textarea_text(&form.text)}</textarea>
                <input type="hidden" name="format" value=form.format.clone()/>
                <input type="hidden" name="vendor" value=form.vendor.clone()/>
                <input type="hidden" name="origin" value=form.origin.clone()/>
                {form.replace.then(|| view! { <input type="hidden" name="replace" value="on"/> })}
                <input type="hidden" name="digest" value=preview.digest.clone()/>
                <input type="hidden" name="based_on" value=preview.based_on.to_string()/>
                {force}
                <button type="submit">{td_string!(locale, security.import_apply)}</button>
            </form>
        }
    });
    view! {
        <section aria-labelledby="preview-heading" class="import-preview">
            <h2 id="preview-heading">{td_string!(locale, security.preview_heading)}</h2>
            <p>{td_string!(locale, security.preview_read, format = preview.format.clone(), lines = preview.lines, rows = preview.rows)}</p>
            <ul class="preview-counts">
                <li>{td_string!(locale, security.preview_added, count = preview.added, revived = preview.revived)}</li>
                <li>{td_string!(locale, security.preview_changed, count = preview.changed)}</li>
                <li>{td_string!(locale, security.preview_unchanged, count = preview.unchanged)}</li>
                <li>{td_string!(locale, security.preview_merged, count = preview.merged)}</li>
                <li>{td_string!(locale, security.preview_removed, count = preview.removed)}</li>
                <li>{td_string!(locale, security.preview_active, before = preview.active_before, after = preview.active_after)}</li>
            </ul>
            {blocked.then(|| view! {
                <div class="form-error" role="alert">
                    <p>{td_string!(locale, security.import_covers_official, count = preview.official_hits.len())}</p>
                    <ul>{hits}</ul>
                </div>
            })}
            {guard.map(|g| view! { <p class="form-error" role="alert">{problem_words(&g, locale)}</p> })}
            {(preview.problem_count > 0).then(|| view! {
                <h3>{td_string!(locale, security.problems_heading, count = preview.problem_count)}</h3>
                <ul class="problem-list">{problems}</ul>
                {(more > 0).then(|| view! { <p>{td_string!(locale, security.problems_more, count = more)}</p> })}
            })}
            {sample(td_string!(locale, security.sample_added), preview.sample_added)}
            {sample(td_string!(locale, security.sample_changed), preview.sample_changed)}
            {sample(td_string!(locale, security.sample_removed), preview.sample_removed)}
            {nothing.then(|| view! { <p class="notice" role="status">{td_string!(locale, security.import_nothing)}</p> })}
            {apply}
        </section>
    }
}

/// `/console/imports`.
#[component]
pub fn ImportsPage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::Imports(data)) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    let ImportData { who, form, preview, problem, can_force, max_bytes, recent } = *data;
    let recent = (!recent.is_empty()).then(|| {
        let rows = recent
            .into_iter()
            .map(|j| {
                let progress = (j.state == "running").then(|| format!(" · {}", progress_words(j.done, j.total, locale)));
                view! {
                    <li><a href=format!("/console/imports/jobs/{}", j.id)>{td_string!(locale, security.job_title, id = j.id)}</a>
                        " · "{job_state_words(&j.state, locale)}{progress}" · "{j.origin}" · "{j.actor}" · "{j.started_at}</li>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="recent-jobs-heading">
                <h2 id="recent-jobs-heading">{td_string!(locale, security.recent_jobs_heading)}</h2>
                <ul class="sample-list">{rows}</ul>
            </section>
        }
    });
    let problem =
        problem.map(|p| view! { <p class="form-error" role="alert">{problem_words(&p, locale)}</p> });
    let preview = preview.map(|p| preview_view(p, &form, can_force, locale));
    view! {
        <Title text=td_string!(locale, security.imports_title).to_string()/>
        <StaffLayout who>
            <h1>{td_string!(locale, security.imports_title)}</h1>
            {problem}
            {preview}
            <form method="post" action="/console/imports/preview" enctype="multipart/form-data" class="staff-form">
                <h2>{td_string!(locale, security.import_new)}</h2>
                <p>{td_string!(locale, security.import_explain, max = max_bytes)}</p>
                <label for="import-text">{td_string!(locale, security.import_paste)}</label>
                <textarea id="import-text" name="text" rows="8" spellcheck="false">{crate::safe_text::textarea_text(&form.text)}</textarea>
                <label for="import-file">{td_string!(locale, security.import_file)}</label>
                <input id="import-file" name="file" type="file" accept=".csv,.txt,text/plain,text/csv"/>
                <label for="import-format">{td_string!(locale, security.format_label)}</label>
                <select id="import-format" name="format">{format_options(&form.format, locale)}</select>
                <label for="import-vendor">{td_string!(locale, security.vendor_label)}</label>
                <input id="import-vendor" name="vendor" type="text" maxlength="100" value=form.vendor.clone()/>
                <span class="role-box">
                    <input id="import-replace" name="replace" type="checkbox" value="on" checked=form.replace/>
                    <label for="import-replace">{td_string!(locale, security.import_replace)}</label>
                </span>
                <button type="submit">{td_string!(locale, security.import_preview)}</button>
            </form>
            {recent}
        </StaffLayout>
    }
    .into_any()
}

/// What an applied import made: its version, counts and checksum.
fn applied_view(a: AppliedView, locale: Locale) -> impl IntoView {
    view! {
        <div class="notice" role="status">
            <p>{td_string!(locale, security.import_applied, version = a.version, added = a.added, changed = a.changed,
                removed = a.removed, entries = a.entries, seconds = a.seconds.clone())}</p>
            <p>{td_string!(locale, security.checksum_label)}" "<code>{a.checksum}</code>
                {a.forced.then(|| view! { " " <strong>{td_string!(locale, security.forced_tag)}</strong> })}</p>
            <p><a href="/console/versions">{td_string!(locale, security.nav_versions)}</a></p>
        </div>
    }
}

/// `/console/imports/jobs/{id}`: an import being applied, "N of M entries written", reloaded
/// every few seconds by the browser itself (no JavaScript) until it ends; then how it ended.
#[component]
pub fn ImportJobPage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::ImportJob(data)) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    let JobData { who, job } = *data;
    let running = job.state == "running";
    let title = td_string!(locale, security.job_title, id = job.id).to_string();
    let percent = if job.total > 0 { job.done.saturating_mul(100) / job.total } else { 0 };
    let outcome = match job.state.as_str() {
        "running" => view! {
            <p>{td_string!(locale, security.job_running_explain)}</p>
            <p><a href=format!("/console/imports/jobs/{}", job.id)>{td_string!(locale, security.job_refresh)}</a></p>
        }
        .into_any(),
        "done" => job.applied.clone().map(|a| applied_view(a, locale)).into_any(),
        "unchanged" => {
            view! { <p class="notice" role="status">{td_string!(locale, security.import_nothing)}</p> }.into_any()
        }
        "stalled" => {
            view! { <p class="form-error" role="alert">{td_string!(locale, security.job_stalled)}</p> }.into_any()
        }
        _ => {
            let why = job.problem.as_ref().map_or_else(
                || td_string!(locale, security.import_unavailable).to_string(),
                |p| problem_words(p, locale),
            );
            view! {
                <div class="form-error" role="alert">
                    <p>{td_string!(locale, security.job_not_applied)}</p>
                    <p>{why}</p>
                </div>
            }
            .into_any()
        }
    };
    view! {
        <Title text=title.clone()/>
        {running.then(|| view! { <Meta http_equiv="refresh" content=JOB_REFRESH_SECONDS.to_string()/> })}
        <StaffLayout who>
            <p><a href="/console/imports">{td_string!(locale, security.back_to_imports)}</a></p>
            <h1>{title}</h1>
            <p>{td_string!(locale, security.job_started, actor = job.actor.clone(), at = job.started_at.clone(),
                origin = job.origin.clone(), format = job.format.clone())}</p>
            <p>{td_string!(locale, security.status_label)}": "<strong>{job_state_words(&job.state, locale)}</strong></p>
            <p role="status" aria-live="polite" class="job-progress">{progress_words(job.done, job.total, locale)}" ("{percent}" %)"</p>
            <progress class="job-bar" max=job.total.max(1).to_string() value=job.done.to_string()>{percent}" %"</progress>
            {outcome}
        </StaffLayout>
    }
    .into_any()
}

/// One version in the list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VersionRow {
    pub version: i64,
    pub created_at: String,
    pub actor: String,
    pub action: String,
    pub origin: String,
    pub added: i64,
    pub changed: i64,
    pub removed: i64,
    pub entries: i64,
    pub checksum: String,
    pub rolled_back_to: Option<i64>,
    pub forced: bool,
    pub note: String,
}

/// What the last versions or switches action did.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum VersionsNotice {
    RolledBack { to: i64, version: i64, checksum: String },
    Switched { detector: String, on: bool },
    Problem(String),
}

/// The versions page's data.
#[derive(Clone, Debug, Default)]
pub struct VersionsData {
    pub who: Badge,
    pub versions: Vec<VersionRow>,
    pub can_rollback: bool,
    /// Every detector and whether it is on.
    pub switches: Vec<(String, bool)>,
    pub can_switch: bool,
    pub notice: Option<VersionsNotice>,
}

fn action_words(row: &VersionRow, locale: Locale) -> String {
    match (row.action.as_str(), row.rolled_back_to) {
        (_, Some(to)) => td_string!(locale, security.action_rollback, to = to).to_string(),
        ("import", _) => td_string!(locale, security.action_import).to_string(),
        ("edit", _) => td_string!(locale, security.action_edit).to_string(),
        _ => td_string!(locale, security.action_baseline).to_string(),
    }
}

/// `/console/versions`.
#[component]
pub fn VersionsPage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::Versions(data)) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    let VersionsData { who, versions, can_rollback, switches, can_switch, notice } = *data;
    let notice = notice.map(|n| match n {
        VersionsNotice::RolledBack { to, version, checksum } => view! {
            <p class="notice" role="status">{td_string!(locale, security.rolled_back, to = to, version = version)}" "<code>{checksum}</code></p>
        }
        .into_any(),
        VersionsNotice::Switched { detector, on } => {
            let state = if on { td_string!(locale, security.switch_on) } else { td_string!(locale, security.switch_off) };
            view! { <p class="notice" role="status"><code>{detector}</code>": "{state}</p> }.into_any()
        }
        VersionsNotice::Problem(text) => view! { <p class="form-error" role="alert">{text}</p> }.into_any(),
    });
    let newest = versions.first().map(|v| v.version);
    let rows = versions
        .into_iter()
        .map(|v| {
            let rollback = (can_rollback && Some(v.version) != newest).then(|| {
                let label = td_string!(locale, security.rollback_to, version = v.version).to_string();
                view! {
                    <form method="post" action=format!("/console/versions/{}/rollback", v.version)>
                        <button type="submit">{label}</button>
                    </form>
                }
            });
            let what = action_words(&v, locale);
            view! {
                <tr>
                    <td class="number">{v.version}</td>
                    <td>{v.created_at.clone()}</td>
                    <td>{v.actor.clone()}</td>
                    <td>{what}{v.forced.then(|| view! { " " <strong>{td_string!(locale, security.forced_tag)}</strong> })}
                        <br/><small>{v.origin.clone()}" "{v.note.clone()}</small></td>
                    <td>"+"{v.added}" ~"{v.changed}" −"{v.removed}</td>
                    <td class="number">{v.entries}</td>
                    <td><code title=v.checksum.clone()>{v.checksum.chars().take(16).collect::<String>()}</code></td>
                    <td>{rollback}</td>
                </tr>
            }
        })
        .collect_view();
    let switches = switches
        .into_iter()
        .map(|(detector, on)| {
            let state = if on {
                td_string!(locale, security.switch_on)
            } else {
                td_string!(locale, security.switch_off)
            };
            let change = can_switch.then(|| {
                let (to, label) = if on {
                    ("off", td_string!(locale, security.switch_turn_off))
                } else {
                    ("on", td_string!(locale, security.switch_turn_on))
                };
                view! {
                    <form method="post" action="/console/switches">
                        <input type="hidden" name="detector" value=detector.clone()/>
                        <input type="hidden" name="state" value=to/>
                        <button type="submit">{label}</button>
                    </form>
                }
            });
            view! { <tr><td><code>{detector}</code></td><td>{state}</td><td>{change}</td></tr> }
        })
        .collect_view();
    view! {
        <Title text=td_string!(locale, security.versions_title).to_string()/>
        <StaffLayout who>
            <h1>{td_string!(locale, security.versions_title)}</h1>
            {notice}
            <p>{td_string!(locale, security.versions_explain)}</p>
            <div class="table-scroll">
                <table class="staff-table">
                    <thead><tr>
                        <th scope="col">{td_string!(locale, security.col_version)}</th>
                        <th scope="col">{td_string!(locale, security.col_when)}</th>
                        <th scope="col">{td_string!(locale, security.col_who)}</th>
                        <th scope="col">{td_string!(locale, security.col_what)}</th>
                        <th scope="col">{td_string!(locale, security.col_changes)}</th>
                        <th scope="col">{td_string!(locale, security.col_entries)}</th>
                        <th scope="col">{td_string!(locale, security.checksum_label)}</th>
                        <th scope="col"><span class="visually-hidden">{td_string!(locale, security.col_actions)}</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <section aria-labelledby="switches-heading">
                <h2 id="switches-heading">{td_string!(locale, security.switches_heading)}</h2>
                <p>{td_string!(locale, security.switches_explain)}</p>
                <table class="staff-table">
                    <thead><tr>
                        <th scope="col">{td_string!(locale, security.col_detector)}</th>
                        <th scope="col">{td_string!(locale, security.status_label)}</th>
                        <th scope="col"><span class="visually-hidden">{td_string!(locale, security.col_actions)}</span></th>
                    </tr></thead>
                    <tbody>{switches}</tbody>
                </table>
            </section>
        </StaffLayout>
    }
    .into_any()
}
