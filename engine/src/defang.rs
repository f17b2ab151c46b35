//! Undoes the "defanging" that takedown vendors and cautious senders apply to links
//! (`hxxps://kkpp[.]kgi357[.]com`), so that the link can be judged like any other.

/// Returns `text` with common defanged link spellings turned back into plain ones.
///
/// Handles `hxxp`/`hXXps` schemes, `[.]` `(.)` `{.}` dots, `[:]` and the ideographic
/// and full-width full stops (`。` `．` `｡`) that Chinese-language scams use as dots.
pub fn refang(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some((replacement, consumed)) = refang_at(rest) {
            out.push_str(replacement);
            rest = &rest[consumed..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Recognises one defanged spelling at the start of `s`: its plain form and its length in bytes.
fn refang_at(s: &str) -> Option<(&'static str, usize)> {
    const BRACKETED: [(&str, &str); 6] =
        [("[.]", "."), ("(.)", "."), ("{.}", "."), ("[:]", ":"), ("[dot]", "."), ("(dot)", ".")];
    for (from, to) in BRACKETED {
        if s.len() >= from.len()
            && s.is_char_boundary(from.len())
            && s[..from.len()].eq_ignore_ascii_case(from)
        {
            return Some((to, from.len()));
        }
    }
    if let Some(c) = s.chars().next() {
        if matches!(c, '。' | '．' | '｡') {
            return Some((".", c.len_utf8()));
        }
    }
    let bytes = s.as_bytes();
    if bytes.len() >= 4
        && bytes[0].eq_ignore_ascii_case(&b'h')
        && bytes[1].eq_ignore_ascii_case(&b'x')
        && bytes[2].eq_ignore_ascii_case(&b'x')
        && bytes[3].eq_ignore_ascii_case(&b'p')
    {
        return Some(("http", 4));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::refang;

    #[test]
    fn vendor_notation_becomes_a_plain_link() {
        assert_eq!(refang("hxxps://kkpp[.]kgi357[.]com/index/login"), "https://kkpp.kgi357.com/index/login");
    }

    #[test]
    fn upper_case_and_other_brackets_are_undone() {
        assert_eq!(refang("hXXp://a(.)b{.}c[dot]tw"), "http://a.b.c.tw");
        assert_eq!(refang("https[:]//x.tw"), "https://x.tw");
    }

    #[test]
    fn chinese_full_stops_used_as_dots_are_undone() {
        assert_eq!(refang("kgi357。com"), "kgi357.com");
        assert_eq!(refang("kgi357．com｡tw"), "kgi357.com.tw");
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        let text = "請認明凱基證券真正網址 hello (world)";
        assert_eq!(refang(text), text);
    }
}
