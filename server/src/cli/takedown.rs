//! `server takedown import` and `server data versions|rollback`: the takedown data from the
//! command line, through the same preview, guards and versions as the security console.

use std::io::Read;
use std::path::Path;

use anyhow::Context as _;
use engine::feed::FeedFormat;
use indicatif::{ProgressBar, ProgressStyle};
use store::audit::Actor;
use store::import::{Plan, Request};

use crate::config::Config;

/// The most per-line problems a preview prints (the count is always given).
const SHOWN_PROBLEMS: usize = 20;

/// What `server takedown import` was asked to do.
#[derive(Clone, Debug)]
pub struct ImportArgs {
    pub file: std::path::PathBuf,
    pub format: Option<FeedFormat>,
    pub dry_run: bool,
    pub force: bool,
    pub replace: bool,
    pub vendor: String,
}

/// Reads a feed file (`-` for standard input; `.gz` is decompressed), refusing more than
/// `max_bytes` of text, so a huge or hostile file is never read whole.
pub fn read_feed(path: &Path, max_bytes: usize) -> anyhow::Result<String> {
    let shown = path.display();
    let raw: Box<dyn Read> = if path == Path::new("-") {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(path).with_context(|| format!("cannot open {shown}"))?)
    };
    let mut reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(raw))
    } else {
        raw
    };
    let mut bytes = Vec::new();
    let limit = u64::try_from(max_bytes).unwrap_or(u64::MAX).saturating_add(1);
    (&mut reader).take(limit).read_to_end(&mut bytes).with_context(|| format!("cannot read {shown}"))?;
    if bytes.len() > max_bytes {
        anyhow::bail!(
            "{shown} is larger than the {max_bytes} bytes an import may be (IMPORT_MAX_BYTES); nothing was imported"
        );
    }
    // The 165 file starts with a byte-order mark; the parser knows it.
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{shown} is not UTF-8 text (first bad byte at {}); nothing was imported",
            e.utf8_error().valid_up_to()
        )
    })
}

/// The preview, in plain words for the person at the terminal.
pub fn describe(plan: &Plan) -> String {
    let mut out = format!("format: {} ({} lines, {} rows)\n", plan.format.code(), plan.lines, plan.rows);
    if !plan.problems.is_empty() {
        out.push_str(&format!("{} lines cannot be read and will be skipped:\n", plan.problems.len()));
        for problem in plan.problems.iter().take(SHOWN_PROBLEMS) {
            out.push_str(&format!("  {problem}\n"));
        }
        if plan.problems.len() > SHOWN_PROBLEMS {
            out.push_str(&format!("  … and {} more\n", plan.problems.len() - SHOWN_PROBLEMS));
        }
    }
    for hit in &plan.official_hits {
        out.push_str(&format!(
            "REFUSED line {}: {} would list the firm's own {} as fake\n",
            hit.line, hit.target, hit.official
        ));
    }
    let revived = plan.added.iter().filter(|a| a.revive.is_some()).count();
    out.push_str(&format!(
        "{} to add ({} of them back after a removal), {} to change, {} already up to date, {} to remove\n",
        plan.added.len(),
        revived,
        plan.changed.len(),
        plan.unchanged,
        plan.removed.len()
    ));
    if plan.merged > 0 {
        out.push_str(&format!(
            "{} rows repeat a site named earlier in the file and are merged into it\n",
            plan.merged
        ));
    }
    out.push_str(&format!("active entries: {} → {}\n", plan.active_before, plan.active_after));
    if let Some(guard) = &plan.guard {
        out.push_str(&format!("GUARD: {guard}\n"));
    }
    out
}

/// An import reads, plans and writes on every core for seconds, on the host where a server
/// answers checks: it gives way to them (docs/benchmarks.md, "an import that gives way").
fn give_way_to_checks() {
    if !store::background::command_gives_way() {
        tracing::debug!("the import could not lower its priority; it runs as it was started");
    }
}

/// `server takedown import FILE [--dry-run] [--format F] [--force] [--replace]`.
pub async fn import(config: &Config, args: &ImportArgs) -> anyhow::Result<()> {
    give_way_to_checks();
    let limits = config.imports;
    let text = read_feed(&args.file, limits.max_bytes)?;
    let db = store::open(&config.database_url).await?;
    let origin =
        args.file.file_name().map_or_else(|| "stdin".to_owned(), |n| n.to_string_lossy().into_owned());
    let request = Request {
        text: &text,
        format: args.format,
        origin: &origin,
        vendor: &args.vendor,
        replace: args.replace,
    };
    let started = std::time::Instant::now();
    let plan = store::import::preview(&db, &request, &limits).await?;
    print!("{}", describe(&plan));
    if args.dry_run {
        println!("dry run: nothing was written");
        return refused_unless_clean(&plan);
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} entries written ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress = |p: store::import::Progress| {
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
    };
    let applied = store::import::apply(&db, &plan, &Actor::cli(), args.force, &progress).await;
    bar.finish_and_clear();
    match applied? {
        Some(version) => println!(
            "applied as takedown data version {} in {:.1} s: {} added, {} changed, {} removed; {} entries, checksum {}{}",
            version.version,
            started.elapsed().as_secs_f64(),
            version.added,
            version.changed,
            version.removed,
            version.entries,
            version.checksum,
            if version.forced { " (guard overridden with --force)" } else { "" }
        ),
        None => println!("nothing to change: every row is already in the takedown data"),
    }
    Ok(())
}

/// `server takedown pull [--dry-run] [--force]`.
pub async fn pull(config: &Config, dry_run: bool, force: bool) -> anyhow::Result<()> {
    give_way_to_checks();
    let db = store::open(&config.database_url).await?;
    println!("fetching {}", config.takedown_feed_url);
    let pulled = crate::takedown_feed::pull(config, &db, &Actor::cli(), dry_run, force).await;
    let pulled = pulled?;
    print!("{}", describe(&pulled.plan));
    match (dry_run, pulled.version) {
        (true, _) => {
            println!("dry run: nothing was written");
            refused_unless_clean(&pulled.plan)
        }
        (false, Some(v)) => {
            println!(
                "applied as takedown data version {}: {} entries, checksum {}",
                v.version, v.entries, v.checksum
            );
            Ok(())
        }
        (false, None) => {
            println!("nothing to change: every row is already in the takedown data");
            Ok(())
        }
    }
}

/// A dry run of a file the apply would refuse exits non-zero, so scripts notice.
fn refused_unless_clean(plan: &Plan) -> anyhow::Result<()> {
    if let Some(first) = plan.official_hits.first() {
        anyhow::bail!(
            "the apply would refuse this file: line {} lists the firm's own {}",
            first.line,
            first.official
        );
    }
    if let Some(guard) = &plan.guard {
        anyhow::bail!("the apply would refuse this file without --force: {guard}");
    }
    Ok(())
}

/// `server data versions`: the newest versions of the takedown data.
pub async fn versions(config: &Config, limit: i64) -> anyhow::Result<()> {
    let db = store::open(&config.database_url).await?;
    let versions = store::versions::list(&db, limit).await?;
    if versions.is_empty() {
        println!("no takedown data version yet: the first import or edit records one");
    }
    for v in versions {
        let what = match v.rolled_back_to {
            Some(to) => format!("rollback to {to}"),
            None => v.action.clone(),
        };
        println!(
            "{:>5}  {}  {:<10} {:<16} +{} ~{} -{}  {} entries  {}  {}{}",
            v.version,
            v.created_at,
            v.actor,
            what,
            v.added,
            v.changed,
            v.removed,
            v.entries,
            &v.checksum[..16.min(v.checksum.len())],
            v.origin,
            if v.forced { " (forced)" } else { "" }
        );
    }
    Ok(())
}

/// `server data rollback VERSION`.
pub async fn rollback(config: &Config, to: i64) -> anyhow::Result<()> {
    let db = store::open(&config.database_url).await?;
    let version = store::versions::rollback(&db, to, &Actor::cli()).await?;
    println!(
        "rolled back to version {to} as version {}: {} entries, checksum {} (the same as version {to}); every instance swaps to it at its next refresh",
        version.version, version.entries, version.checksum
    );
    Ok(())
}
