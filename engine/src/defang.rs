//! Undoes the "defanging" that takedown vendors and cautious senders apply to links
//! (`hxxps://kkpp[.]kgi357[.]com`), so that the link can be judged like any other.
//! The rules live in [`crate::text`]; this is the plain-string entry point.

use crate::text::CleanText;

/// Returns `text` with defanged and disguised link spellings turned back into plain ones:
/// `hxxp`/`hXXps`/`h**p` schemes, `[.]` `(.)` `{.}` `[dot]` `(dot)` dots, `[:]`, `[/]`, and the
/// Chinese full stops and `點` that scams use as dots. Like every cleaning step it also
/// applies NFKC and removes invisible characters.
pub fn refang(text: &str) -> String {
    CleanText::new(text).text().to_owned()
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
