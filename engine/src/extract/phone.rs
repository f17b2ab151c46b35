//! Taiwan phone numbers in the ways people write them (`02-2345-6789`, `(02)2345-6789`,
//! `0912 345 678`, `+886 2 2345 6789`, `886912345678`), as E.164 (`+886223456789`).
//!
//! A number is a run of digit groups joined by single separators. Only lengths that Taiwan
//! numbering allows are taken, and only at a token boundary, so alert IDs (`E7800746`),
//! dates, amounts, times and the digits of links are not phones.

use super::{CandidateKind, LinkSpan, Sink};

/// Digits read at most: two numbers in a row, so that a space-separated pair is not lost.
const MAX_DIGITS: usize = 24;
/// Digit groups read at most (`+886 2 2345 6789` has four; two numbers in a row, seven).
const MAX_GROUPS: usize = 8;

/// Finds the Taiwan phone numbers of `text`, skipping the bytes of links.
pub(super) fn scan(text: &str, spans: &[LinkSpan], sink: &mut Sink) {
    let bytes = text.as_bytes();
    let mut next_span = 0;
    let mut at = 0;
    while at < bytes.len() && !sink.is_full() {
        while spans.get(next_span).is_some_and(|s| s.range.end <= at) {
            next_span += 1;
        }
        let limit = match spans.get(next_span) {
            Some(span) if span.range.start <= at => {
                at = span.range.end;
                continue;
            }
            Some(span) => span.range.start,
            None => bytes.len(),
        };
        if !starts_number(bytes[at]) {
            // Only a digit, `+` or `(` starts a number: the bytes up to the next one (or
            // the next link) are passed over at once.
            at += 1 + bytes[at + 1..limit].iter().take_while(|&&b| !starts_number(b)).count();
            continue;
        }
        if starts_token(bytes, at) {
            match read_number(bytes, at, limit) {
                Ok((end, value)) => {
                    sink.push(at..end, CandidateKind::Phone, value);
                    at = end;
                }
                Err(skip_to) => at = skip_to.max(at + 1),
            }
            continue;
        }
        at += 1;
    }
}

/// The E.164 form of `text` when the whole of it is one Taiwan phone number, written any of
/// the ways [`scan`] reads one; `None` for anything else (two numbers, a number with words).
pub(super) fn whole_number(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    if !bytes.first().is_some_and(|&b| starts_number(b)) {
        return None;
    }
    match read_number(bytes, 0, bytes.len()) {
        Ok((end, value)) if end == bytes.len() => Some(value),
        _ => None,
    }
}

fn starts_number(b: u8) -> bool {
    b.is_ascii_digit() || b == b'+' || b == b'('
}

/// A number starts after a space, CJK text or punctuation, not inside a word, an amount, an
/// address or an ID (`E7800746`, `$0800`, `v1.0912`, `@0912345678`).
fn starts_token(bytes: &[u8], at: usize) -> bool {
    at == 0 || {
        let before = bytes[at - 1];
        !(before.is_ascii_alphanumeric()
            || matches!(
                before,
                b'@' | b'/' | b'\\' | b'_' | b'.' | b'$' | b'#' | b'=' | b'&' | b'%' | b'~' | b'-' | b'+'
            ))
    }
}

/// The byte length of a separator between digit groups at `at`: a space, `-`, `.`, or a
/// Unicode dash (NFKC leaves `‐‑‒–—―−` as they are).
fn separator_len(bytes: &[u8], at: usize) -> Option<usize> {
    const DASHES: [&str; 7] = ["‐", "‑", "‒", "–", "—", "―", "−"];
    match bytes.get(at)? {
        b' ' | b'-' | b'.' => Some(1),
        0xE2 => DASHES.iter().find(|d| bytes[at..].starts_with(d.as_bytes())).map(|d| d.len()),
        _ => None,
    }
}

/// One group of digits: where it ends and how many digits the number has up to it.
#[derive(Clone, Copy, Default)]
struct Group {
    end: usize,
    digits: usize,
    /// Whether a space follows, so that a number may end here and another begin.
    space_after: bool,
}

/// Reads the number starting at `start` (before `limit`): `Ok((end, E.164))`, or
/// `Err(position to resume at)`.
fn read_number(bytes: &[u8], start: usize, limit: usize) -> Result<(usize, String), usize> {
    let mut at = start;
    let plus = bytes[at] == b'+';
    let paren = bytes[at] == b'(';
    if plus || paren {
        at += 1;
    }
    if !(at < limit && bytes[at].is_ascii_digit()) {
        return Err(start + 1);
    }
    let mut digits = [0u8; MAX_DIGITS];
    let mut count = 0;
    let mut groups = [Group::default(); MAX_GROUPS];
    let mut group_count = 0;
    // Whether more digit groups follow the last one read.
    let mut more_follow = false;
    'groups: loop {
        while at < limit && bytes[at].is_ascii_digit() {
            if count == MAX_DIGITS {
                if group_count == 0 {
                    // Too long for a phone number: skip the whole run of digits.
                    let rest = bytes[at..].iter().take_while(|b| b.is_ascii_digit()).count();
                    return Err(at + rest);
                }
                // The groups read so far may still hold a number or two.
                more_follow = true;
                break 'groups;
            }
            digits[count] = bytes[at];
            count += 1;
            at += 1;
        }
        groups[group_count] = Group { end: at, digits: count, space_after: false };
        group_count += 1;
        if paren && group_count == 1 {
            // `(02)2345-6789` and `(02) 2345 6789`: the area code is closed by `)`.
            if bytes.get(at) != Some(&b')') {
                return Err(at);
            }
            at += 1;
            if at < limit && matches!(bytes[at], b' ' | b'-') {
                at += 1;
            }
            if !(at < limit && bytes[at].is_ascii_digit()) {
                return Err(at);
            }
            continue;
        }
        match separator_len(bytes, at) {
            Some(len) if at + len < limit && bytes[at + len].is_ascii_digit() => {
                groups[group_count - 1].space_after = bytes[at] == b' ';
                if group_count == MAX_GROUPS {
                    more_follow = true;
                    break;
                }
                at += len;
            }
            _ => break,
        }
    }
    // The longest run of groups that is a valid number and ends cleanly.
    for n in (1..=group_count).rev() {
        let group = groups[n - 1];
        let more = n < group_count || more_follow;
        if (more && !group.space_after) || (!more && !ends_cleanly(bytes, group.end)) {
            continue;
        }
        if paren && n == 1 {
            continue;
        }
        if let Some(value) = e164(&digits[..group.digits], plus) {
            return Ok((group.end, value));
        }
    }
    Err(groups[0].end)
}

/// Nothing that would make the digits part of something longer follows the number: no
/// letter or digit, no `@` (an e-mail address), no `-` `.` `/` `:` before more digits.
fn ends_cleanly(bytes: &[u8], end: usize) -> bool {
    match bytes.get(end) {
        None => true,
        Some(b) if b.is_ascii_alphanumeric() || matches!(b, b'@' | b'_') => false,
        Some(b'-' | b'.' | b'/' | b':') => !bytes.get(end + 1).is_some_and(u8::is_ascii_digit),
        Some(_) => true,
    }
}

/// The E.164 form of a Taiwan number written with these digits, if it is one.
fn e164(digits: &[u8], plus: bool) -> Option<String> {
    // The national significant number: without the trunk 0 or the country code 886.
    let significant = if plus {
        let rest = digits.strip_prefix(b"886")?;
        // `+886 (0)2…` and `+886-02-…` are common mistakes for `+886-2-…`.
        rest.strip_prefix(b"0").unwrap_or(rest)
    } else if let Some(rest) = digits.strip_prefix(b"0") {
        rest
    } else if (11..=12).contains(&digits.len()) {
        digits.strip_prefix(b"886")?
    } else {
        return None;
    };
    if !valid_significant(significant) {
        return None;
    }
    let mut e164 = String::with_capacity(4 + significant.len());
    e164.push_str("+886");
    e164.extend(significant.iter().map(|&b| char::from(b)));
    Some(e164)
}

/// Taiwan's numbering plan, as written after the trunk 0: mobile `9` + 8 digits; toll-free
/// `800`/`809` + 6; Taipei `2` + 8; Taichung and Nantou `4` + 7 or 8; the other area codes
/// (`3`, `5`–`8`, including `37`, `49`, `82`, `826`, `836`, `89`) 8 digits in all.
fn valid_significant(significant: &[u8]) -> bool {
    let len = significant.len();
    match significant {
        [b'9', ..] => len == 9,
        [b'8', b'0', b'0' | b'9', ..] => len == 9,
        [b'2', ..] => len == 9,
        [b'4', ..] => len == 8 || len == 9,
        [b'3' | b'5' | b'6' | b'7' | b'8', ..] => len == 8,
        _ => false,
    }
}
