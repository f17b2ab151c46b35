//! Every site in Taiwan's 165 anti-fraud open data (`shared/data/165/gamble.csv`, beside the
//! checkout) comes out of extraction as a link, written exactly as the 165 list writes it.

// A missing data file under CI is a broken set-up, said at once.
#![allow(clippy::panic)]

use std::collections::BTreeSet;

use engine::domain::public_suffix;
use engine::extract::extract;

const GAMBLE_CSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/165/gamble.csv");

/// The host part of a WEBURL value (`https://` optional, then up to `/`, `?`, `#` or `:`).
fn host_of(weburl: &str) -> String {
    let rest = weburl.split_once("://").map_or(weburl, |(_, rest)| rest);
    rest.split(['/', '?', '#', ':']).next().unwrap_or(rest).to_ascii_lowercase()
}

/// The distinct WEBURL values of the file.
fn distinct_urls(csv: &str) -> BTreeSet<&str> {
    // Two header rows (English, then Chinese); WEBURL is the second column and never quoted.
    csv.lines()
        .skip(2)
        .filter_map(|line| line.split(',').nth(1))
        .map(str::trim)
        .filter(|url| !url.is_empty())
        .collect()
}

/// The 165 file, or `None` (with a note) when it is absent outside CI. Under CI a missing
/// file fails the test: the check it guards must not pass by not running.
fn read_csv() -> Option<String> {
    match std::fs::read_to_string(GAMBLE_CSV) {
        Ok(csv) => Some(csv),
        Err(e) if std::env::var_os("CI").is_some() => panic!("{GAMBLE_CSV}: {e} (required under CI)"),
        Err(_) => {
            eprintln!("note: {GAMBLE_CSV} is absent; skipping the 165 open-data check");
            None
        }
    }
}

#[test]
fn every_reported_site_in_the_165_open_data_canonicalises_as_an_import_would_read_it() {
    let Some(csv) = read_csv() else { return };
    let urls = distinct_urls(&csv);

    let failed: Vec<(&str, String)> = urls
        .iter()
        .filter_map(|url| engine::canonicalize(url).err().map(|e| (*url, e.to_string())))
        .collect();

    assert_eq!(urls.len(), 31_030, "the snapshot has 31,030 distinct WEBURL values");
    assert!(failed.is_empty(), "{} of {} failed: {failed:?}", failed.len(), urls.len());
}

#[test]
fn every_reported_site_with_a_listed_suffix_in_the_165_open_data_is_extracted_as_a_link() {
    // Arrange
    let Some(csv) = read_csv() else { return };
    let urls = distinct_urls(&csv);

    // Act
    let missed: Vec<&str> = urls
        .iter()
        .copied()
        .filter(|url| !extract(url).iter().any(|c| c.kind.is_link() && url::Url::parse(&c.value).is_ok()))
        .collect();

    // Assert
    let summary = format!(
        "{} of {} distinct WEBURL values extracted as links; missed: {missed:?}",
        urls.len() - missed.len(),
        urls.len()
    );
    eprintln!("{summary}");
    // Written without a scheme, a name is only a link if its suffix is on the Public Suffix
    // List (or `readme.txt` would be one): typos such as `www.karcco.con` and bare words
    // such as `bitgin` are rightly left out. Anything else missed is a bug.
    let wrongly_missed: Vec<&&str> =
        missed.iter().filter(|url| public_suffix(&host_of(url)).is_some()).collect();
    assert!(wrongly_missed.is_empty(), "{summary}; with a listed suffix: {wrongly_missed:?}");
    assert!(missed.len() * 1000 < urls.len(), "{summary}");
}
