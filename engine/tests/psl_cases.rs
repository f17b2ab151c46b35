//! The Public Suffix List project's own test cases (tests/test_psl.txt, public domain),
//! run through `domain::registrable_domain` the way checks use it: on a canonical host,
//! lower-case, IDNs in punycode.

use engine::domain::registrable_domain;

/// `checkPublicSuffix(input, expected)` pairs, transcribed from test_psl.txt.
const CASES: &[(&str, Option<&str>)] = &[
    // Mixed case.
    ("COM", None),
    ("example.COM", Some("example.com")),
    ("WwW.example.COM", Some("example.com")),
    // Leading dot.
    (".com", None),
    (".example", None),
    (".example.com", None),
    (".example.example", None),
    // TLD with only 1 rule.
    ("biz", None),
    ("domain.biz", Some("domain.biz")),
    ("b.domain.biz", Some("domain.biz")),
    ("a.b.domain.biz", Some("domain.biz")),
    // TLD with some 2-level rules.
    ("com", None),
    ("example.com", Some("example.com")),
    ("b.example.com", Some("example.com")),
    ("a.b.example.com", Some("example.com")),
    ("uk.com", None),
    ("example.uk.com", Some("example.uk.com")),
    ("b.example.uk.com", Some("example.uk.com")),
    ("a.b.example.uk.com", Some("example.uk.com")),
    ("test.ac", Some("test.ac")),
    // TLD with only 1 (wildcard) rule.
    ("mm", None),
    ("c.mm", None),
    ("b.c.mm", Some("b.c.mm")),
    ("a.b.c.mm", Some("b.c.mm")),
    // More complex TLD.
    ("jp", None),
    ("test.jp", Some("test.jp")),
    ("www.test.jp", Some("test.jp")),
    ("ac.jp", None),
    ("test.ac.jp", Some("test.ac.jp")),
    ("www.test.ac.jp", Some("test.ac.jp")),
    ("kyoto.jp", None),
    ("test.kyoto.jp", Some("test.kyoto.jp")),
    ("ide.kyoto.jp", None),
    ("b.ide.kyoto.jp", Some("b.ide.kyoto.jp")),
    ("a.b.ide.kyoto.jp", Some("b.ide.kyoto.jp")),
    ("c.kobe.jp", None),
    ("b.c.kobe.jp", Some("b.c.kobe.jp")),
    ("a.b.c.kobe.jp", Some("b.c.kobe.jp")),
    // Exception rule `!city.kobe.jp`: the suffix is kobe.jp, so the site is city.kobe.jp (as in
    // every published copy of the test file; one stored copy read kobe.jp here).
    ("city.kobe.jp", Some("city.kobe.jp")),
    ("www.city.kobe.jp", Some("city.kobe.jp")),
    // TLD with a wildcard rule and exceptions.
    ("ck", None),
    ("test.ck", None),
    ("b.test.ck", Some("b.test.ck")),
    ("a.b.test.ck", Some("b.test.ck")),
    ("www.ck", Some("www.ck")),
    ("www.www.ck", Some("www.ck")),
    // US K12.
    ("us", None),
    ("test.us", Some("test.us")),
    ("www.test.us", Some("test.us")),
    ("ak.us", None),
    ("test.ak.us", Some("test.ak.us")),
    ("www.test.ak.us", Some("test.ak.us")),
    ("k12.ak.us", None),
    ("test.k12.ak.us", Some("test.k12.ak.us")),
    ("www.test.k12.ak.us", Some("test.k12.ak.us")),
    // IDN labels.
    ("食狮.com.cn", Some("食狮.com.cn")),
    ("食狮.公司.cn", Some("食狮.公司.cn")),
    ("www.食狮.公司.cn", Some("食狮.公司.cn")),
    ("shishi.公司.cn", Some("shishi.公司.cn")),
    ("公司.cn", None),
    ("食狮.中国", Some("食狮.中国")),
    ("www.食狮.中国", Some("食狮.中国")),
    ("shishi.中国", Some("shishi.中国")),
    ("中国", None),
    // Same as above, but punycoded.
    ("xn--85x722f.com.cn", Some("xn--85x722f.com.cn")),
    ("xn--85x722f.xn--55qx5d.cn", Some("xn--85x722f.xn--55qx5d.cn")),
    ("www.xn--85x722f.xn--55qx5d.cn", Some("xn--85x722f.xn--55qx5d.cn")),
    ("shishi.xn--55qx5d.cn", Some("shishi.xn--55qx5d.cn")),
    ("xn--55qx5d.cn", None),
    ("xn--85x722f.xn--fiqs8s", Some("xn--85x722f.xn--fiqs8s")),
    ("www.xn--85x722f.xn--fiqs8s", Some("xn--85x722f.xn--fiqs8s")),
    ("shishi.xn--fiqs8s", Some("shishi.xn--fiqs8s")),
    ("xn--fiqs8s", None),
];

/// The host as a check sees it: lower-case ASCII, IDNs in punycode. A leading dot is
/// kept, so such inputs stay invalid as the list's tests expect.
fn as_checked(host: &str) -> String {
    idna::domain_to_ascii(host).unwrap_or_else(|_| host.to_ascii_lowercase())
}

#[test]
fn the_public_suffix_lists_own_test_cases_pass() {
    let mut wrong = Vec::new();
    for &(input, expected) in CASES {
        let host = as_checked(input);
        let got = if host.starts_with('.') { None } else { registrable_domain(&host).map(str::to_owned) };
        let expected = expected.map(as_checked);
        if got != expected {
            wrong.push(format!("{input:?}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{} of {} cases differ:\n{}", wrong.len(), CASES.len(), wrong.join("\n"));
}

/// The list's "unlisted TLD" cases apply the default `*` rule (`example.example` is a
/// site). We deliberately do not: a name under no listed suffix is not a domain to us,
/// or `readme.txt` in a message would be taken for a link.
#[test]
fn a_name_under_an_unlisted_top_level_domain_has_no_registrable_domain() {
    for host in ["example", "example.example", "b.example.example", "a.b.example.example"] {
        assert_eq!(registrable_domain(host), None, "{host}");
    }
}
