//! Finds the links in a pasted message: `http(s)` URLs, and bare domains or IPv4
//! addresses written without a scheme, as customers receive them in SMS and LINE.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::defang::refang;
use crate::domain::has_public_suffix;
use crate::host::{is_domain_name, is_ipv4};

/// What kind of thing a candidate is, as written in the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CandidateKind {
    /// A link with an `http` or `https` scheme.
    Url,
    /// A domain name written without a scheme (`kgi357.com/login`).
    Domain,
    /// An IPv4 address written without a scheme.
    Ip,
}

/// One link found in a message, before it is judged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub kind: CandidateKind,
    /// The text as it appeared (after undoing defanged notation).
    pub raw: String,
    /// The link as a canonical absolute URL, without fragment.
    pub normalized: String,
    /// The lower-case host name or IPv4 address.
    pub host: String,
}

/// Extracts every distinct link from `text`, in order of first appearance.
pub fn extract(text: &str) -> Vec<Candidate> {
    let text = refang(text);
    let mut found: Vec<Candidate> = Vec::new();
    for run in link_runs(&text) {
        if let Some(candidate) = candidate_from_run(run) {
            if !found.iter().any(|c| c.normalized == candidate.normalized) {
                found.push(candidate);
            }
        }
    }
    found
}

/// Characters that can be part of a link as written in running text. CJK text,
/// full-width brackets, quotes and whitespace end a link.
fn is_link_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#@!$&*+,;=%".contains(c)
}

/// Splits `text` into maximal runs of link characters, with a scheme inside a run
/// starting a new run (`見:https://x.tw` gives `https://x.tw`).
fn link_runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_link_char(c))
        .flat_map(split_at_schemes)
        .map(trim_punctuation)
        .filter(|run| !run.is_empty())
}

fn split_at_schemes(run: &str) -> Vec<&str> {
    let lower = run.to_ascii_lowercase();
    let mut starts: Vec<usize> = lower
        .match_indices("http")
        .map(|(i, _)| i)
        .filter(|&i| lower[i..].starts_with("http://") || lower[i..].starts_with("https://"))
        .collect();
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    starts
        .iter()
        .enumerate()
        .map(|(n, &start)| &run[start..starts.get(n + 1).copied().unwrap_or(run.len())])
        .collect()
}

/// Removes punctuation that ends a sentence rather than a link (`x.tw.` or `x.tw,`).
fn trim_punctuation(run: &str) -> &str {
    run.trim_end_matches(['.', ',', ';', ':', '!', '?'])
        .trim_start_matches(['.', ',', ';', ':', '!', '?', '/', '@', '-'])
}

fn candidate_from_run(run: &str) -> Option<Candidate> {
    let lower = run.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        let url = Url::parse(run).ok()?;
        let host = url.host_str()?.to_owned();
        if !(is_domain_name(&host) || is_ipv4(&host)) {
            return None;
        }
        let kind = CandidateKind::Url;
        return Some(Candidate { kind, raw: run.to_owned(), normalized: normalize(url), host });
    }
    let authority = run.split(['/', '?', '#']).next()?;
    if authority.contains('@') {
        // An e-mail address, not a link.
        return None;
    }
    let bare_host = authority.split(':').next()?.to_ascii_lowercase();
    let kind = if is_ipv4(&bare_host) {
        CandidateKind::Ip
    } else if is_domain_name(&bare_host) && has_public_suffix(&bare_host) {
        CandidateKind::Domain
    } else {
        return None;
    };
    let url = Url::parse(&format!("http://{run}")).ok()?;
    let host = url.host_str()?.to_owned();
    Some(Candidate { kind, raw: run.to_owned(), normalized: normalize(url), host })
}

fn normalize(mut url: Url) -> String {
    url.set_fragment(None);
    url.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(text: &str) -> Vec<String> {
        extract(text).into_iter().map(|c| c.host).collect()
    }

    #[test]
    fn a_plain_https_link_is_found_with_its_host() {
        let found = extract("https://kkpp.kgi357.com/index/login");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, CandidateKind::Url);
        assert_eq!(found[0].host, "kkpp.kgi357.com");
        assert_eq!(found[0].normalized, "https://kkpp.kgi357.com/index/login");
    }

    #[test]
    fn links_glued_to_chinese_text_are_cut_at_the_chinese() {
        let text = "【凱基】您的帳戶有風險，請立即至https://kgi-verify.top/a驗證。或登入kgi357.com查看";
        assert_eq!(hosts(text), ["kgi-verify.top", "kgi357.com"]);
    }

    #[test]
    fn sentence_punctuation_is_not_part_of_the_link() {
        let found = extract("Log in at https://www.kgi.com.tw/. Again: https://www.kgi.com.tw/, thanks!");
        assert_eq!(found[0].normalized, "https://www.kgi.com.tw/");
        assert_eq!(found.len(), 1, "the same link twice is one finding");
    }

    #[test]
    fn bare_domains_need_a_public_suffix() {
        assert_eq!(hosts("see readme.txt, e.g. this, or kgi888.cc/x"), ["kgi888.cc"]);
    }

    #[test]
    fn bare_ipv4_addresses_are_found() {
        let found = extract("go to 89.106.207.153/index/login now");
        assert_eq!(found[0].kind, CandidateKind::Ip);
        assert_eq!(found[0].normalized, "http://89.106.207.153/index/login");
    }

    #[test]
    fn defanged_vendor_links_are_found() {
        let found = extract("E7800746 (C7800745) hxxps://kkpp[.]kgi357[.]com/index/login 89.106.207.153");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].normalized, "https://kkpp.kgi357.com/index/login");
        assert_eq!(found[1].host, "89.106.207.153");
    }

    #[test]
    fn chinese_full_stops_in_a_domain_are_read_as_dots() {
        assert_eq!(hosts("請登入 kgi357。com"), ["kgi357.com"]);
    }

    #[test]
    fn email_addresses_and_fragments_are_not_links() {
        assert!(extract("write to service@kgi.com.tw").is_empty());
        let found = extract("https://www.kgi.com.tw/#top");
        assert_eq!(found[0].normalized, "https://www.kgi.com.tw/");
    }

    #[test]
    fn a_scheme_inside_a_run_starts_a_new_link() {
        assert_eq!(hosts("link:https://a.kgi357.com"), ["a.kgi357.com"]);
    }

    #[test]
    fn text_without_links_gives_nothing() {
        assert!(extract("你好，明天見").is_empty());
        assert!(extract("").is_empty());
    }
}
