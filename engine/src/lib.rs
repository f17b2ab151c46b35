//! Pure detection engine: finds the links in a pasted message and judges each one
//! against an immutable in-memory [`Index`]. No IO, no Leptos, no database: the
//! server builds the index from storage and swaps it whole when data changes.

pub mod canon;
pub mod domain;
pub mod extract;
pub mod feed;
pub mod host;
pub mod index;
pub mod lookalike;
pub mod sender;
pub mod signals;
pub mod text;
pub mod verdict;

pub use canon::{canonicalize, CanonError, CanonicalUrl};
pub use extract::{extract, extract_located, Candidate, CandidateKind, Located};
pub use index::{Index, IndexData, IndexError, ListedEntry, TakedownEntry, TakedownScope, TakedownStatus};
pub use lookalike::{BrandError, BrandProfile, Lookalike};
pub use sender::FirmNames;
pub use signals::{PhrasesError, ScamPhrases, Signal};
pub use text::CleanText;
pub use verdict::{
    check, check_with, CheckError, Detector, Finding, HiddenFindings, Overall, Reason, Report, Switches,
    TakedownMatch, Verdict,
};

/// The largest message the engine accepts, in UTF-8 bytes.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// The most findings a report lists. Every finding of a message is judged and counts
/// towards its headline; past this many, the least serious are only counted
/// ([`Report::hidden`]), so an answer stays readable.
pub const MAX_SHOWN_FINDINGS: usize = 200;
