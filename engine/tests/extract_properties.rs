//! Properties of extraction that must hold for any message, however malformed: no panic,
//! link values the canonicaliser can parse, quotes taken from the message itself.

use std::collections::HashSet;

use engine::extract::{extract, CandidateKind, MAX_CANDIDATES};
use engine::CleanText;
use proptest::prelude::*;

/// Pieces of real messages, defanging, disguises and edge cases, for building inputs that
/// reach deep into the scanners far more often than random characters would.
const FRAGMENTS: &[&str] = &[
    "kgi357",
    "kgi",
    "www",
    "com",
    "tw",
    "cc",
    "evil",
    "example",
    "line",
    "me",
    "lin",
    "ee",
    ".",
    "。",
    "．",
    "｡",
    "點",
    " 點 ",
    "[點]",
    "（點）",
    "[.]",
    "(.)",
    "{.}",
    "[dot]",
    " dot ",
    " . ",
    "[:]",
    "[/]",
    "://",
    "https://",
    "http://",
    "hxxps[:]//",
    "h**p://",
    "HXXP://",
    "@",
    "~",
    "/",
    "?",
    "#",
    ":",
    "=",
    "&",
    "%40",
    "8080",
    "0912",
    "345",
    "678",
    "02",
    "2345",
    "6789",
    "0800",
    "(02)",
    "+886",
    "886",
    "-",
    " ",
    "  ",
    "\t",
    "\n",
    "\u{200B}",
    "\u{00AD}",
    "\u{FEFF}",
    "\u{202E}",
    "\u{FE0F}",
    "ｋｇｉ",
    "３５７",
    "ｃｏｍ",
    "＠",
    "：",
    "【",
    "】",
    "「",
    "」",
    "《",
    "》",
    "“",
    "”",
    "(",
    ")",
    "[",
    "]",
    "<",
    ">",
    "\"",
    "'",
    "，",
    "、",
    "！",
    "加LINE：",
    "LINE ID:",
    "加賴 ",
    "LINE@",
    "line.me/R/ti/p/@",
    "line.me/ti/p/~",
    "lin.ee/",
    "page.line.me/",
    "凱基",
    "證券",
    "驗證",
    "客服",
    "請至",
    "上海",
    "台灣",
    "net",
    "e\u{301}",
    "і",
    "ß",
    "𠀀",
    "1",
    "0",
    "9",
    "x",
    "a-b",
    "..",
    "E7800746",
    "(C7800745)",
    "[2001:db8::1]",
    "0x7f",
    "89.106.207.153",
    "service@",
    "user:pass@",
];

/// Fragments made only of characters that cleaning keeps as they are or maps one to one.
const PLAIN_FRAGMENTS: &[&str] = &[
    "kgi357",
    "www",
    "com",
    "tw",
    "evil",
    "example",
    ".",
    "。",
    "點",
    " 點 ",
    "[.]",
    "https://",
    "hxxps[:]//",
    "@",
    "~",
    "/",
    "?",
    ":",
    "0912",
    "345",
    "678",
    "(02)",
    "+886",
    "-",
    " ",
    "加LINE：",
    "LINE ID:",
    "line.me/ti/p/~",
    "lin.ee/",
    "凱基",
    "驗證",
    "客服",
    "請至",
    "台灣",
    "net",
    "，",
    "【",
    "】",
    "x",
    "1",
    "0",
];

fn message(fragments: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(fragments), 0..48).prop_map(|parts| parts.concat())
}

fn mixed_message() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        3 => prop::sample::select(FRAGMENTS).prop_map(str::to_owned),
        1 => any::<String>().prop_map(|s| s.chars().take(4).collect()),
    ];
    prop::collection::vec(part, 0..48).prop_map(|parts| parts.concat())
}

/// Every rule a candidate list must obey, whatever the input.
fn assert_well_formed(text: &str) -> Result<(), TestCaseError> {
    let candidates = extract(text);
    prop_assert!(candidates.len() <= MAX_CANDIDATES);
    let mut seen = HashSet::new();
    for c in &candidates {
        prop_assert!(!c.raw.is_empty(), "empty raw for {c:?}");
        prop_assert!(text.contains(&c.raw), "raw {:?} is not in the input", c.raw);
        prop_assert!(seen.insert((c.kind, c.value.clone())), "duplicate {c:?}");
        match c.kind {
            kind if kind.is_link() => {
                prop_assert!(url::Url::parse(&c.value).is_ok(), "value does not parse: {c:?}");
            }
            CandidateKind::Phone => {
                let digits = c.value.strip_prefix("+886");
                prop_assert!(
                    digits
                        .is_some_and(|d| (8..=9).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit())),
                    "not an E.164 Taiwan number: {c:?}"
                );
            }
            _ => {
                prop_assert!(
                    !c.value.is_empty()
                        && c.value.bytes().all(|b| b.is_ascii_lowercase()
                            || b.is_ascii_digit()
                            || matches!(b, b'.' | b'_' | b'-')),
                    "not a lower-case LINE ID: {c:?}"
                );
            }
        }
    }
    Ok(())
}

fn values(text: &str) -> Vec<(CandidateKind, String)> {
    extract(text).into_iter().map(|c| (c.kind, c.value)).collect()
}

/// The full-width form of printable ASCII, as some phones and scammers type it.
fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ' ' => '\u{3000}',
            '!'..='~' => char::from_u32(u32::from(c) - 0x21 + 0xFF01).unwrap_or(c),
            other => other,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn extraction_never_panics_and_is_well_formed_on_arbitrary_unicode(text in any::<String>()) {
        assert_well_formed(&text)?;
    }

    #[test]
    fn extraction_is_well_formed_on_message_like_input(text in mixed_message()) {
        assert_well_formed(&text)?;
    }

    #[test]
    fn extraction_is_well_formed_on_link_fragments(text in message(FRAGMENTS)) {
        assert_well_formed(&text)?;
    }

    #[test]
    fn the_original_of_any_cleaned_range_is_part_of_the_message(text in mixed_message(), a in 0usize..400, b in 0usize..400) {
        let clean = CleanText::new(&text);
        let cleaned = clean.text();
        let (start, end) = (a.min(b).min(cleaned.len()), a.max(b).min(cleaned.len()));
        if cleaned.is_char_boundary(start) && cleaned.is_char_boundary(end) {
            prop_assert!(text.contains(clean.original(start..end)));
        }
        prop_assert!(text.contains(clean.original(0..cleaned.len())));
    }

    #[test]
    fn zero_width_characters_between_characters_change_no_value(text in message(PLAIN_FRAGMENTS)) {
        let hidden: String = text.chars().flat_map(|c| [c, '\u{200B}']).collect();
        prop_assert_eq!(values(&hidden), values(&text));
    }

    #[test]
    fn a_full_width_message_gives_the_same_values(text in message(PLAIN_FRAGMENTS)) {
        prop_assert_eq!(values(&full_width(&text)), values(&text));
    }
}
