//! Lookalike detection: whether a host name imitates the firm (brand name in it, a near
//! spelling, another ending, look-alike letters, mixed alphabets), with a reason for each.
//!
//! The rules, and why:
//!
//! - **Brand token.** A Latin keyword (`kgi`) counts only as a whole token: bounded on each
//!   side by the start or end of the label, a hyphen or a digit (scammers pad the name with
//!   digits: `kgi357`, `kgi888`). A Latin letter on either side means the keyword is part of
//!   another word (`parkgirl`, `kgirl`) and does not count. Inside an IDN label any non-Latin
//!   character is a boundary too (`kgi證券`). A keyword in another script (`凱基`) counts
//!   anywhere in a decoded IDN label, because Chinese has no spaces between words.
//! - **Brand with words.** The keyword run together with words scammers join to a brand
//!   (`kgitrade`, `tradekgi`, `kgisec`, `mykgi`, `kgiapptw`) counts too: a run of letters
//!   that is exactly the keyword plus words of `BRAND_WORDS` on either side (and of
//!   `BRAND_PREFIXES` in front). Every letter must belong to a listed word, so a brand
//!   that merely sits inside another word stays unflagged (`parkgirl`, `makgi`, `kgis`). The
//!   words are those of fake trading, login and "customer service" sites; the names of the
//!   firm's own business lines (`bank`, `life`, `fund`) are left out, so that a group site
//!   missing from the official list is not called a fake. Reported as a brand in the name
//!   or in a subdomain, like a token.
//! - **Brand in look-alike letters.** The keyword as a token of the site name once the name
//!   is read through the look-alike fold (`kgl357`, `kg1888`: `l` and `1` read as `i`).
//!   Only digits, hyphens and the ends of the name may surround it, as for the token rule;
//!   words joined to it do not count here, and neither do subdomains, where short server
//!   names such as `kg1` are common.
//! - **Official name with more after it** (`kgi.com.tw.evil.net`, `kgi.com.tw.co`): the whole
//!   official domain, on label boundaries, followed by more labels.
//! - **Other ending** (`kgi.tw`, `kgi.com`): the site's own name (the registrable domain
//!   minus its public suffix) equals an official one, under another public suffix.
//! - **Look-alike letters**: the site's name has the same confusable skeleton (UTS #39) as an
//!   official name, folded further for how a host reads in a message (see [`fold_unicode`]).
//! - **Near spelling**: restricted Damerau–Levenshtein distance (a swap of two neighbours
//!   counts 1) to an official name. Short names have many innocent neighbours (`cgi`, `kgb`),
//!   so names of 3–4 letters are only flagged one edit away *and* under the official ending;
//!   names of 5–8 letters one edit away under any ending; longer names two edits away.
//!   Names of 1–2 letters never (every two-letter word would match).
//! - **Mixed script**: an IDN label whose letters mix alphabets in a way UTS #39 rates below
//!   "moderately restrictive" (Latin with Cyrillic or Greek, or three scripts) — the level at
//!   which browsers stop showing the Unicode form. Latin with Chinese is normal and allowed.
//! - **Official name in the path** ([`official_name_in_path`]): a path segment that is an
//!   official domain or one of its subdomains (`other.top/kgi.com.tw/login`), so the link
//!   reads like ours while it opens another site. Only the path counts: search engines and
//!   translators legitimately carry addresses in the query.
//!
//! The site's own name gets at most one reason, the most specific (other ending >
//! look-alike letters > brand in the name > brand in look-alike letters > near spelling); a
//! brand in a subdomain is only reported when nothing above already names the brand, so an
//! investor does not read the same warning twice. Mixed script is reported on its own, as it
//! is a different trick. The path rule is a separate function, for the caller to add.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use unicode_security::{MixedScript, RestrictionLevel, RestrictionLevelDetection};

use crate::domain::registrable_domain;
use crate::host::{is_domain_name, is_same_or_subdomain};

/// The most official domains a profile accepts: `assess` loops over them for every link,
/// and a list this long is more likely a broken import than a real firm.
pub const MAX_OFFICIAL_DOMAINS: usize = 256;

/// The most brand keywords a profile accepts, for the same reason.
pub const MAX_KEYWORDS: usize = 64;

/// The longest brand keyword, in UTF-8 bytes.
pub const MAX_KEYWORD_BYTES: usize = 64;

/// The longest label the edit-distance rule compares; DNS labels are at most 63 bytes.
const MAX_LABEL_CHARS: usize = 64;

/// Why a brand profile could not be built from the configured domains and keywords.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BrandError {
    /// An official domain is not a valid lower-case ASCII domain name.
    #[error("official domain {0:?} is not a valid lower-case domain name")]
    InvalidOfficialDomain(String),
    /// An official domain has no registrable domain under the Public Suffix List.
    #[error("official domain {0:?} is a bare public suffix or has an unknown ending")]
    NoRegistrableDomain(String),
    /// There are more official domains than [`MAX_OFFICIAL_DOMAINS`].
    #[error("{count} official domains; the limit is {MAX_OFFICIAL_DOMAINS}")]
    TooManyOfficialDomains {
        /// How many were given.
        count: usize,
    },
    /// There are more keywords than [`MAX_KEYWORDS`].
    #[error("{count} brand keywords; the limit is {MAX_KEYWORDS}")]
    TooManyKeywords {
        /// How many were given.
        count: usize,
    },
    /// A keyword is empty or only white space.
    #[error("a brand keyword is empty")]
    EmptyKeyword,
    /// A keyword is longer than [`MAX_KEYWORD_BYTES`].
    #[error("brand keyword {0:?} is longer than {MAX_KEYWORD_BYTES} bytes")]
    KeywordTooLong(String),
    /// A Latin keyword shorter than two characters, or made only of digits and hyphens,
    /// would flag a large part of the web.
    #[error("brand keyword {0:?} is too short or has no letter")]
    KeywordTooWeak(String),
    /// A keyword holds characters no host name can contain (space, dot, punctuation).
    #[error("brand keyword {0:?} has characters a web address cannot contain")]
    KeywordNotInHosts(String),
}

/// One official domain's site name, with everything a check compares against precomputed.
#[derive(Clone, Debug)]
struct OfficialName {
    /// The registrable domain, `kgi.com.tw`.
    domain: String,
    /// The registrable domain minus its public suffix, `kgi`.
    label: String,
    /// The public suffix, `com.tw`.
    suffix: String,
    /// The label's confusable fold.
    folded: String,
    /// Characters in `folded`, for the cheap length prefilter.
    folded_chars: usize,
    /// How many edits away a label may be and still count as a misspelling (0: never).
    max_edits: usize,
    /// Whether a misspelling only counts under the official suffix (short names).
    same_suffix_only: bool,
}

impl OfficialName {
    fn new(domain: &str, label: &str, suffix: &str) -> Self {
        let folded = fold_unicode(label);
        let chars = label.chars().count();
        Self {
            domain: domain.to_owned(),
            label: label.to_owned(),
            suffix: suffix.to_owned(),
            folded_chars: folded.chars().count(),
            folded,
            max_edits: match chars {
                0..=2 => 0,
                3..=8 => 1,
                _ => 2,
            },
            same_suffix_only: chars <= 4,
        }
    }

    /// Whether an ASCII site name of `len` bytes under `suffix` could be caught by a rule on
    /// this name; false lets an unrelated host skip all further work.
    fn near_in_length(&self, len: usize, suffix: &str) -> bool {
        let official = self.label.len();
        // Each ASCII character folds to one or two characters (`m` becomes `rn`).
        let skeleton_window = len <= self.folded_chars && self.folded_chars <= 2 * len;
        let edit_window = self.max_edits > 0
            && len.abs_diff(official) <= self.max_edits
            && (!self.same_suffix_only || suffix == self.suffix);
        skeleton_window || edit_window || len == official
    }

    /// The edit distance from `label` when it is a misspelling of this name under `suffix`.
    fn misspelling(&self, label: &str, suffix: &str) -> Option<usize> {
        if self.max_edits == 0 || (self.same_suffix_only && suffix != self.suffix) {
            return None;
        }
        let mut a = ['\0'; MAX_LABEL_CHARS];
        let mut b = ['\0'; MAX_LABEL_CHARS];
        let a = chars_into(label, &mut a)?;
        let b = chars_into(&self.label, &mut b)?;
        if a.len().abs_diff(b.len()) > self.max_edits {
            return None;
        }
        let distance = osa_distance(a, b)?;
        (1..=self.max_edits).contains(&distance).then_some(distance)
    }
}

/// The firm's official domains and brand keywords, prepared once so that [`assess`] is a
/// handful of comparisons per link.
#[derive(Clone, Debug)]
pub struct BrandProfile {
    /// The official domains as configured; a host equal to one or under one is official.
    official_domains: Vec<String>,
    /// One entry per distinct registrable domain of the official domains.
    names: Vec<OfficialName>,
    /// Keywords made of host characters (`kgi`), matched as whole tokens.
    latin_keywords: Vec<String>,
    /// The look-alike fold of each Latin keyword, in the same order.
    latin_folded: Vec<String>,
    /// Keywords with other characters (`凱基`), matched anywhere in a decoded IDN label.
    other_keywords: Vec<String>,
}

impl BrandProfile {
    /// Builds a profile from the official domains (lower-case ASCII, punycode for IDNs) and
    /// the brand keywords (Latin ones are lower-cased; Chinese ones are kept as given).
    pub fn new<D: AsRef<str>, K: AsRef<str>>(
        official_domains: &[D],
        keywords: &[K],
    ) -> Result<Self, BrandError> {
        if official_domains.len() > MAX_OFFICIAL_DOMAINS {
            return Err(BrandError::TooManyOfficialDomains { count: official_domains.len() });
        }
        if keywords.len() > MAX_KEYWORDS {
            return Err(BrandError::TooManyKeywords { count: keywords.len() });
        }
        let mut domains: Vec<String> = Vec::new();
        let mut names: Vec<OfficialName> = Vec::new();
        for domain in official_domains {
            let domain = domain.as_ref();
            if !is_domain_name(domain) {
                return Err(BrandError::InvalidOfficialDomain(domain.to_owned()));
            }
            let site = registrable_domain(domain)
                .ok_or_else(|| BrandError::NoRegistrableDomain(domain.to_owned()))?;
            let (label, suffix) =
                site.split_once('.').ok_or_else(|| BrandError::NoRegistrableDomain(domain.to_owned()))?;
            if !domains.iter().any(|d| d == domain) {
                domains.push(domain.to_owned());
            }
            if !names.iter().any(|n| n.domain == site) {
                names.push(OfficialName::new(site, label, suffix));
            }
        }
        let mut latin_keywords: Vec<String> = Vec::new();
        let mut other_keywords: Vec<String> = Vec::new();
        for keyword in keywords {
            let raw = keyword.as_ref().trim();
            if raw.is_empty() {
                return Err(BrandError::EmptyKeyword);
            }
            if raw.len() > MAX_KEYWORD_BYTES {
                return Err(BrandError::KeywordTooLong(raw.to_owned()));
            }
            let keyword = raw.to_lowercase();
            let list = if keyword.is_ascii() {
                if !keyword.bytes().all(is_host_byte) {
                    return Err(BrandError::KeywordNotInHosts(raw.to_owned()));
                }
                if keyword.len() < 2 || !keyword.bytes().any(|b| b.is_ascii_lowercase()) {
                    return Err(BrandError::KeywordTooWeak(raw.to_owned()));
                }
                &mut latin_keywords
            } else {
                if !keyword.chars().all(|c| c.is_alphanumeric() || c == '-') {
                    return Err(BrandError::KeywordNotInHosts(raw.to_owned()));
                }
                &mut other_keywords
            };
            if !list.contains(&keyword) {
                list.push(keyword);
            }
        }
        let latin_folded = latin_keywords.iter().map(|k| fold_ascii(k).collect()).collect();
        Ok(Self { official_domains: domains, names, latin_keywords, latin_folded, other_keywords })
    }

    /// The official domains, as configured (validated, duplicates removed).
    pub fn official_domains(&self) -> &[String] {
        &self.official_domains
    }

    /// Whether the firm owns `host`: it is an official domain, under one, or on the same
    /// registrable domain as one (the firm answers for all of its own site).
    fn owns(&self, host: &str, site: &str) -> bool {
        self.official_domains.iter().any(|d| is_same_or_subdomain(host, d))
            || self.names.iter().any(|n| n.domain == site)
    }

    /// Whether an all-ASCII host could trip any rule; most links are unrelated and stop here
    /// without allocating.
    fn worth_a_closer_look(&self, host: &str, site_label: &str, suffix: &str) -> bool {
        self.latin_keywords.iter().any(|k| contains(host, k))
            || self
                .names
                .iter()
                .any(|n| n.near_in_length(site_label.len(), suffix) || contains(host, &n.domain))
            || self.latin_folded.iter().any(|k| folded_contains(site_label, k))
    }

    /// The first brand keyword in `label` under the token rule or the brand-with-words rule
    /// (see the module doc).
    fn brand_in(&self, label: &Label<'_>) -> Option<&str> {
        let haystack: Cow<'_, str> =
            if label.idn { Cow::Owned(fold_unicode(&label.shown)) } else { Cow::Borrowed(label.ascii) };
        self.latin_keywords
            .iter()
            .find(|k| has_token(&haystack, k))
            .or_else(|| self.latin_keywords.iter().find(|k| is_joined_to_brand_words(&label.shown, k)))
            .or_else(|| self.other_keywords.iter().find(|k| label.idn && label.shown.contains(k.as_str())))
            .map(String::as_str)
    }

    /// The first Latin keyword that is a token of an ASCII `label` only once look-alike
    /// letters are folded (`kgl357`, `kg1888`). IDN labels are folded by [`Self::brand_in`].
    fn brand_in_lookalike_letters(&self, label: &Label<'_>) -> Option<&str> {
        if label.idn || !label.ascii.bytes().any(|b| matches!(b, b'm' | b'0' | b'1' | b'l')) {
            return None;
        }
        let folded: String = fold_ascii(label.ascii).collect();
        self.latin_keywords
            .iter()
            .zip(&self.latin_folded)
            .find(|(_, folded_keyword)| has_token(&folded, folded_keyword))
            .map(|(keyword, _)| keyword.as_str())
    }

    /// The official name whose look-alike fold equals `label`'s, when the letters differ.
    fn confusable_with(&self, label: &Label<'_>) -> Option<&OfficialName> {
        if label.idn {
            let folded = fold_unicode(&label.shown);
            self.names.iter().find(|n| n.folded == folded)
        } else {
            self.names.iter().find(|n| {
                n.label != label.ascii
                    && label.ascii.len() <= n.folded_chars
                    && fold_ascii(label.ascii).eq(n.folded.chars())
            })
        }
    }
}

/// One reason a host imitates the firm, with the data to explain it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Lookalike {
    /// The whole official domain followed by more labels, so the real site is another one:
    /// `kgi.com.tw.evil.net` (site `evil.net`), `kgi.com.tw.co` (site `tw.co`).
    OfficialNameInSubdomain {
        /// The official domain found inside the host.
        official: String,
        /// The site the host really belongs to.
        registrable_domain: String,
    },
    /// The official site name under another ending: `kgi.tw`, `kgi.com`.
    OfficialNameOtherSuffix {
        /// The official domain whose name was copied.
        official: String,
        /// The ending the host uses instead.
        suffix: String,
    },
    /// The site name looks the same as an official one letter for letter, through
    /// look-alike characters: `kgі.com.tw` with a Cyrillic `і`, `kg1.com.tw`, `kgl.com.tw`.
    ConfusableWithOfficial {
        /// The official domain it imitates.
        official: String,
        /// The site name as a reader sees it (Unicode for IDNs).
        label: String,
    },
    /// The brand keyword stands as a word in the site's own name (`kgi357.com`,
    /// `login-kgi.net`, `凱基證券.com`), or is joined to words scammers use (`kgitrade.com`).
    BrandInName {
        /// The keyword found.
        keyword: String,
        /// The site name as a reader sees it (Unicode for IDNs).
        label: String,
    },
    /// The brand keyword stands as a word in a subdomain of someone else's site, or joined
    /// to words scammers use: `kgi.evil.net`, `kgi-login.evil.net`, `kgitrade.evil.net`.
    BrandInSubdomain {
        /// The keyword found.
        keyword: String,
        /// The subdomain label that holds it, as a reader sees it.
        label: String,
        /// The site the host really belongs to.
        registrable_domain: String,
    },
    /// The site name is one or two typing slips from an official one: `kig.com.tw`,
    /// `kgii.com.tw`.
    MisspelledOfficial {
        /// The official domain it imitates.
        official: String,
        /// The site name as a reader sees it.
        label: String,
        /// Letters added, removed, changed or swapped.
        distance: u8,
    },
    /// A label mixes alphabets that look alike (Latin with Cyrillic, say), a trick to make
    /// a fake name read like a real one.
    MixedScript {
        /// The label as a reader sees it.
        label: String,
    },
    /// The brand keyword spelled with look-alike letters, padded with digits or hyphens, in
    /// the site's own name: `kgl357.com`, `kg1888.cc`.
    BrandLookalikeLetters {
        /// The keyword imitated.
        keyword: String,
        /// The site name as written.
        label: String,
    },
    /// An official domain written as a segment of the path of a link to another site
    /// (`other.top/kgi.com.tw/`), so that the link reads like ours. Given by
    /// [`official_name_in_path`].
    OfficialNameInPath {
        /// The official domain found in the path.
        official: String,
    },
}

impl Lookalike {
    /// Every code a lookalike reason can have, for documentation and tests.
    pub const CODES: [&'static str; 9] = [
        "official_name_in_subdomain",
        "official_name_other_suffix",
        "confusable_with_official",
        "brand_in_name",
        "brand_in_subdomain",
        "misspelled_official",
        "mixed_script",
        "brand_lookalike_letters",
        "official_name_in_path",
    ];

    /// The stable code, as in JSON (the `code` field).
    pub fn code(&self) -> &'static str {
        let index = match self {
            Self::OfficialNameInSubdomain { .. } => 0,
            Self::OfficialNameOtherSuffix { .. } => 1,
            Self::ConfusableWithOfficial { .. } => 2,
            Self::BrandInName { .. } => 3,
            Self::BrandInSubdomain { .. } => 4,
            Self::MisspelledOfficial { .. } => 5,
            Self::MixedScript { .. } => 6,
            Self::BrandLookalikeLetters { .. } => 7,
            Self::OfficialNameInPath { .. } => 8,
        };
        Self::CODES[index]
    }
}

/// Says how `host` imitates the firm: empty for an unrelated or official host.
///
/// `host` is the canonical lower-case ASCII host (punycode for IDNs). The caller decides
/// "official" first; this still returns nothing for an official host, to be safe.
pub fn assess(host: &str, profile: &BrandProfile) -> Vec<Lookalike> {
    match registrable_domain(host) {
        Some(site) => assess_site(host, site, profile),
        None => Vec::new(),
    }
}

/// [`assess`] for a caller that already has the host's registrable domain `site`
/// (`registrable_domain(host)`), so the Public Suffix List is not searched twice.
pub(crate) fn assess_site(host: &str, site: &str, profile: &BrandProfile) -> Vec<Lookalike> {
    let mut found = Vec::new();
    if profile.owns(host, site) {
        return found;
    }
    let (Some((site_label, suffix)), Some(subdomain)) = (site.split_once('.'), host.strip_suffix(site))
    else {
        return found;
    };
    let has_idn = host.starts_with("xn--") || contains(host, ".xn--");
    if !has_idn && !profile.worth_a_closer_look(host, site_label, suffix) {
        return found;
    }

    let inside = profile.names.iter().find(|n| has_domain_then_more(host, &n.domain));
    if let Some(name) = inside {
        found.push(Lookalike::OfficialNameInSubdomain {
            official: name.domain.clone(),
            registrable_domain: site.to_owned(),
        });
    }

    let mut names_the_brand = inside.is_some();
    if let Some(label) = Label::read(site_label) {
        if let Some(name) = profile.names.iter().find(|n| n.label == site_label) {
            found.push(Lookalike::OfficialNameOtherSuffix {
                official: name.domain.clone(),
                suffix: suffix.to_owned(),
            });
            names_the_brand = true;
        } else if let Some(name) = profile.confusable_with(&label) {
            found.push(Lookalike::ConfusableWithOfficial {
                official: name.domain.clone(),
                label: label.shown.clone().into_owned(),
            });
            names_the_brand = true;
        } else if let Some(keyword) = profile.brand_in(&label) {
            found.push(Lookalike::BrandInName {
                keyword: keyword.to_owned(),
                label: label.shown.clone().into_owned(),
            });
            names_the_brand = true;
        } else if let Some(keyword) = profile.brand_in_lookalike_letters(&label) {
            found.push(Lookalike::BrandLookalikeLetters {
                keyword: keyword.to_owned(),
                label: label.ascii.to_owned(),
            });
            names_the_brand = true;
        } else if let Some((name, distance)) =
            profile.names.iter().find_map(|n| n.misspelling(&label.shown, suffix).map(|d| (n, d)))
        {
            found.push(Lookalike::MisspelledOfficial {
                official: name.domain.clone(),
                label: label.shown.clone().into_owned(),
                distance: u8::try_from(distance).unwrap_or(u8::MAX),
            });
        }
    }

    if !names_the_brand {
        let subdomain_labels = subdomain.split('.').filter(|l| !l.is_empty());
        if let Some((label, keyword)) = subdomain_labels
            .filter_map(Label::read)
            .find_map(|l| profile.brand_in(&l).map(|k| (l.shown.clone(), k)))
        {
            found.push(Lookalike::BrandInSubdomain {
                keyword: keyword.to_owned(),
                label: label.into_owned(),
                registrable_domain: site.to_owned(),
            });
        }
    }

    if has_idn {
        let mixed = host
            .split('.')
            .filter(|l| l.starts_with("xn--"))
            .filter_map(Label::read)
            .find(|l| is_mixed_script(&l.shown));
        if let Some(label) = mixed {
            found.push(Lookalike::MixedScript { label: label.shown.into_owned() });
        }
    }
    found
}

/// A host label as a reader sees it: the ASCII form, and the Unicode form for IDNs.
struct Label<'a> {
    ascii: &'a str,
    shown: Cow<'a, str>,
    idn: bool,
}

impl<'a> Label<'a> {
    /// Reads a label, decoding punycode only for `xn--` labels (so plain ASCII labels cost
    /// nothing). `None` for a malformed `xn--` label: no browser would show it as a name.
    fn read(ascii: &'a str) -> Option<Self> {
        match ascii.strip_prefix("xn--") {
            Some(encoded) => idna::punycode::decode_to_string(encoded).map(|shown| Self {
                ascii,
                shown: Cow::Owned(shown),
                idn: true,
            }),
            None => Some(Self { ascii, shown: Cow::Borrowed(ascii), idn: false }),
        }
    }
}

/// Substring test for the fast path: on host-sized strings a plain window scan is several
/// times faster than setting up `str::contains`'s two-way searcher.
fn contains(haystack: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    !needle.is_empty() && haystack.as_bytes().windows(needle.len()).any(|w| w == needle)
}

/// Bytes a host label may hold.
fn is_host_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'
}

/// Whether `keyword` occurs in `label` bounded on both sides by the label's ends or by
/// anything but a Latin letter (a hyphen, a digit, or a character of another script).
fn has_token(label: &str, keyword: &str) -> bool {
    let bytes = label.as_bytes();
    label.match_indices(keyword).any(|(start, _)| {
        let end = start + keyword.len();
        let before = start.checked_sub(1).and_then(|i| bytes.get(i));
        let after = bytes.get(end);
        !before.is_some_and(u8::is_ascii_alphabetic) && !after.is_some_and(u8::is_ascii_alphabetic)
    })
}

/// Words scammers join to a brand name on either side (`kgitrade`, `tradekgi`, `kgiapptw`):
/// trading, login, "customer service" and place words. A word costs false positives where a
/// real name is exactly the brand plus listed words; the measurement in `docs/benchmarks.md`
/// found none. Names of the firm's own business lines (`bank`, `life`, `fund`, `futures`,
/// `capital`) are left out on purpose: a group site such as `kgibank.com.tw` must not be
/// called "not our site" merely because the official list lacks it.
const BRAND_WORDS: [&str; 42] = [
    "trade",
    "trading",
    "trader",
    "stock",
    "stocks",
    "invest",
    "investment",
    "login",
    "signin",
    "secure",
    "safe",
    "verify",
    "app",
    "apps",
    "online",
    "vip",
    "service",
    "services",
    "support",
    "web",
    "official",
    "tw",
    "taiwan",
    "asia",
    "hk",
    "global",
    "group",
    "pro",
    "club",
    "team",
    "care",
    "help",
    "account",
    "member",
    "wealth",
    "pay",
    "sec",
    "securities",
    "kf",
    "kefu",
    "cs",
    "mobile",
];

/// The longest word of [`BRAND_WORDS`] and [`BRAND_PREFIXES`].
const LONGEST_BRAND_WORD: usize = 10;

/// Short words that read as a prefix of a brand (`mykgi`, `ekgi`, `gokgi`), but after it would
/// turn ordinary spellings into matches (`kgie…`, `kgii` is a slip of `kgi`, not a word).
const BRAND_PREFIXES: [&str; 8] = ["my", "go", "e", "i", "m", "the", "get", "www"];

/// The most letters a run may have for the brand-with-words rule; a DNS label has 63.
const MAX_RUN_LETTERS: usize = 63;

/// Whether some run of ASCII letters in `label` is the Latin `keyword` with words of
/// [`BRAND_WORDS`] (or, before it, [`BRAND_PREFIXES`]) joined on one or both sides.
fn is_joined_to_brand_words(label: &str, keyword: &str) -> bool {
    label.split(|c: char| !c.is_ascii_alphabetic()).any(|run| {
        run.len() > keyword.len()
            && run.len() <= MAX_RUN_LETTERS
            && run.match_indices(keyword).any(|(at, _)| {
                let (before, after) = (&run[..at], &run[at + keyword.len()..]);
                is_made_of(before, |w| BRAND_WORDS.contains(&w) || BRAND_PREFIXES.contains(&w))
                    && is_made_of(after, |w| BRAND_WORDS.contains(&w))
            })
    })
}

/// Whether `letters` (at most [`MAX_RUN_LETTERS`]) splits wholly into words accepted by
/// `is_word`; the empty string does.
fn is_made_of(letters: &str, is_word: impl Fn(&str) -> bool) -> bool {
    // reachable[i]: the first i letters split into words.
    let mut reachable = [false; MAX_RUN_LETTERS + 1];
    reachable[0] = true;
    for end in 1..=letters.len().min(MAX_RUN_LETTERS) {
        let first = end.saturating_sub(LONGEST_BRAND_WORD);
        reachable[end] = (first..end).any(|start| reachable[start] && is_word(&letters[start..end]));
    }
    letters.len() <= MAX_RUN_LETTERS && reachable[letters.len()]
}

/// Whether the look-alike fold of an ASCII `label` contains `needle`, without allocating.
fn folded_contains(label: &str, needle: &str) -> bool {
    if !label.bytes().any(|b| matches!(b, b'm' | b'0' | b'1' | b'l')) {
        // Nothing in the label folds, so it is its own fold.
        return contains(label, needle);
    }
    // Every ASCII character folds to at most two, and a label has at most 63 bytes.
    let mut folded = [0u8; 2 * MAX_LABEL_CHARS];
    let mut len = 0;
    for c in fold_ascii(label) {
        let Some(slot) = folded.get_mut(len) else { return false };
        *slot = c as u8;
        len += 1;
    }
    let needle = needle.as_bytes();
    !needle.is_empty() && folded[..len].windows(needle.len()).any(|w| w == needle)
}

/// Whether a path segment names an official domain or a subdomain of one, in any letter case.
fn names_domain(segment: &str, domain: &str) -> bool {
    let (segment, domain) = (segment.as_bytes(), domain.as_bytes());
    segment.len() >= domain.len()
        && segment[segment.len() - domain.len()..].eq_ignore_ascii_case(domain)
        && (segment.len() == domain.len() || segment[segment.len() - domain.len() - 1] == b'.')
}

/// Says whether the path of a link (`/kgi.com.tw/login`) carries an official domain as a
/// segment of its own, or a subdomain of one (`/www.kgi.com.tw/`), in any letter case: the
/// trick of `other.top/kgi.com.tw/`, whose address starts with another site but reads like
/// ours. The query and fragment, if `path` has them, are ignored: search engines and
/// translators carry addresses there for good reasons.
///
/// The caller checks the host first; on the firm's own site this is no warning. Official
/// domains are matched as configured and by their registrable domain (the firm answers for
/// its whole site), so a profile listing only `www.kgi.com.tw` still finds `kgi.com.tw`.
pub fn official_name_in_path(path: &str, profile: &BrandProfile) -> Option<Lookalike> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let shortest = profile.names.iter().map(|n| n.domain.len()).min()?;
    path.split('/').filter(|segment| segment.len() >= shortest && segment.contains('.')).find_map(|segment| {
        let segment = segment.trim_end_matches('.');
        let official = profile
            .official_domains
            .iter()
            .find(|d| names_domain(segment, d))
            .or_else(|| profile.names.iter().map(|n| &n.domain).find(|d| names_domain(segment, d)))?;
        Some(Lookalike::OfficialNameInPath { official: official.clone() })
    })
}

/// Whether the official `domain` occurs in `host` on label boundaries with more labels after
/// it (`kgi.com.tw.evil.net`). The host is known not to end with it.
fn has_domain_then_more(host: &str, domain: &str) -> bool {
    let bytes = host.as_bytes();
    host.match_indices(domain).any(|(start, _)| {
        let starts_a_label = start == 0 || bytes.get(start - 1) == Some(&b'.');
        starts_a_label && bytes.get(start + domain.len()) == Some(&b'.')
    })
}

/// The look-alike fold of a Unicode string: the UTS #39 confusable skeleton, lower-cased,
/// then two merges UTS #39 leaves out because hosts are case-insensitive and read on phones:
/// `l` with `i` (a message can write `KGl.com.tw`, where `l` and capital `I` look the same;
/// UTS #39 already sends `1` and `I` to `l`), and `ĸ` with `k` (UTS #39 sends Cyrillic `к`,
/// a small capital K, to `ĸ`, which reads as `k`).
fn fold_unicode(s: &str) -> String {
    unicode_security::skeleton(s)
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'l' => 'i',
            'ĸ' => 'k',
            other => other,
        })
        .collect()
}

/// [`fold_unicode`] for an ASCII label, without allocating. Among host characters UTS #39
/// changes only `m` (to `rn`), `0` (to `O`) and `1` (to `l`); a test checks this agrees with
/// [`fold_unicode`] on every host character.
fn fold_ascii(label: &str) -> impl Iterator<Item = char> + '_ {
    label.bytes().flat_map(|b| {
        let (first, second) = match b {
            b'm' => ('r', Some('n')),
            b'0' => ('o', None),
            b'1' | b'l' => ('i', None),
            other => (char::from(other), None),
        };
        std::iter::once(first).chain(second)
    })
}

/// Whether a decoded IDN label mixes scripts below UTS #39's "moderately restrictive"
/// level, the line browsers draw before showing punycode instead.
fn is_mixed_script(label: &str) -> bool {
    !label.is_single_script() && label.detect_restriction_level() >= RestrictionLevel::MinimallyRestrictive
}

/// Copies the characters of `s` into `buf`; `None` when it does not fit.
fn chars_into<'b>(s: &str, buf: &'b mut [char; MAX_LABEL_CHARS]) -> Option<&'b [char]> {
    let mut len = 0;
    for c in s.chars() {
        *buf.get_mut(len)? = c;
        len += 1;
    }
    buf.get(..len)
}

/// The optimal-string-alignment distance (restricted Damerau–Levenshtein: insert, delete,
/// change, or swap two neighbours, each counting 1), on the stack. `None` past 64 characters.
fn osa_distance(a: &[char], b: &[char]) -> Option<usize> {
    if a.len() >= MAX_LABEL_CHARS || b.len() >= MAX_LABEL_CHARS {
        return None;
    }
    let mut before_previous = [0usize; MAX_LABEL_CHARS];
    let mut previous = [0usize; MAX_LABEL_CHARS];
    let mut current = [0usize; MAX_LABEL_CHARS];
    for (j, cell) in previous.iter_mut().enumerate().take(b.len() + 1) {
        *cell = j;
    }
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before_previous[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before_previous, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[b.len()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The demo firm: 凱基證券 / KGI Securities.
    fn kgi() -> BrandProfile {
        BrandProfile::new(&["kgi.com.tw"], &["kgi".to_owned(), "凱基".to_owned()]).expect("valid profile")
    }

    /// The punycode form of a Unicode host, as the canonicaliser would give it.
    fn puny(unicode_host: &str) -> String {
        idna::domain_to_ascii(unicode_host).expect("valid IDN")
    }

    fn codes(host: &str) -> Vec<&'static str> {
        assess(host, &kgi()).iter().map(Lookalike::code).collect()
    }

    fn brand_in_name(keyword: &str, label: &str) -> Lookalike {
        Lookalike::BrandInName { keyword: keyword.into(), label: label.into() }
    }

    // --- the profile --------------------------------------------------------------------

    #[test]
    fn a_profile_precomputes_the_official_site_name_and_ending() {
        let profile = kgi();

        let name = &profile.names[0];

        assert_eq!(
            (name.domain.as_str(), name.label.as_str(), name.suffix.as_str()),
            ("kgi.com.tw", "kgi", "com.tw")
        );
        assert_eq!(profile.official_domains(), ["kgi.com.tw"]);
    }

    #[test]
    fn a_profile_refuses_official_domains_that_are_not_lower_case_domains() {
        for bad in ["KGI.com.tw", "kgi", "kgi..com.tw", "1.2.3.4", "kgi com.tw"] {
            let result = BrandProfile::new(&[bad], &["kgi"]);

            assert_eq!(result.err(), Some(BrandError::InvalidOfficialDomain(bad.into())), "{bad}");
        }
    }

    #[test]
    fn a_profile_refuses_a_bare_public_suffix_as_official_domain() {
        let result = BrandProfile::new(&["com.tw"], &["kgi"]);

        assert_eq!(result.err(), Some(BrandError::NoRegistrableDomain("com.tw".into())));
    }

    #[test]
    fn a_profile_refuses_keywords_that_are_empty_long_weak_or_impossible_in_hosts() {
        let cases = [
            ("  ", BrandError::EmptyKeyword),
            ("k", BrandError::KeywordTooWeak("k".into())),
            ("888", BrandError::KeywordTooWeak("888".into())),
            ("kgi securities", BrandError::KeywordNotInHosts("kgi securities".into())),
            ("kgi.com", BrandError::KeywordNotInHosts("kgi.com".into())),
            ("凱基 證券", BrandError::KeywordNotInHosts("凱基 證券".into())),
            ("凱基。", BrandError::KeywordNotInHosts("凱基。".into())),
        ];
        for (keyword, error) in cases {
            let result = BrandProfile::new(&["kgi.com.tw"], &[keyword]);

            assert_eq!(result.err(), Some(error), "{keyword:?}");
        }
        let long = "k".repeat(MAX_KEYWORD_BYTES + 1);
        assert_eq!(
            BrandProfile::new(&["kgi.com.tw"], &[long.as_str()]).err(),
            Some(BrandError::KeywordTooLong(long.clone()))
        );
    }

    #[test]
    fn a_profile_refuses_oversized_lists() {
        let domains: Vec<String> = (0..=MAX_OFFICIAL_DOMAINS).map(|i| format!("kgi{i}.com.tw")).collect();
        let keywords: Vec<String> = (0..=MAX_KEYWORDS).map(|i| format!("kgi{i}")).collect();

        assert_eq!(
            BrandProfile::new(&domains, &["kgi"]).err(),
            Some(BrandError::TooManyOfficialDomains { count: MAX_OFFICIAL_DOMAINS + 1 })
        );
        assert_eq!(
            BrandProfile::new(&["kgi.com.tw"], &keywords).err(),
            Some(BrandError::TooManyKeywords { count: MAX_KEYWORDS + 1 })
        );
    }

    #[test]
    fn latin_keywords_are_lower_cased_and_chinese_keywords_kept() {
        let profile = BrandProfile::new(&["kgi.com.tw"], &[" KGI ", "凱基"]).expect("valid profile");

        assert_eq!(profile.latin_keywords, ["kgi"]);
        assert_eq!(profile.other_keywords, ["凱基"]);
        assert_eq!(assess("kgi357.com", &profile), [brand_in_name("kgi", "kgi357")]);
    }

    // --- official and unrelated hosts ---------------------------------------------------

    #[test]
    fn official_hosts_and_their_subdomains_are_never_lookalikes() {
        for host in ["kgi.com.tw", "www.kgi.com.tw", "kgi-login.www.kgi.com.tw"] {
            assert_eq!(codes(host), Vec::<&str>::new(), "{host}");
        }
    }

    #[test]
    fn any_host_on_the_firms_own_site_is_no_lookalike_even_if_only_a_subdomain_is_listed() {
        let profile = BrandProfile::new(&["www.kgi.com.tw"], &["kgi"]).expect("valid profile");

        let found = assess("kgi-app.kgi.com.tw", &profile);

        assert_eq!(found, []);
    }

    #[test]
    fn unrelated_hosts_are_no_lookalikes() {
        for host in ["example.org", "google.com", "2311915.ec66.tw", "abc.com.tw", "www.twse.com.tw"] {
            assert_eq!(codes(host), Vec::<&str>::new(), "{host}");
        }
    }

    #[test]
    fn hosts_without_a_known_ending_are_left_alone() {
        assert_eq!(codes("kgi357.invalidtld"), Vec::<&str>::new());
        assert_eq!(codes(""), Vec::<&str>::new());
    }

    // --- brand token --------------------------------------------------------------------

    #[test]
    fn the_brand_padded_with_digits_or_hyphens_in_the_site_name_is_caught() {
        let cases = [
            ("kgi357.com", "kgi357"),
            ("kgi-login.com", "kgi-login"),
            ("login-kgi.net", "login-kgi"),
            ("kgi888.cc", "kgi888"),
            ("888kgi.cc", "888kgi"),
            ("a006.kgi588.com", "kgi588"),
            ("kkpp.kgi357.com", "kgi357"),
            ("kkpp.kgi379.com", "kgi379"),
            ("www-kgi-com-tw.xyz", "www-kgi-com-tw"),
        ];
        for (host, label) in cases {
            let found = assess(host, &kgi());

            assert_eq!(found, [brand_in_name("kgi", label)], "{host}");
        }
    }

    #[test]
    fn the_brand_inside_a_word_is_not_caught() {
        for host in ["parkgirl.com", "kgirl.com", "makgi.com", "kgis.com", "www.parkgirl.com"] {
            assert_eq!(codes(host), Vec::<&str>::new(), "{host}");
        }
    }

    #[test]
    fn the_brand_in_a_subdomain_of_someone_elses_site_is_caught() {
        let cases = [
            ("kgi.evil.net", "kgi"),
            ("kgi-login.evil.net", "kgi-login"),
            ("secure.kgi2.example.com", "kgi2"),
        ];
        for (host, label) in cases {
            let found = assess(host, &kgi());

            let site = registrable_domain(host).expect("site");
            assert_eq!(
                found,
                [Lookalike::BrandInSubdomain {
                    keyword: "kgi".into(),
                    label: label.into(),
                    registrable_domain: site.into()
                }],
                "{host}"
            );
        }
    }

    #[test]
    fn the_brand_joined_to_words_scammers_use_is_caught_in_the_site_name() {
        let cases = [
            ("kgitrade.com", "kgitrade"),
            ("tradekgi.net", "tradekgi"),
            ("kgisec.com", "kgisec"),
            ("mykgi.com", "mykgi"),
            ("www.kgisecurities.top", "kgisecurities"),
            ("kgiapptw.com", "kgiapptw"),
            ("mykgitrade88.vip", "mykgitrade88"),
            ("ekgi-login.com", "ekgi-login"),
            ("kgiservice.com.tw", "kgiservice"),
            ("kgionline.net", "kgionline"),
        ];
        for (host, label) in cases {
            let found = assess(host, &kgi());

            assert_eq!(found, [brand_in_name("kgi", label)], "{host}");
        }
    }

    #[test]
    fn the_brand_joined_to_words_scammers_use_is_caught_in_a_subdomain() {
        let found = assess("kgitrade.evil.net", &kgi());

        assert_eq!(
            found,
            [Lookalike::BrandInSubdomain {
                keyword: "kgi".into(),
                label: "kgitrade".into(),
                registrable_domain: "evil.net".into()
            }]
        );
    }

    #[test]
    fn the_brand_with_letters_that_are_no_listed_word_is_not_caught() {
        for host in [
            "kgirls.com",
            "blackgirlscode.com",
            "kgisl.com",
            "igkgi.com",
            "kgieworld.com",
            "kgibank.com.tw",
            "kgilife.com.tw",
            "mykgirl.com",
            "tradekgis.net",
            "kgitradex.com",
        ] {
            assert_eq!(codes(host), Vec::<&str>::new(), "{host}");
        }
    }

    #[test]
    fn a_prefix_word_after_the_brand_does_not_count() {
        // `kgii` is a slip of the official name, not the brand plus the word `i`.
        assert_eq!(codes("kgii.com.tw"), ["misspelled_official"]);
        assert_eq!(codes("kgimy.com"), Vec::<&str>::new());
        assert_eq!(codes("kgie.net"), Vec::<&str>::new());
    }

    #[test]
    fn the_brand_words_split_only_into_whole_listed_words() {
        let listed = |w: &str| ["trade", "app", "tw"].contains(&w);

        assert!(is_made_of("", listed));
        assert!(is_made_of("tradeapptw", listed));
        assert!(!is_made_of("tradeap", listed));
        assert!(!is_made_of(&"tw".repeat(40), listed), "longer than a label");
        assert!(BRAND_WORDS.iter().chain(&BRAND_PREFIXES).all(|w| w.len() <= LONGEST_BRAND_WORD));
        assert!(BRAND_WORDS.iter().chain(&BRAND_PREFIXES).any(|w| w.len() == LONGEST_BRAND_WORD));
    }

    // --- brand in look-alike letters ----------------------------------------------------

    #[test]
    fn the_brand_with_a_look_alike_letter_and_digits_is_caught() {
        for (host, label) in [
            ("kgl357.com", "kgl357"),
            ("kg1888.cc", "kg1888"),
            ("www.kgl588.com", "kgl588"),
            ("kgl-app.net", "kgl-app"),
            ("88kg1.top", "88kg1"),
        ] {
            let found = assess(host, &kgi());

            assert_eq!(
                found,
                [Lookalike::BrandLookalikeLetters { keyword: "kgi".into(), label: label.into() }],
                "{host}"
            );
        }
    }

    #[test]
    fn a_look_alike_letter_inside_a_word_or_in_a_subdomain_is_not_caught() {
        for host in
            ["kglobal.com", "hkglobalpay.com", "kgltrade.com", "skgl357.com", "kg1.example.com", "kg11.com"]
        {
            assert_eq!(codes(host), Vec::<&str>::new(), "{host}");
        }
    }

    #[test]
    fn the_official_name_in_look_alike_letters_stays_a_confusable_name() {
        assert_eq!(codes("kgl.com"), ["confusable_with_official"]);
        assert_eq!(codes("kgi588.com"), ["brand_in_name"], "a capital I reads as our name");
    }

    #[test]
    fn look_alike_letters_of_a_longer_keyword_are_caught() {
        let profile = BrandProfile::new(&["momo.com.tw"], &["momo"]).expect("valid profile");

        assert_eq!(
            assess("m0m0888.com", &profile),
            [Lookalike::BrandLookalikeLetters { keyword: "momo".into(), label: "m0m0888".into() }]
        );
        assert_eq!(assess("rnomo-shop.com", &profile)[0].code(), "brand_lookalike_letters");
    }

    // --- official name in the path ------------------------------------------------------

    fn in_path(path: &str) -> Option<Lookalike> {
        official_name_in_path(path, &kgi())
    }

    fn official_in_path(official: &str) -> Option<Lookalike> {
        Some(Lookalike::OfficialNameInPath { official: official.into() })
    }

    #[test]
    fn the_official_domain_as_a_path_segment_is_caught() {
        for path in
            ["/kgi.com.tw/", "/www.kgi.com.tw/login", "/a/b/kgi.com.tw", "/KGI.COM.TW/", "/kgi.com.tw./x"]
        {
            assert_eq!(in_path(path), official_in_path("kgi.com.tw"), "{path}");
        }
    }

    #[test]
    fn the_official_domain_inside_a_longer_segment_or_in_the_query_is_not_caught() {
        for path in [
            "/",
            "",
            "/login",
            "/mykgi.com.tw/",
            "/kgi.com.tw.evil.net/",
            "/kgi.com.tw-login/",
            "/search?q=kgi.com.tw",
            "/translate?u=https://www.kgi.com.tw/",
            "/page#kgi.com.tw",
        ] {
            assert_eq!(in_path(path), None, "{path}");
        }
    }

    #[test]
    fn the_path_rule_knows_the_official_site_even_when_only_a_subdomain_is_listed() {
        let profile = BrandProfile::new(&["www.kgi.com.tw"], &["kgi"]).expect("valid profile");

        assert_eq!(official_name_in_path("/www.kgi.com.tw/", &profile), official_in_path("www.kgi.com.tw"));
        assert_eq!(official_name_in_path("/kgi.com.tw/", &profile), official_in_path("kgi.com.tw"));
    }

    #[test]
    fn the_brand_inside_a_word_of_a_subdomain_is_not_caught() {
        assert_eq!(codes("parkgirl.example.com"), Vec::<&str>::new());
        assert_eq!(codes("kgirls.blog.example.com"), Vec::<&str>::new());
    }

    #[test]
    fn a_brand_in_the_site_name_is_not_repeated_for_its_subdomains() {
        assert_eq!(codes("kgi.kgi357.com"), ["brand_in_name"]);
    }

    // --- official name followed by more labels ------------------------------------------

    #[test]
    fn the_whole_official_domain_followed_by_more_labels_is_caught() {
        let cases = [
            ("kgi.com.tw.evil.net", "evil.net"),
            ("www.kgi.com.tw.evil.net", "evil.net"),
            // The Public Suffix List has `co` but no `tw.co`, so the site here is `tw.co`.
            ("kgi.com.tw.co", "tw.co"),
        ];
        for (host, site) in cases {
            let found = assess(host, &kgi());

            assert_eq!(
                found,
                [Lookalike::OfficialNameInSubdomain {
                    official: "kgi.com.tw".into(),
                    registrable_domain: site.into()
                }],
                "{host}"
            );
        }
    }

    #[test]
    fn the_official_domain_glued_to_another_word_is_not_the_official_name() {
        assert_eq!(codes("kgi.com.tweaks.net"), ["brand_in_subdomain"]);
        // `mykgi` is the brand joined to a word, so the subdomain still names the brand.
        assert_eq!(codes("mykgi.com.tw.evil.net"), ["brand_in_subdomain"]);
        assert_eq!(codes("parkgi.com.tw.evil.net"), Vec::<&str>::new());
    }

    // --- other ending -------------------------------------------------------------------

    #[test]
    fn the_official_name_under_another_ending_is_caught() {
        let cases = [
            ("kgi.tw", "tw"),
            ("kgi.com", "com"),
            ("www.kgi.com", "com"),
            ("kgi.com.cn", "com.cn"),
            ("kgi.net.tw", "net.tw"),
        ];
        for (host, suffix) in cases {
            let found = assess(host, &kgi());

            assert_eq!(
                found,
                [Lookalike::OfficialNameOtherSuffix { official: "kgi.com.tw".into(), suffix: suffix.into() }],
                "{host}"
            );
        }
    }

    // --- near spelling ------------------------------------------------------------------

    #[test]
    fn one_slip_from_the_official_name_under_its_ending_is_caught() {
        for (host, label) in
            [("kig.com.tw", "kig"), ("kgii.com.tw", "kgii"), ("kg.com.tw", "kg"), ("kgb.com.tw", "kgb")]
        {
            let found = assess(host, &kgi());

            assert_eq!(
                found,
                [Lookalike::MisspelledOfficial {
                    official: "kgi.com.tw".into(),
                    label: label.into(),
                    distance: 1
                }],
                "{host}"
            );
        }
    }

    #[test]
    fn a_short_name_one_slip_away_under_another_ending_is_not_caught() {
        for host in ["kig.com", "kgii.net", "kgb.ru"] {
            assert_eq!(codes(host), Vec::<&str>::new(), "{host}");
        }
    }

    #[test]
    fn names_further_from_the_official_name_are_not_caught() {
        for host in ["abc.com.tw", "kgbxy.com.tw", "gk.com.tw"] {
            assert_eq!(codes(host), Vec::<&str>::new(), "{host}");
        }
    }

    #[test]
    fn a_long_official_name_allows_two_slips_under_any_ending() {
        let profile = BrandProfile::new(&["kgieworld.com.tw"], &["kgi"]).expect("valid profile");
        let distance = |host: &str| match assess(host, &profile).as_slice() {
            [Lookalike::MisspelledOfficial { distance, .. }] => Some(*distance),
            _ => None,
        };

        assert_eq!(distance("kgiewrold.com"), Some(1));
        assert_eq!(distance("kgeiwrold.net"), Some(2));
        assert_eq!(distance("kxexwxrld.com.tw"), None);
    }

    // --- look-alike letters -------------------------------------------------------------

    #[test]
    fn cyrillic_letters_that_look_latin_are_caught() {
        // U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I, and U+043A CYRILLIC SMALL LETTER KA.
        for unicode in ["kg\u{456}.com.tw", "\u{43a}gi.com.tw", "\u{43a}g\u{456}.com.tw"] {
            let host = puny(unicode);
            let label = unicode.split('.').next().expect("label");

            let found = assess(&host, &kgi());

            assert!(host.starts_with("xn--"), "{host}");
            assert_eq!(
                found,
                [
                    Lookalike::ConfusableWithOfficial { official: "kgi.com.tw".into(), label: label.into() },
                    Lookalike::MixedScript { label: label.into() }
                ],
                "{unicode} as {host}"
            );
        }
    }

    #[test]
    fn look_alike_letters_under_another_ending_are_still_caught() {
        let host = puny("kg\u{456}.com");

        assert_eq!(codes(&host), ["confusable_with_official", "mixed_script"]);
    }

    #[test]
    fn digit_one_and_small_l_for_i_are_caught() {
        for host in ["kg1.com.tw", "kgl.com.tw", "kg1.com"] {
            assert_eq!(codes(host), ["confusable_with_official"], "{host}");
        }
    }

    #[test]
    fn zero_for_o_and_rn_for_m_are_caught() {
        let profile = BrandProfile::new(&["momo.com.tw"], &["momo"]).expect("valid profile");

        for host in ["m0m0.com.tw", "rnomo.com.tw", "rnorno.com", "morn0.net"] {
            let found = assess(host, &profile);

            assert_eq!(found.len(), 1, "{host}: {found:?}");
            assert_eq!(found[0].code(), "confusable_with_official", "{host}");
        }
        assert_eq!(assess("mono.com", &profile), []);
    }

    #[test]
    fn an_ordinary_different_name_has_a_different_skeleton() {
        assert_eq!(codes("kgo.net"), Vec::<&str>::new());
        assert_eq!(codes("kgim.net"), Vec::<&str>::new());
    }

    // --- mixed script and Chinese brand -------------------------------------------------

    #[test]
    fn a_label_mixing_latin_and_cyrillic_is_caught_even_without_the_brand() {
        let host = puny("p\u{430}ypal.com");

        let found = assess(&host, &kgi());

        assert_eq!(found, [Lookalike::MixedScript { label: "p\u{430}ypal".into() }]);
    }

    #[test]
    fn chinese_labels_and_chinese_with_latin_are_not_mixed_script() {
        for unicode in ["證券-app.net", "台灣銀行.tw", "пример.рф", "中文.台灣"] {
            let host = puny(unicode);

            assert_eq!(codes(&host), Vec::<&str>::new(), "{unicode} as {host}");
        }
    }

    #[test]
    fn the_chinese_brand_name_inside_an_idn_is_caught() {
        for (unicode, label) in
            [("凱基證券.com", "凱基證券"), ("凱基-app.net", "凱基-app"), ("www.凱基.tw", "凱基")]
        {
            let host = puny(unicode);

            let found = assess(&host, &kgi());

            assert_eq!(found, [brand_in_name("凱基", label)], "{unicode} as {host}");
        }
    }

    #[test]
    fn the_latin_brand_next_to_chinese_in_an_idn_is_caught() {
        let host = puny("kgi證券.com");

        assert_eq!(assess(&host, &kgi()), [brand_in_name("kgi", "kgi證券")]);
    }

    #[test]
    fn the_chinese_brand_in_a_subdomain_is_caught() {
        let host = puny("凱基.evil.net");

        assert_eq!(
            assess(&host, &kgi()),
            [Lookalike::BrandInSubdomain {
                keyword: "凱基".into(),
                label: "凱基".into(),
                registrable_domain: "evil.net".into()
            }]
        );
    }

    #[test]
    fn chinese_without_the_brand_is_not_caught() {
        for unicode in ["證券.com", "凱旋.tw", "基金.net"] {
            assert_eq!(codes(&puny(unicode)), Vec::<&str>::new(), "{unicode}");
        }
    }

    #[test]
    fn the_brand_hidden_in_cyrillic_letters_of_a_longer_name_is_caught() {
        let host = puny("kg\u{456}357.com");

        assert_eq!(codes(&host), ["brand_in_name", "mixed_script"]);
    }

    #[test]
    fn punycode_text_is_not_searched_for_the_brand() {
        // The encoded tail of a punycode label is arbitrary letters and digits: this one
        // spells `kgi` between a digit and the end, but the name is three Chinese characters.
        assert_eq!(puny("椰拫棐.com"), "xn--4tu24kgi.com");
        assert_eq!(codes("xn--4tu24kgi.com"), Vec::<&str>::new());
    }

    // --- real hosts ---------------------------------------------------------------------

    #[test]
    fn the_165_gamble_rows_naming_kgi_get_the_expected_reasons() {
        // Every row of data/165/gamble.csv whose site name mentions 凱基, host lower-cased
        // and path or query dropped. Hosts without the brand are expected to be found by the
        // takedown list instead.
        let rows: [(&str, &[&str]); 25] = [
            ("c002.kgi888.cc", &["brand_in_name"]),
            ("c002.kgi888.cc", &["brand_in_name"]),
            ("a005.kgi888.cc", &["brand_in_name"]),
            ("a006.kgi588.com", &["brand_in_name"]),
            ("a008.kgi888.com", &["brand_in_name"]),
            ("a011.kgi888.com", &["brand_in_name"]),
            ("app.bmfkwekrjww.com", &[]),
            ("app.dvjfuhasihe.com", &[]),
            ("app.dvjfuhasihe.com", &[]),
            ("c005.kgi888.com", &["brand_in_name"]),
            ("dl.sswbg.top", &[]),
            ("dl.sswbg.top", &[]),
            ("dl.sswbg.top", &[]),
            ("du.apemfur.top", &[]),
            ("du.apemfur.top", &[]),
            ("du.apemfur.top", &[]),
            ("du.apemfur.top", &[]),
            ("lg.sinikkd.top", &[]),
            ("m.twesec.vip", &[]),
            ("m.twesec.vip", &[]),
            ("wa.uebrjkao.top", &[]),
            ("wa.uebrjkao.top", &[]),
            ("www.xqhfjzhsv.com", &[]),
            ("gf.soengir.top", &[]),
            ("dl.sswbg.top", &[]),
        ];
        for (host, expected) in rows {
            assert_eq!(codes(host), expected, "{host}");
        }
    }

    // --- codes, sentences, JSON ---------------------------------------------------------

    fn one_of_each() -> Vec<Lookalike> {
        ["kgi.com.tw.evil.net", "kgi.tw", "kgl.com.tw", "kgi357.com", "kgi.evil.net", "kig.com.tw"]
            .into_iter()
            .flat_map(|h| assess(h, &kgi()))
            .chain(assess(&puny("p\u{430}ypal.com"), &kgi()))
            .chain(assess("kgl357.com", &kgi()))
            .chain(official_name_in_path("/kgi.com.tw/", &kgi()))
            .collect()
    }

    #[test]
    fn every_reason_has_a_listed_code() {
        let reasons = one_of_each();

        let seen: Vec<&str> = reasons.iter().map(Lookalike::code).collect();
        assert_eq!(seen, Lookalike::CODES);
    }

    #[test]
    fn a_reason_serialises_with_its_code_and_data() {
        for reason in one_of_each() {
            let json = serde_json::to_value(&reason).expect("serialisable");

            assert_eq!(json["code"], reason.code());
            let back: Lookalike = serde_json::from_value(json).expect("deserialisable");
            assert_eq!(back, reason);
        }
        let json = serde_json::to_string(&brand_in_name("kgi", "kgi357")).expect("serialisable");
        assert_eq!(json, r#"{"code":"brand_in_name","keyword":"kgi","label":"kgi357"}"#);
    }

    // --- helpers ------------------------------------------------------------------------

    #[test]
    fn the_ascii_fold_agrees_with_the_unicode_fold_on_every_host_character() {
        for b in (b'a'..=b'z').chain(b'0'..=b'9').chain([b'-']) {
            let c = char::from(b).to_string();

            let fast: String = fold_ascii(&c).collect();

            assert_eq!(fast, fold_unicode(&c), "{c}");
        }
    }

    #[test]
    fn the_edit_distance_counts_a_swap_of_neighbours_as_one() {
        let d = |a: &str, b: &str| {
            let a: Vec<char> = a.chars().collect();
            let b: Vec<char> = b.chars().collect();
            osa_distance(&a, &b)
        };

        assert_eq!(d("kgi", "kig"), Some(1));
        assert_eq!(d("kgi", "kgii"), Some(1));
        assert_eq!(d("kgi", "kgi"), Some(0));
        assert_eq!(d("kgi", "abc"), Some(3));
        assert_eq!(d("", "kgi"), Some(3));
        assert_eq!(d(&"a".repeat(70), "kgi"), None);
    }

    #[test]
    fn a_token_needs_a_non_letter_or_an_end_on_each_side() {
        assert!(has_token("kgi357", "kgi"));
        assert!(has_token("x-kgi", "kgi"));
        assert!(has_token("kgikgi-kgi", "kgi"));
        assert!(!has_token("parkgirl", "kgi"));
        assert!(!has_token("kgis", "kgi"));
        assert!(!has_token("akgi", "kgi"));
    }

    proptest! {
        #[test]
        fn assess_never_panics_on_host_like_strings(host in "[a-z0-9.-]{0,80}") {
            let _ = assess(&host, &kgi());
        }

        #[test]
        fn assess_never_panics_on_arbitrary_punycode_labels(
            label in "xn--[a-z0-9-]{0,59}",
            rest in "(\\.[a-z0-9-]{1,12}){0,2}\\.(com|tw|com\\.tw|net|xn--kpry57d)",
        ) {
            let _ = assess(&format!("{label}{rest}"), &kgi());
            let _ = assess(&format!("www.{label}{rest}"), &kgi());
        }

        #[test]
        fn assess_never_panics_on_any_text(host in ".{0,80}") {
            let _ = assess(&host, &kgi());
        }

        #[test]
        fn no_host_under_the_official_domain_is_a_lookalike(sub in "([a-z0-9-]{1,12}\\.){0,3}") {
            prop_assert_eq!(assess(&format!("{sub}kgi.com.tw"), &kgi()), vec![]);
        }
    }
}
