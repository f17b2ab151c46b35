//! Finds everything in a message that could send a customer somewhere: links, bare domains,
//! IP addresses, Taiwan phone numbers and LINE IDs, read from the cleaned text
//! ([`CleanText`]) but quoted as the customer received them.
//!
//! Three hand-written scanners run over the cleaned text, each once and in linear time:
//! [`links`] first (the others skip the bytes of every link it saw), then [`phone`] and
//! [`line_id`]. Their findings are merged in order of first appearance.

mod line_id;
mod links;
mod phone;
mod plain_url;

use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::text::CleanText;
use crate::text::{is_cjk, is_cjk_letter};

/// What kind of thing a candidate is, as written in the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CandidateKind {
    /// A link written with a scheme (`https://…`), or a LINE short link (`lin.ee/…`), which
    /// always hides the page it leads to.
    Url,
    /// A domain name written without a scheme (`kgi357.com/login`), possibly with a path.
    Domain,
    /// A dotted-quad IPv4 address written without a scheme (`89.106.207.153/index`).
    Ip,
    /// A Taiwan phone number.
    Phone,
    /// A LINE ID, the way scammers move a conversation into a chat.
    LineId,
}

impl CandidateKind {
    /// Whether the candidate is a link whose value is an absolute URL.
    pub fn is_link(self) -> bool {
        matches!(self, Self::Url | Self::Domain | Self::Ip)
    }
}

/// One thing found in a message, before it is judged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// What it is.
    pub kind: CandidateKind,
    /// The text exactly as the customer received it (full-width, defanged, zero-width
    /// characters and all).
    pub raw: String,
    /// The machine form: for links an absolute URL (`http://` added when the message had
    /// no scheme, scheme in lower case) that parses with `url::Url`; for phones E.164
    /// (`+886223456789`); for LINE IDs the lower-case ID without `@` or `~`.
    pub value: String,
}

/// Extraction stops after this many distinct candidates, a bound for callers that pass
/// long texts. A message the check accepts never reaches it: every candidate takes at least
/// four bytes and a separator (`a.tw `), so [`crate::MAX_MESSAGE_BYTES`] holds fewer than
/// 13,108 of them, and every one is judged.
pub const MAX_CANDIDATES: usize = 16 * 1024;

/// Extracts every distinct candidate from `text`, in order of first appearance, at most
/// [`MAX_CANDIDATES`]. Duplicates (same kind and value) are reported once, at their first
/// place. Linear in the length of `text`.
pub fn extract(text: &str) -> Vec<Candidate> {
    extract_cleaned(&CleanText::new(text))
}

/// The E.164 form (`+886223456789`) of a Taiwan phone number given on its own, written as
/// people write one (`02-2345-6789`, `(02)2345-6789`, `+886 2 2345 6789`, full-width
/// digits): the same reading as a number found in a message. `None` when `text` is not
/// exactly one such number.
pub fn phone_number(text: &str) -> Option<String> {
    let clean = CleanText::new(text.trim());
    phone::whole_number(clean.text().trim())
}

/// A candidate and where it is written in the original text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// The byte range of [`Candidate::raw`] in the text given to [`extract_located`].
    pub range: Range<usize>,
    pub candidate: Candidate,
}

/// [`extract`], with where each candidate is written, for a caller that shows the text with
/// its links rewritten (defanged, say). Ranges are in order and never overlap.
pub fn extract_located(text: &str) -> Vec<Located> {
    let clean = CleanText::new(text);
    found_in(&clean)
        .into_iter()
        .map(|f| {
            let range = clean.original_range(f.range);
            let raw = text.get(range.clone()).unwrap_or("").to_owned();
            Located { range, candidate: Candidate { kind: f.kind, raw, value: f.value } }
        })
        .collect()
}

/// [`extract`] on a message already cleaned, for a caller that needs the cleaned text too
/// and so cleans the message once.
pub(crate) fn extract_cleaned(clean: &CleanText<'_>) -> Vec<Candidate> {
    found_in(clean)
        .into_iter()
        .map(|f| Candidate { kind: f.kind, raw: clean.original(f.range).to_owned(), value: f.value })
        .collect()
}

/// Every distinct candidate of a cleaned message, in order of first appearance, at most
/// [`MAX_CANDIDATES`], as ranges of the cleaned text.
fn found_in(clean: &CleanText<'_>) -> Vec<Found> {
    let cleaned = clean.text();

    let mut spans = Vec::new();
    let mut links = Sink::default();
    links::scan(cleaned, &mut links, &mut spans);
    let mut phones = Sink::default();
    phone::scan(cleaned, &spans, &mut phones);
    let mut line_ids = Sink::default();
    line_id::scan(cleaned, &spans, &mut line_ids);

    // Each scanner reports in text order and stops at the cap, so the first MAX_CANDIDATES
    // of the merge are exactly the first MAX_CANDIDATES of the whole message. Kinds never
    // overlap between scanners, so no duplicate can cross them.
    let mut found = links.found;
    found.append(&mut phones.found);
    found.append(&mut line_ids.found);
    found.sort_by_key(|f| f.range.start);
    found.truncate(MAX_CANDIDATES);
    found
}

/// A candidate as a scanner sees it: a byte range of the cleaned text.
#[derive(Debug)]
struct Found {
    range: Range<usize>,
    kind: CandidateKind,
    value: String,
}

/// Up to this many findings, a scanner looks for a duplicate by comparing with each of them,
/// which is cheaper than hashing; past it, by hash.
const LINEAR_DEDUP: usize = 8;

/// Where one scanner puts its findings: each (kind, value) once, at most [`MAX_CANDIDATES`].
#[derive(Default)]
struct Sink {
    found: Vec<Found>,
    /// Hashes of (kind, value) already found, once there are more than [`LINEAR_DEDUP`]; a
    /// hit is confirmed against `found`, so a repeated link costs no allocation.
    seen: HashSet<u64>,
    hasher: RandomState,
}

impl Sink {
    fn push(&mut self, range: Range<usize>, kind: CandidateKind, value: String) {
        if self.is_full() {
            return;
        }
        let is_known = |found: &[Found]| found.iter().any(|f| f.kind == kind && f.value == value);
        let duplicate = if self.found.len() < LINEAR_DEDUP {
            is_known(&self.found)
        } else {
            if self.seen.is_empty() {
                let hasher = &self.hasher;
                self.seen.extend(self.found.iter().map(|f| hasher.hash_one((f.kind, f.value.as_str()))));
            }
            let hash = self.hasher.hash_one((kind, value.as_str()));
            !self.seen.insert(hash) && is_known(&self.found)
        };
        if !duplicate {
            self.found.push(Found { range, kind, value });
        }
    }

    fn is_full(&self) -> bool {
        self.found.len() >= MAX_CANDIDATES
    }
}

/// Where a link sits in the cleaned text. The phone and LINE scanners skip these bytes, so
/// `https://x.tw/0912345678` holds no phone number and `a.tw/@abc` no LINE ID.
struct LinkSpan {
    range: Range<usize>,
    /// The LINE ID a `line.me` link opens, if it is one.
    line_id: Option<String>,
}

/// The character at byte `at` of `text` and its length. `at` must be a character boundary;
/// if it is not, a replacement character of length 1 keeps the caller moving.
fn char_at(text: &str, at: usize) -> (char, usize) {
    match text.as_bytes().get(at) {
        Some(&b) if b.is_ascii() => (char::from(b), 1),
        _ => text.get(at..).and_then(|s| s.chars().next()).map_or(('\u{FFFD}', 1), |c| (c, c.len_utf8())),
    }
}

#[cfg(test)]
mod tests;
