//! The message as the extractor reads it (NFKC, invisible characters removed, defanged and
//! Chinese-dot links written plainly), with a map back to the bytes the customer received.
//!
//! Cleaning runs in two passes, each recording where its output came from:
//!
//! 1. **Normalise**: drop invisible format characters (zero-width space and joiners, soft
//!    hyphen, bidi controls, variation selectors, …) and apply NFKC, so full-width
//!    `ｋｇｉ３５７．ｃｏｍ` reads `kgi357.com` and `（02）` reads `(02)`.
//! 2. **Refang**: undo the notations that hide links: `hxxps://`, `h**p://`, `[.]`, `(dot)`,
//!    `[:]`, `[/]`, and the dots that Chinese-language scams write as `。` or `點`, or with
//!    spaces (`kgi357 . com`, `www 點 kgi357 點 com`). The ambiguous ones are read as dots
//!    only when the labels around them then make a real domain name, so `今天很好。OK`
//!    keeps its full stop. A spaced dot needs more: the labels after it must reach a public
//!    suffix, directly or through dots written the same disguised way, so a host spelled
//!    out in full is kept whole (`www . kgi357 . com` is `www.kgi357.com`, not `www .`
//!    followed by `kgi357.com`) while `Thanks. Me too` stays two sentences.
//!
//! [`CleanText::original`] turns a byte range of the cleaned text back into the exact text
//! of the message, so a finding quotes `kgi357。com`, not our rewriting of it.

use std::borrow::Cow;
use std::ops::Range;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

use crate::domain::{has_public_suffix, is_public_suffix, public_suffix};

/// A pasted message made readable for the extractor, remembering where each byte came from.
#[derive(Clone, Debug)]
pub struct CleanText<'a> {
    original: &'a str,
    text: Cow<'a, str>,
    /// Maps the NFKC text back to `original`.
    normalized_to_original: OffsetMap,
    /// Maps `text` back to the NFKC text.
    cleaned_to_normalized: OffsetMap,
}

impl<'a> CleanText<'a> {
    /// Cleans `original`. Linear in its length; a message that needs no change is not copied.
    pub fn new(original: &'a str) -> Self {
        let (normalized, normalized_to_original) = normalize(original);
        let (text, cleaned_to_normalized) = match refang(&normalized) {
            Some((text, map)) => (Cow::Owned(text), map),
            None => (normalized, OffsetMap::default()),
        };
        Self { original, text, normalized_to_original, cleaned_to_normalized }
    }

    /// The cleaned text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The message exactly as given.
    pub fn original_text(&self) -> &'a str {
        self.original
    }

    /// The byte range of the original message that produced `cleaned` (a range of
    /// [`text`](Self::text) on character boundaries). Characters removed at either edge
    /// are left out; those removed inside are kept, since the customer saw the whole.
    pub fn original_range(&self, cleaned: Range<usize>) -> Range<usize> {
        let normalized = self.cleaned_to_normalized.source_range(cleaned);
        self.normalized_to_original.source_range(normalized)
    }

    /// The original text of a cleaned byte range: what the customer actually saw.
    pub fn original(&self, cleaned: Range<usize>) -> &'a str {
        self.original.get(self.original_range(cleaned)).unwrap_or("")
    }
}

/// One stretch of output and the source bytes it came from. A verbatim piece is a byte-for-
/// byte copy, so offsets inside it map one to one; a replaced piece maps as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Piece {
    out: usize,
    src_start: usize,
    src_end: usize,
    verbatim: bool,
}

/// Output offsets back to source offsets. Empty means the output is the source unchanged.
#[derive(Clone, Debug, Default)]
struct OffsetMap {
    pieces: Vec<Piece>,
}

impl OffsetMap {
    fn source_range(&self, out: Range<usize>) -> Range<usize> {
        if self.pieces.is_empty() {
            return out;
        }
        let start = self.source_start(out.start);
        if out.end <= out.start {
            return start..start;
        }
        start..self.source_end(out.end).max(start)
    }

    /// Where the source of the output byte at `at` starts.
    fn source_start(&self, at: usize) -> usize {
        let index = self.pieces.partition_point(|p| p.out <= at).saturating_sub(1);
        self.pieces.get(index).map_or(at, |p| {
            if p.verbatim {
                (p.src_start + (at - p.out.min(at))).min(p.src_end)
            } else {
                p.src_start
            }
        })
    }

    /// Where the source of the output bytes ending (exclusively) at `at` ends.
    fn source_end(&self, at: usize) -> usize {
        let index = self.pieces.partition_point(|p| p.out < at).saturating_sub(1);
        self.pieces.get(index).map_or(at, |p| {
            if p.verbatim {
                (p.src_start + (at - p.out.min(at))).min(p.src_end)
            } else {
                p.src_end
            }
        })
    }
}

/// Builds an output string and its [`OffsetMap`] from a source. Unchanged source is copied
/// lazily, in slices, and not at all when nothing changes.
struct MapBuilder<'s> {
    src: &'s str,
    out: String,
    pieces: Vec<Piece>,
    /// Source bytes from here to the current position are unchanged and not yet copied.
    pending: usize,
    changed: bool,
}

impl<'s> MapBuilder<'s> {
    fn new(src: &'s str) -> Self {
        Self { src, out: String::new(), pieces: Vec::new(), pending: 0, changed: false }
    }

    /// Copies the unchanged source up to `upto`.
    fn flush(&mut self, upto: usize) {
        if upto > self.pending {
            if self.out.capacity() == 0 {
                self.out.reserve(self.src.len());
            }
            let out = self.out.len();
            self.out.push_str(&self.src[self.pending..upto]);
            self.push_piece(Piece { out, src_start: self.pending, src_end: upto, verbatim: true });
        }
        self.pending = self.pending.max(upto);
    }

    fn push_piece(&mut self, piece: Piece) {
        if self.pieces.capacity() == 0 {
            // Room for the pieces of a typical message at once, rather than growing through
            // 4, 8 and 16.
            self.pieces.reserve(16);
        }
        if let Some(last) = self.pieces.last_mut() {
            let contiguous = last.verbatim
                && piece.verbatim
                && last.src_end == piece.src_start
                && last.out + (last.src_end - last.src_start) == piece.out;
            if contiguous {
                last.src_end = piece.src_end;
                return;
            }
        }
        self.pieces.push(piece);
    }

    /// Writes `with` in place of the source bytes `src`.
    fn replace(&mut self, src: Range<usize>, with: &str) {
        self.flush(src.start);
        let out = self.out.len();
        self.out.push_str(with);
        self.push_piece(Piece { out, src_start: src.start, src_end: src.end, verbatim: false });
        self.pending = src.end;
        self.changed = true;
    }

    /// Writes the characters of `with` in place of `src`, recording a verbatim piece when
    /// they turn out to be the same text (a normalisation that changed nothing).
    fn replace_chars(&mut self, src: Range<usize>, with: impl Iterator<Item = char>) {
        self.flush(src.start);
        let out = self.out.len();
        self.out.extend(with);
        let same = self.out.get(out..) == self.src.get(src.clone());
        self.push_piece(Piece { out, src_start: src.start, src_end: src.end, verbatim: same });
        self.pending = src.end;
        self.changed |= !same;
    }

    /// Leaves the source bytes `src` out of the output.
    fn remove(&mut self, src: Range<usize>) {
        self.flush(src.start);
        self.pending = src.end;
        self.changed = true;
    }

    /// The output and its map, or `None` when the output would equal the source.
    fn finish(mut self) -> Option<(String, OffsetMap)> {
        if !self.changed {
            return None;
        }
        self.flush(self.src.len());
        Some((self.out, OffsetMap { pieces: self.pieces }))
    }
}

/// Characters that show nothing but can split a link so that a filter misses it, or
/// reorder how it is displayed (bidi controls).
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}'                      // soft hyphen
        | '\u{034F}'                    // combining grapheme joiner
        | '\u{061C}'                    // Arabic letter mark
        | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // Hangul fillers
        | '\u{17B4}' | '\u{17B5}'       // Khmer inherent vowels
        | '\u{180B}'..='\u{180F}'       // Mongolian selectors and vowel separator
        | '\u{200B}'..='\u{200F}'       // zero-width space, non-joiner, joiner, LRM, RLM
        | '\u{202A}'..='\u{202E}'       // bidi embeddings and overrides
        | '\u{2060}'..='\u{206F}'       // word joiner, invisible operators, bidi isolates
        | '\u{FE00}'..='\u{FE0F}'       // variation selectors
        | '\u{FEFF}'                    // zero-width no-break space (BOM)
        | '\u{1BCA0}'..='\u{1BCA3}'     // shorthand format controls
        | '\u{E0000}'..='\u{E0FFF}' // tags and variation selectors supplement
    )
}

/// Characters that NFKC leaves alone and that never combine with a neighbour: ASCII, the
/// CJK ideographs, Hangul syllables and the CJK punctuation of real messages (。、「」【】).
/// Checked by range so that Chinese text skips the normalisation tables; a test holds these
/// ranges to the tables.
fn is_stable_starter(c: char) -> bool {
    is_stable_code(u32::from(c))
}

/// [`is_stable_starter`] of a code point, the ranges real messages use most first.
fn is_stable_code(code: u32) -> bool {
    matches!(code,
        0x00..=0x7F | 0x4E00..=0x9FFF | 0x3001..=0x3029 | 0x3041..=0x3096 | 0x30A1..=0x30FA | 0x3400..=0x4DBF | 0xAC00..=0xD7A3)
}

/// The byte length of the character at `at` of `bytes` (UTF-8, `at` on a character
/// boundary) when it is a stable starter, read from the bytes without decoding: every
/// stable starter outside ASCII takes three.
fn stable_starter_len(bytes: &[u8], at: usize) -> Option<usize> {
    match *bytes.get(at..)? {
        [b, ..] if b.is_ascii() => Some(1),
        // U+5000 to U+9FFF, ideographs all: the commonest Chinese characters need no sums.
        [0xE5..=0xE9, _, _, ..] => Some(3),
        [lead @ 0xE0..=0xEF, second, third, ..] => {
            let code = u32::from(lead & 0x0F) << 12 | u32::from(second & 0x3F) << 6 | u32::from(third & 0x3F);
            is_stable_code(code).then_some(3)
        }
        _ => None,
    }
}

/// The ASCII character that NFKC makes of a full-width one (`ｋ` → `k`, `．` → `.`): the
/// block is laid out in ASCII order, so this skips the tables for typed full-width text.
fn full_width_ascii(c: char) -> Option<char> {
    match u32::from(c) {
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0),
        0x3000 => Some(' '),
        _ => None,
    }
}

/// The character at byte `at` of `src`, if any.
fn char_from(src: &str, at: usize) -> Option<char> {
    src.get(at..)?.chars().next()
}

/// Pass 1: invisible characters out, NFKC in. NFKC runs per character with its combining
/// marks, which is exact for everything a link or phone number is made of; composition
/// across two starters (conjoining Hangul jamo) is left undone.
fn normalize(src: &str) -> (Cow<'_, str>, OffsetMap) {
    if src.is_ascii() {
        return (Cow::Borrowed(src), OffsetMap::default());
    }
    let bytes = src.as_bytes();
    let mut builder = MapBuilder::new(src);
    let mut at = 0;
    // Where the character just before `at` starts, when it is a stable starter.
    let mut stable_before = None;
    while at < bytes.len() {
        // The bulk of any message, a stable starter, is passed over as it is, read from its
        // bytes; it changes only when a combining mark follows, which is seen from the mark.
        if let Some(len) = stable_starter_len(bytes, at) {
            stable_before = Some(at);
            at += len;
            continue;
        }
        let Some(c) = char_from(src, at) else { break };
        let start = match stable_before.take() {
            Some(starter) if !is_invisible(c) && canonical_combining_class(c) != 0 => starter,
            _ => at,
        };
        let Some(first) = char_from(src, start) else { break };
        at = normalize_at(src, start, first, &mut builder);
    }
    match builder.finish() {
        Some((text, map)) => (Cow::Owned(text), map),
        None => (Cow::Borrowed(src), OffsetMap::default()),
    }
}

/// Normalises the character `c` at `at` with the combining marks after it, and returns
/// where they end.
fn normalize_at(src: &str, at: usize, c: char, builder: &mut MapBuilder<'_>) -> usize {
    let mut end = at + c.len_utf8();
    if is_invisible(c) {
        builder.remove(at..end);
        return end;
    }
    let next_is_starter = char_from(src, end)
        .is_none_or(|next| is_stable_starter(next) || canonical_combining_class(next) == 0);
    if let (Some(ascii), true) = (full_width_ascii(c), next_is_starter) {
        builder.replace(at..end, ascii.encode_utf8(&mut [0; 4]));
        return end;
    }
    let mut alone = true;
    while let Some(next) = char_from(src, end) {
        if is_stable_starter(next) || is_invisible(next) || canonical_combining_class(next) == 0 {
            break;
        }
        end += next.len_utf8();
        alone = false;
    }
    if alone && (is_stable_starter(c) || is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes) {
        return end;
    }
    builder.replace_chars(at..end, src[at..end].nfkc());
    end
}

/// Pass 2: defanged and disguised link notation back to plain links. Works on bytes: every
/// pattern is ASCII or starts with a UTF-8 lead byte, so no match can start mid-character.
fn refang(src: &str) -> Option<(String, OffsetMap)> {
    let bytes = src.as_bytes();
    let mut builder = MapBuilder::new(src);
    let mut chain = Chain::default();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if !b.is_ascii() {
            // Only `。` and `點` (lead bytes 0xE3 and 0xE9) start a notation; any other
            // character is passed over whole.
            if matches!(b, 0xE3 | 0xE9) {
                if let Some(end) = dot_after_cjk_label(src, at, &mut builder) {
                    at = end;
                    continue;
                }
            }
            at += utf8_width(b);
            continue;
        }
        if b.is_ascii_alphanumeric() {
            let label_start = at == 0 || !is_label_byte(bytes[at - 1]);
            if !label_start {
                at += 1;
                continue;
            }
            if let Some(len) = defanged_scheme(&bytes[at..]) {
                builder.replace(at..at + 4, "http");
                at += len;
                continue;
            }
            at = chain.refang(src, at, &mut builder);
            continue;
        }
        if matches!(b, b'[' | b'(' | b'{') {
            if let Some((len, plain)) = bracketed(&bytes[at..]) {
                builder.replace(at..at + len, plain);
                at += len;
                continue;
            }
        }
        if matches!(b, b'[' | b'(') {
            if let Some(end) = dot_after_cjk_label(src, at, &mut builder) {
                at = end;
                continue;
            }
        }
        at += 1;
    }
    builder.finish()
}

/// The byte length of the UTF-8 character whose first byte is `lead`; 1 for a byte that
/// starts no character, so that a scan always moves on.
fn utf8_width(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xFF => 4,
        _ => 1,
    }
}

/// Endings that a Chinese dot after a label in Chinese is read as a dot before
/// (`凱基客服。net`, `凱基客服點com`): the common ones of scam sites and Chinese-language
/// names. The whole Public Suffix List would turn prose into links (`很好。me`, `點app`).
const CJK_LABEL_ENDINGS: [&str; 19] = [
    "com", "net", "org", "tw", "com.tw", "net.tw", "org.tw", "idv.tw", "cc", "top", "vip", "xyz", "shop",
    "info", "asia", "hk", "com.hk", "cn", "com.cn",
];

/// The length of a Chinese dot (`。`, `點`, `[點]`, `(點)`) at the start of `bytes`.
fn chinese_dot(bytes: &[u8]) -> Option<usize> {
    const CHINESE: [&str; 4] = ["。", "點", "[點]", "(點)"];
    CHINESE.iter().find(|f| bytes.starts_with(f.as_bytes())).map(|f| f.len())
}

/// A Chinese dot at `at` right after a letter of a script written without spaces and right
/// before an ending of [`CJK_LABEL_ENDINGS`] (`凱基客服。com。tw`): rewrites it (and a
/// Chinese dot inside the ending) as `.`, and returns where the ending stops. The label in
/// Chinese is left for the extractor to find; here only the dot matters.
fn dot_after_cjk_label(src: &str, at: usize, builder: &mut MapBuilder<'_>) -> Option<usize> {
    let bytes = src.as_bytes();
    let first_len = chinese_dot(&bytes[at..])?;
    if !src[..at].chars().next_back().is_some_and(is_cjk_letter) {
        return None;
    }
    let label = at + first_len..label_end(bytes, at + first_len);
    if label.is_empty() {
        return None;
    }
    let lower = |range: Range<usize>| src[range].to_ascii_lowercase();
    let is_ending = |name: &str| CJK_LABEL_ENDINGS.contains(&name);
    // A two-label ending (`com。tw`) is read whole, with its own dot, before a single one.
    let second_len = match bytes.get(label.end) {
        Some(b'.') => Some(1),
        Some(_) => chinese_dot(&bytes[label.end..]),
        None => None,
    };
    if let Some(second_len) = second_len {
        let next = label.end + second_len..label_end(bytes, label.end + second_len);
        if !next.is_empty() && is_ending(&format!("{}.{}", lower(label.clone()), lower(next.clone()))) {
            builder.replace(at..at + first_len, ".");
            if second_len > 1 || bytes[label.end] != b'.' {
                builder.replace(label.end..label.end + second_len, ".");
            }
            return Some(next.end);
        }
    }
    if !is_ending(&lower(label.clone())) {
        return None;
    }
    builder.replace(at..at + first_len, ".");
    Some(label.end)
}

/// Scripts written without spaces (Han, kana, Hangul, Bopomofo, Yi) and the full-width
/// block: a link glued to such text ends where they begin.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x11FF
        | 0x2E80..=0xA4CF
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7FF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF
        | 0x1B000..=0x1B16F
        | 0x20000..=0x3FFFF)
}

/// A letter of a script written without spaces (`凱`, `か`, `한`), as a host label in such a
/// script is made of; CJK punctuation (`，`, `。`, `】`) is not one.
pub(crate) fn is_cjk_letter(c: char) -> bool {
    // The ideographs of real messages are letters; asking the Unicode tables about each
    // one is most of the cost of reading a label in Chinese. A test holds the ranges to them.
    is_common_ideograph(c) || (is_cjk(c) && c.is_alphabetic())
}

/// The CJK Unified Ideographs and their Extension A, every one of them a letter.
fn is_common_ideograph(c: char) -> bool {
    matches!(u32::from(c), 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

fn is_label_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// `hxxp`, `hXXps`, `h**p` followed by a (possibly defanged) `://`: the length of the
/// scheme name. Only the first four bytes change; a trailing `s` stays as written.
fn defanged_scheme(bytes: &[u8]) -> Option<usize> {
    let disguise = |b: &u8| matches!(b, b'x' | b'X' | b'*');
    let [h, x1, x2, p, rest @ ..] = bytes else {
        return None;
    };
    if !(h.eq_ignore_ascii_case(&b'h') && disguise(x1) && disguise(x2) && p.eq_ignore_ascii_case(&b'p')) {
        return None;
    }
    let (len, rest) = match rest {
        [s, tail @ ..] if s.eq_ignore_ascii_case(&b's') => (5, tail),
        _ => (4, rest),
    };
    (rest.starts_with(b"://") || rest.starts_with(b"[:]") || rest.starts_with(b"[://]")).then_some(len)
}

/// Vendor notation that always means a link character: `[.]` and friends, `[:]`, `[/]`.
fn bracketed(bytes: &[u8]) -> Option<(usize, &'static str)> {
    // Every form opens with a bracket and goes on with one of a few bytes; most calls are
    // at some other byte, or at a bracket of prose (`(((`, `(see`).
    if !matches!(bytes.first(), Some(b'[' | b'(' | b'{'))
        || !matches!(bytes.get(1), Some(b'.' | b'd' | b'D' | b':' | b'/' | b'@'))
    {
        return None;
    }
    BRACKETED_FORMS
        .iter()
        .find(|(form, _)| bytes.len() >= form.len() && bytes[..form.len()].eq_ignore_ascii_case(form))
        .map(|(form, plain)| (form.len(), *plain))
}

/// The vendor notations of [`bracketed`], in any letter case, and what each stands for.
const BRACKETED_FORMS: [(&[u8], &str); 10] = [
    (b"[.]", "."),
    (b"(.)", "."),
    (b"{.}", "."),
    (b"[dot]", "."),
    (b"(dot)", "."),
    (b"{dot}", "."),
    (b"[://]", "://"),
    (b"[:]", ":"),
    (b"[/]", "/"),
    (b"[@]", "@"),
];

/// How a separator between two labels was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SepKind {
    /// A plain `.`: already a dot.
    Plain,
    /// `[.]`, `(dot)`, …: unmistakably a dot.
    Bracketed,
    /// `。`, `點`, `[點]`, ` dot `, or a dot with spaces: a dot only if the labels agree.
    Ambiguous { spaced: bool },
}

#[derive(Clone, Debug)]
struct Sep {
    range: Range<usize>,
    kind: SepKind,
}

/// A domain-like chain `label (sep label)*`, held to decide its separators.
#[derive(Default)]
struct Chain {
    labels: Vec<Range<usize>>,
    seps: Vec<Sep>,
    /// Per separator: whether the labels after it reach a public suffix through disguised
    /// separators only, which is what lets a spaced separator there be a dot.
    spaced_ok: Vec<bool>,
    /// Reused buffers for the lower-case names tried while deciding.
    left: String,
    rest: String,
}

/// Chains stop growing here so that deciding a chain costs a bounded amount of work.
const MAX_CHAIN_LABELS: usize = 32;
const MAX_CHAIN_BYTES: usize = 256;
const MAX_LABEL_BYTES: usize = 63;

impl Chain {
    /// Reads the chain that starts at `start` (the start of an ASCII label), rewrites its
    /// separators that are dots, and returns where the chain ends.
    fn refang(&mut self, src: &str, start: usize, builder: &mut MapBuilder<'_>) -> usize {
        let bytes = src.as_bytes();
        if let Some(end) = plain_chain_end(bytes, start) {
            return end;
        }
        self.labels.clear();
        self.seps.clear();
        let mut end = label_end(bytes, start);
        self.labels.push(start..end);
        while self.labels.len() < MAX_CHAIN_LABELS && end - start < MAX_CHAIN_BYTES {
            let Some(sep) = separator(bytes, end) else { break };
            let next_end = label_end(bytes, sep.range.end);
            self.labels.push(sep.range.end..next_end);
            self.seps.push(sep);
            end = next_end;
        }
        if self.seps.iter().all(|s| s.kind == SepKind::Plain) {
            return end;
        }
        // A label longer than DNS allows means this is not a host name at all.
        if self.labels.iter().any(|l| l.len() > MAX_LABEL_BYTES) {
            return end;
        }
        self.mark_spaced_hosts(bytes);
        let mut first = 0; // the first label of the host being built
        for k in 0..self.seps.len() {
            let convert = match self.seps[k].kind {
                SepKind::Plain | SepKind::Bracketed => true,
                SepKind::Ambiguous { spaced } => self.reads_as_dot(bytes, first, k + 1, spaced),
            };
            let sep = &self.seps[k];
            if !convert {
                first = k + 1;
            } else if sep.kind != SepKind::Plain {
                builder.replace(sep.range.clone(), ".");
            }
        }
        end
    }

    /// Decides, right to left, where a spaced separator may be a dot: right before the
    /// public suffix (`kgi357 . com`), or before labels that reach one through separators
    /// that are all disguised too (`www . kgi357 . com`, `a006 點 kgi588 [.] com`). A plain
    /// dot after a spaced one stops this (`apple . example.com` is a word, then a domain),
    /// because someone hiding a host writes every dot of it the same hidden way.
    fn mark_spaced_hosts(&mut self, bytes: &[u8]) {
        self.spaced_ok.clear();
        self.spaced_ok.resize(self.seps.len(), false);
        for k in (0..self.seps.len()).rev() {
            join_lower(&mut self.rest, bytes, &self.labels[k + 1..]);
            let first_right = &self.rest[..self.rest.find('.').unwrap_or(self.rest.len())];
            let before_suffix = is_public_suffix(first_right) || is_public_suffix(&self.rest);
            let before_hidden_host =
                self.seps.get(k + 1).is_some_and(|next| next.kind != SepKind::Plain) && self.spaced_ok[k + 1];
            self.spaced_ok[k] = before_suffix || before_hidden_host;
        }
    }

    /// Whether the ambiguous separator before label `right` is a dot, given that the host
    /// so far starts at label `first`.
    fn reads_as_dot(&mut self, bytes: &[u8], first: usize, right: usize, spaced: bool) -> bool {
        let left_has_letter =
            self.labels[first..right].iter().any(|l| bytes[l.clone()].iter().any(u8::is_ascii_alphabetic));
        if !left_has_letter {
            // `下午3點app` is a time of day, not the host `3.app`.
            return false;
        }
        join_lower(&mut self.left, bytes, &self.labels[first..right]);
        join_lower(&mut self.rest, bytes, &self.labels[right..]);
        // Spaces around a dot are how prose ends a sentence; only a host written out in
        // full, up to its suffix, is joined (see `mark_spaced_hosts`).
        if spaced && !self.spaced_ok[right - 1] {
            return false;
        }
        let left_len = self.left.len();
        self.left.push('.');
        self.left.push_str(&self.rest);
        let combined = &self.left;
        if !has_public_suffix(combined) {
            return false;
        }
        // `www.kgi.com.tw。App` ends a sentence: the left side already is a domain and the
        // suffix of the joined name would not reach into it. `kgi.com。tw` joins: the
        // suffix `com.tw` spans the separator.
        let left_is_domain = has_public_suffix(&combined[..left_len]);
        !left_is_domain || public_suffix(combined).is_some_and(|s| s.len() > self.rest.len())
    }
}

/// Where the chain starting at `start` ends, when it has no separator but plain dots
/// (`www.kgi357.com`, the usual case): such a chain needs nothing decided, so it is walked
/// as [`Chain::refang`] would walk it, without recording its labels. `None` at the first
/// disguised separator.
fn plain_chain_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut end = label_end(bytes, start);
    let mut labels = 1;
    while labels < MAX_CHAIN_LABELS && end - start < MAX_CHAIN_BYTES {
        let Some(sep) = separator(bytes, end) else { break };
        if sep.kind != SepKind::Plain {
            return None;
        }
        end = label_end(bytes, sep.range.end);
        labels += 1;
    }
    Some(end)
}

fn join_lower(into: &mut String, bytes: &[u8], labels: &[Range<usize>]) {
    into.clear();
    for (n, label) in labels.iter().enumerate() {
        if n > 0 {
            into.push('.');
        }
        into.extend(bytes[label.clone()].iter().map(|b| char::from(b.to_ascii_lowercase())));
    }
}

fn label_end(bytes: &[u8], start: usize) -> usize {
    start + bytes[start..].iter().position(|&b| !is_label_byte(b)).unwrap_or(bytes.len() - start)
}

/// Spaces and tabs around a separator (NFKC has already made full-width and no-break
/// spaces plain). Line breaks end a link.
fn spaces(bytes: &[u8], at: usize) -> usize {
    bytes[at..].iter().take(3).take_while(|&&b| b == b' ' || b == b'\t').count()
}

/// Whether a separator can start with `b`: a space or tab before the dot, a dot, a bracket
/// (`[.]`, `(點)`), or the first byte of `。` or `點`. Most labels end in something else
/// (`/`, `:`, Chinese text), which is then told at once.
fn may_start_separator(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'.' | b'[' | b'(' | b'{' | 0xE3 | 0xE9)
}

/// A separator right after a label, ending at the start of the next label. Inline, so that
/// the first-byte test costs no call after each label.
#[inline]
fn separator(bytes: &[u8], at: usize) -> Option<Sep> {
    if !bytes.get(at).copied().is_some_and(may_start_separator) {
        return None;
    }
    read_separator(bytes, at)
}

/// [`separator`] without the quick test of its first byte.
fn read_separator(bytes: &[u8], at: usize) -> Option<Sep> {
    /// How the dot itself is written, before spacing is considered.
    enum Core {
        Dot,
        Bracketed,
        Chinese,
        Word,
    }
    const CHINESE: [&str; 4] = ["。", "點", "[點]", "(點)"];
    let before = spaces(bytes, at);
    let core_at = at + before;
    let rest = &bytes[core_at..];
    let (len, core) = if rest.first() == Some(&b'.') {
        (1, Core::Dot)
    } else if let Some((len, ".")) =
        rest.first().filter(|b| matches!(b, b'[' | b'(' | b'{')).and_then(|_| bracketed(rest))
    {
        (len, Core::Bracketed)
    } else if let Some(form) = CHINESE.iter().find(|f| rest.starts_with(f.as_bytes())) {
        (form.len(), Core::Chinese)
    } else if rest.len() >= 3 && rest[..3].eq_ignore_ascii_case(b"dot") {
        (3, Core::Word)
    } else {
        return None;
    };
    let after = spaces(bytes, core_at + len);
    let end = core_at + len + after;
    if !bytes.get(end).is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    let spaced = before > 0 || after > 0;
    let kind = match core {
        Core::Dot if !spaced => SepKind::Plain,
        // `Thanks. Me too` is two sentences; `kgi357 . com` and `kgi357 .com` are a domain.
        Core::Dot if before == 0 => return None,
        Core::Dot => SepKind::Ambiguous { spaced: true },
        Core::Bracketed => SepKind::Bracketed,
        Core::Chinese => SepKind::Ambiguous { spaced },
        // ` dot ` needs a space on both sides, or it is part of a word.
        Core::Word if before == 0 || after == 0 => return None,
        Core::Word => SepKind::Ambiguous { spaced: true },
    };
    Some(Sep { range: at..end, kind })
}

#[cfg(test)]
mod tests {
    use super::CleanText;

    fn cleaned(text: &str) -> String {
        CleanText::new(text).text().to_owned()
    }

    /// Pass 1 as first written, a character at a time with a look at the next: the fast
    /// path of [`super::normalize`] must give exactly this.
    fn normalize_char_by_char(src: &str) -> (String, Vec<super::Piece>) {
        use super::{
            canonical_combining_class, full_width_ascii, is_invisible, is_stable_starter, MapBuilder,
        };
        use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
        let mut builder = MapBuilder::new(src);
        let mut chars = src.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            if is_stable_starter(c) && chars.peek().is_none_or(|&(_, next)| is_stable_starter(next)) {
                continue;
            }
            if is_invisible(c) {
                builder.remove(at..at + c.len_utf8());
                continue;
            }
            let next_is_starter = chars
                .peek()
                .is_none_or(|&(_, next)| is_stable_starter(next) || canonical_combining_class(next) == 0);
            if let (Some(ascii), true) = (full_width_ascii(c), next_is_starter) {
                builder.replace(at..at + c.len_utf8(), ascii.encode_utf8(&mut [0; 4]));
                continue;
            }
            let mut end = at + c.len_utf8();
            let mut alone = true;
            while let Some(&(next_at, next)) = chars.peek() {
                if is_stable_starter(next) || is_invisible(next) || canonical_combining_class(next) == 0 {
                    break;
                }
                end = next_at + next.len_utf8();
                alone = false;
                chars.next();
            }
            if alone && (is_stable_starter(c) || is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes) {
                continue;
            }
            builder.replace_chars(at..end, src[at..end].nfkc());
        }
        builder.finish().map_or_else(|| (src.to_owned(), Vec::new()), |(text, map)| (text, map.pieces))
    }

    /// Characters around the fast path's edges: stable starters of every width, combining
    /// marks (after ASCII, after ideographs, doubled), invisibles, full-width forms, and
    /// characters NFKC changes.
    const NORMALIZE_PIECES: &[&str] = &[
        "a",
        "K",
        "7",
        ".",
        " ",
        "凱",
        "基",
        "。",
        "、",
        "「",
        "か",
        "カ",
        "한",
        "\u{4DC0}",
        "\u{3000}",
        "\u{3030}",
        "\u{3097}",
        "\u{3099}",
        "\u{309A}",
        "\u{0301}",
        "\u{0323}",
        "\u{20D0}",
        "\u{FE20}",
        "\u{200B}",
        "\u{FEFF}",
        "\u{00AD}",
        "\u{FE0F}",
        "ｋ",
        "．",
        "，",
        "：",
        "①",
        "ﬁ",
        "é",
        "e\u{301}",
        "ｶ",
        "\u{1100}",
        "\u{1161}",
        "Å",
        "\u{212B}",
        "ß",
        "і",
        "𠀀",
        "\u{E0041}",
        "\u{1D400}",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        #[test]
        fn normalising_gives_what_a_character_at_a_time_gives(
            parts in proptest::collection::vec(proptest::sample::select(NORMALIZE_PIECES), 0..24),
        ) {
            let text = parts.concat();
            let (normalized, map) = super::normalize(&text);
            let (expected, pieces) = normalize_char_by_char(&text);
            proptest::prop_assert_eq!(&*normalized, expected.as_str());
            proptest::prop_assert_eq!(map.pieces, pieces);
        }

        #[test]
        fn normalising_any_text_gives_what_a_character_at_a_time_gives(text in proptest::prelude::any::<String>()) {
            let (normalized, map) = super::normalize(&text);
            let (expected, pieces) = normalize_char_by_char(&text);
            proptest::prop_assert_eq!(&*normalized, expected.as_str());
            proptest::prop_assert_eq!(map.pieces, pieces);
        }
    }

    /// Pass 2 as first written, a byte at a time: [`super::refang`], which passes over
    /// whole characters, must give exactly this.
    fn refang_byte_by_byte(src: &str) -> Option<(String, Vec<super::Piece>)> {
        use super::{bracketed, defanged_scheme, dot_after_cjk_label, is_label_byte, Chain, MapBuilder};
        let bytes = src.as_bytes();
        let mut builder = MapBuilder::new(src);
        let mut chain = Chain::default();
        let mut at = 0;
        while at < bytes.len() {
            let b = bytes[at];
            if b.is_ascii_alphanumeric() {
                let label_start = at == 0 || !is_label_byte(bytes[at - 1]);
                if !label_start {
                    at += 1;
                    continue;
                }
                if let Some(len) = defanged_scheme(&bytes[at..]) {
                    builder.replace(at..at + 4, "http");
                    at += len;
                    continue;
                }
                at = chain.refang(src, at, &mut builder);
                continue;
            }
            if matches!(b, b'[' | b'(' | b'{') {
                if let Some((len, plain)) = bracketed(&bytes[at..]) {
                    builder.replace(at..at + len, plain);
                    at += len;
                    continue;
                }
            }
            if matches!(b, b'[' | b'(' | 0xE3 | 0xE9) {
                if let Some(end) = dot_after_cjk_label(src, at, &mut builder) {
                    at = end;
                    continue;
                }
            }
            at += 1;
        }
        builder.finish().map(|(text, map)| (text, map.pieces))
    }

    /// Labels, every notation refanging reads, and characters of each UTF-8 width.
    const REFANG_PIECES: &[&str] = &[
        "kgi357", "www", "com", "tw", "net", "凱基", "客服", "。", "點", "[點]", "(點)", ".", " . ", " ",
        "[.]", "(dot)", " dot ", "hxxps", "h**p", "[:]//", "://", "[/]", "-", "é", "ß", "𠀀", "【", "，",
        "a", "1",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        #[test]
        fn refanging_gives_what_a_byte_at_a_time_gives(
            parts in proptest::collection::vec(proptest::sample::select(REFANG_PIECES), 0..24),
        ) {
            let text = parts.concat();
            let fast = super::refang(&text).map(|(text, map)| (text, map.pieces));
            proptest::prop_assert_eq!(fast, refang_byte_by_byte(&text));
        }
    }

    #[test]
    fn the_quick_test_of_vendor_notations_lets_every_form_through_in_any_case() {
        for (form, plain) in super::BRACKETED_FORMS {
            for written in [form.to_ascii_lowercase(), form.to_ascii_uppercase()] {
                assert_eq!(super::bracketed(&written), Some((form.len(), plain)), "{written:?}");
            }
        }
    }

    #[test]
    fn no_separator_starts_with_a_byte_the_quick_test_refuses() {
        let tails = [
            "", "com", " com", "  com", ".com", " . com", "。com", " 。 com", "點com", " 點 com", "[點]com",
            "(點)com", "[.]com", "(.)com", "{.}com", "[dot]com", " dot com", "dot com", "ot com", "\tcom",
            "\t.com",
        ];
        for lead in 0..=u8::MAX {
            for tail in tails {
                let mut bytes = vec![lead];
                bytes.extend_from_slice(tail.as_bytes());
                // Also as the tail's own first byte, since most tails start with a separator.
                for text in [&bytes[..], tail.as_bytes()] {
                    if super::read_separator(text, 0).is_some() {
                        assert!(super::may_start_separator(text[0]), "{text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_byte_test_for_stable_starters_agrees_with_the_character_test() {
        let mut buffer = [0; 4];
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            let len = super::stable_starter_len(c.encode_utf8(&mut buffer).as_bytes(), 0);
            assert_eq!(len, super::is_stable_starter(c).then(|| c.len_utf8()), "{c:?}");
        }
    }

    #[test]
    fn the_fast_path_ranges_are_stable_under_nfkc_and_never_combine() {
        use unicode_normalization::char::canonical_combining_class;
        use unicode_normalization::UnicodeNormalization;
        let stable = (0..=0x10FFFF_u32).filter_map(char::from_u32).filter(|&c| super::is_stable_starter(c));
        for c in stable {
            assert_eq!(canonical_combining_class(c), 0, "{c:?} combines");
            assert!(std::iter::once(c).nfkc().eq(std::iter::once(c)), "NFKC changes {c:?}");
            assert!(!super::is_invisible(c), "{c:?} is invisible");
        }
    }

    #[test]
    fn the_common_ideographs_are_all_cjk_letters() {
        let ideographs = (0x3400..=0x4DBF).chain(0x4E00..=0x9FFF).filter_map(char::from_u32);
        for c in ideographs {
            assert!(super::is_common_ideograph(c));
            assert!(super::is_cjk(c) && c.is_alphabetic(), "{c:?} is no CJK letter");
        }
    }

    #[test]
    fn the_full_width_shortcut_agrees_with_nfkc() {
        use unicode_normalization::UnicodeNormalization;
        let full_width = (0xFF01..=0xFF5E).chain([0x3000]).filter_map(char::from_u32);
        for c in full_width {
            let ascii = super::full_width_ascii(c).unwrap();
            assert!(std::iter::once(c).nfkc().eq(std::iter::once(ascii)), "{c:?}");
        }
    }

    #[test]
    fn plain_ascii_text_is_not_copied_or_changed() {
        let clean = CleanText::new("see https://www.kgi.com.tw/ now");
        assert!(matches!(clean.text, std::borrow::Cow::Borrowed(_)));
        assert_eq!(clean.original(4..26), "https://www.kgi.com.tw");
    }

    #[test]
    fn full_width_letters_and_digits_become_ascii() {
        assert_eq!(cleaned("請至ｋｇｉ３５７．ｃｏｍ驗證"), "請至kgi357.com驗證");
    }

    #[test]
    fn zero_width_characters_and_soft_hyphens_are_removed() {
        assert_eq!(cleaned("kgi\u{200B}357\u{00AD}.c\u{FEFF}om\u{2060}"), "kgi357.com");
        assert_eq!(cleaned("k\u{200C}g\u{200D}i.com.tw"), "kgi.com.tw");
    }

    #[test]
    fn bidi_overrides_that_reorder_a_link_are_removed() {
        assert_eq!(cleaned("kgi\u{202E}moc.357"), "kgimoc.357");
    }

    #[test]
    fn vendor_defanging_is_undone() {
        assert_eq!(cleaned("hxxps://kkpp[.]kgi357[.]com/index/login"), "https://kkpp.kgi357.com/index/login");
        assert_eq!(cleaned("hXXp://a(.)kgi357{.}com[dot]tw"), "http://a.kgi357.com.tw");
        assert_eq!(cleaned("h**ps[:]//x.kgi357.com[/]a"), "https://x.kgi357.com/a");
        assert_eq!(cleaned("HXXPS[://]kgi357(DOT)com"), "httpS://kgi357.com");
    }

    #[test]
    fn hxxp_inside_a_word_or_without_a_scheme_separator_is_left_alone() {
        assert_eq!(cleaned("ahxxp://x.com"), "ahxxp://x.com");
        assert_eq!(cleaned("hxxp is how vendors write it"), "hxxp is how vendors write it");
    }

    #[test]
    fn chinese_full_stops_between_link_labels_are_dots() {
        assert_eq!(cleaned("請於今日至 kgi357。com 驗證身分"), "請於今日至 kgi357.com 驗證身分");
        assert_eq!(cleaned("kgi357．com｡tw"), "kgi357.com.tw");
        assert_eq!(cleaned("kkpp。kgi357。com/index"), "kkpp.kgi357.com/index");
    }

    #[test]
    fn a_full_stop_ending_a_chinese_sentence_is_untouched() {
        let text = "您的帳戶異常。請立即處理。OK。";
        assert_eq!(cleaned(text), text);
        assert_eq!(cleaned("官網www.kgi.com.tw。App請至商店下載"), "官網www.kgi.com.tw。App請至商店下載");
    }

    #[test]
    fn the_word_dian_between_link_labels_is_a_dot() {
        assert_eq!(cleaned("kgi357 點 com"), "kgi357.com");
        assert_eq!(cleaned("kgi357點com"), "kgi357.com");
        assert_eq!(cleaned("kgi357[點]com"), "kgi357.com");
        assert_eq!(cleaned("kgi357（點）com"), "kgi357.com");
        assert_eq!(cleaned("kgi357(點)com"), "kgi357.com");
    }

    #[test]
    fn the_word_dian_in_ordinary_chinese_is_untouched() {
        for text in ["下午3點app更新", "LINE點數", "請點選連結", "明天10點30分開盤"] {
            assert_eq!(cleaned(text), text);
        }
    }

    #[test]
    fn a_chinese_dot_after_a_chinese_label_and_before_a_common_ending_is_a_dot() {
        assert_eq!(cleaned("請至凱基客服。net驗證"), "請至凱基客服.net驗證");
        assert_eq!(cleaned("凱基客服點com"), "凱基客服.com");
        assert_eq!(cleaned("凱基證券。com。tw"), "凱基證券.com.tw");
        assert_eq!(cleaned("凱基證券[點]com.tw"), "凱基證券.com.tw");
        assert_eq!(cleaned("凱基證券(點)cc/login"), "凱基證券.cc/login");
    }

    #[test]
    fn a_chinese_full_stop_or_dian_before_ordinary_words_is_untouched() {
        for text in
            ["我今天很好。OK", "謝謝。me too", "手機點app就能下單", "差一點company就倒了", "很好。Tweet it"]
        {
            assert_eq!(cleaned(text), text);
        }
    }

    #[test]
    fn spaced_dots_join_only_before_a_public_suffix() {
        assert_eq!(cleaned("請登入 kgi357 . com 查看"), "請登入 kgi357.com 查看");
        assert_eq!(cleaned("kgi357 dot com"), "kgi357.com");
        assert_eq!(cleaned("kgi357 DOT com . tw"), "kgi357.com.tw");
        assert_eq!(cleaned("Thanks. Me too"), "Thanks. Me too");
        assert_eq!(cleaned("a red dot on screen"), "a red dot on screen");
    }

    #[test]
    fn a_host_spelled_out_with_spaced_dots_is_kept_whole() {
        let cases = [
            ("www . kgi357 . com", "www.kgi357.com"),
            ("a006 . kgi588 . com", "a006.kgi588.com"),
            ("www 點 example 點 com", "www.example.com"),
            ("www dot example dot com", "www.example.com"),
            ("www DOT kgi357 DOT com DOT tw", "www.kgi357.com.tw"),
            ("www 。 kgi357 。 com", "www.kgi357.com"),
            ("www [.] kgi357 [.] com", "www.kgi357.com"),
            ("kkpp . kgi357 . com . tw", "kkpp.kgi357.com.tw"),
            ("a . b . kgi357 . com", "a.b.kgi357.com"),
        ];
        for (text, host) in cases {
            assert_eq!(cleaned(text), host, "{text}");
            assert_eq!(cleaned(&format!("請至 {text} 登入")), format!("請至 {host} 登入"), "{text}");
        }
    }

    #[test]
    fn a_host_spelled_out_with_mixed_disguised_dots_is_kept_whole() {
        let cases = [
            ("www 點 kgi357 . com", "www.kgi357.com"),
            ("a006 . kgi588 [.] com", "a006.kgi588.com"),
            ("www [.] kgi357 點 com", "www.kgi357.com"),
            ("www 。kgi357 dot com", "www.kgi357.com"),
            ("www 點 kgi357。com", "www.kgi357.com"),
        ];
        for (text, host) in cases {
            assert_eq!(cleaned(text), host, "{text}");
        }
    }

    #[test]
    fn a_chain_of_plain_dots_ends_at_the_label_limit_whether_or_not_a_disguised_dot_follows() {
        // 32 labels at most: the disguised dot after the 32nd is outside the chain.
        let within = format!("{}kgi357。com", "a.".repeat(30));
        assert_eq!(cleaned(&within), format!("{}kgi357.com", "a.".repeat(30)));
        let beyond = format!("{}kgi357。com", "a.".repeat(31));
        assert_eq!(cleaned(&beyond), beyond);
        let spaced = format!("{}b 。 kgi357 。 com", "a.".repeat(31));
        assert_eq!(cleaned(&spaced), format!("{}b 。 kgi357.com", "a.".repeat(31)));
    }

    #[test]
    fn prose_with_spaced_dots_and_chinese_dots_is_untouched() {
        for text in [
            "Thanks. Me too",
            "a red dot on screen",
            "a red dot . a blue dot",
            "下午3點app",
            "下午 3 點 app 更新",
            "今天很好。OK",
            "我今天很好。OK 明天見",
            "請點 app 下載",
            "明天 10 點 30 分見",
            "I bought an apple . example.com was down",
            "one . two . three",
        ] {
            assert_eq!(cleaned(text), text);
        }
    }

    #[test]
    fn original_gives_back_what_the_customer_saw() {
        let text = "至 ｋｇｉ３５７．ｃｏｍ 或 kgi\u{200B}357。com";
        let clean = CleanText::new(text);
        let cleaned = clean.text();
        let first = cleaned.find("kgi357.com").unwrap();
        assert_eq!(clean.original(first..first + 10), "ｋｇｉ３５７．ｃｏｍ");
        let second = cleaned.rfind("kgi357.com").unwrap();
        assert_eq!(clean.original(second..second + 10), "kgi\u{200B}357。com");
    }

    #[test]
    fn original_of_a_partly_rewritten_range_covers_whole_notations() {
        let text = "hxxps://kkpp[.]kgi357[.]com/index/login 89.106.207.153";
        let clean = CleanText::new(text);
        assert_eq!(clean.text(), "https://kkpp.kgi357.com/index/login 89.106.207.153");
        assert_eq!(clean.original(0..35), "hxxps://kkpp[.]kgi357[.]com/index/login");
        assert_eq!(clean.original(12..13), "[.]");
        assert_eq!(clean.original(36..50), "89.106.207.153");
    }

    #[test]
    fn zero_width_characters_at_the_edges_are_not_quoted() {
        let clean = CleanText::new("\u{200B}kgi357.com\u{200B}");
        assert_eq!(clean.text(), "kgi357.com");
        assert_eq!(clean.original(0..10), "kgi357.com");
    }

    #[test]
    fn combining_marks_compose_and_map_back_whole() {
        let clean = CleanText::new("cafe\u{301}.tw");
        assert_eq!(clean.text(), "café.tw");
        assert_eq!(clean.original(0..clean.text().len()), "cafe\u{301}.tw");
    }
}
