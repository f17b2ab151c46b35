//! Extraction as customers would notice it: real-looking zh-TW messages in, candidates out.

use super::*;

/// (kind, raw, value) of every candidate, for compact assertions.
fn found(text: &str) -> Vec<(CandidateKind, String, String)> {
    extract(text).into_iter().map(|c| (c.kind, c.raw, c.value)).collect()
}

fn values(text: &str) -> Vec<String> {
    extract(text).into_iter().map(|c| c.value).collect()
}

fn one(kind: CandidateKind, raw: &str, value: &str) -> Vec<(CandidateKind, String, String)> {
    vec![(kind, raw.to_owned(), value.to_owned())]
}

use CandidateKind::{Domain, Ip, LineId, Phone, Url};

// ---- links with and without a scheme -------------------------------------------------

#[test]
fn a_plain_https_link_is_found_as_written() {
    // Arrange
    let text = "https://kkpp.kgi357.com/index/login";
    // Act
    let candidates = found(text);
    // Assert
    assert_eq!(candidates, one(Url, text, text));
}

#[test]
fn the_scheme_is_lower_cased_and_the_rest_kept() {
    assert_eq!(
        found("HTTPS://Kgi357.com/Login"),
        one(Url, "HTTPS://Kgi357.com/Login", "https://Kgi357.com/Login")
    );
}

#[test]
fn a_bare_domain_gets_http_added() {
    assert_eq!(
        found("請登入kgi357.com/login查看"),
        one(Domain, "kgi357.com/login", "http://kgi357.com/login")
    );
}

#[test]
fn bare_domains_need_a_real_public_suffix() {
    assert_eq!(values("see readme.txt, e.g. this, or kgi888.cc/x and node.js"), ["http://kgi888.cc/x"]);
}

#[test]
fn upper_case_bare_domains_are_found() {
    assert_eq!(values("WWW.KGI.COM.TW"), ["http://WWW.KGI.COM.TW"]);
}

#[test]
fn a_bare_dotted_quad_is_an_ip_address() {
    assert_eq!(
        found("go to 89.106.207.153/index/login now"),
        one(Ip, "89.106.207.153/index/login", "http://89.106.207.153/index/login")
    );
}

#[test]
fn version_numbers_and_decimals_are_not_links() {
    assert!(extract("app v1.2.3 升級，漲幅 3.14%，價格 1,234.50 元").is_empty());
}

#[test]
fn any_host_form_is_taken_after_a_scheme() {
    assert_eq!(values("http://0x59.0x6a.0xcf.0x99/x"), ["http://0x59.0x6a.0xcf.0x99/x"]);
    assert_eq!(values("http://1500172185/login"), ["http://1500172185/login"]);
    assert_eq!(values("https://intranet/login"), ["https://intranet/login"]);
}

#[test]
fn ipv6_in_brackets_after_a_scheme_is_one_link() {
    assert_eq!(
        found("連到 http://[2001:db8::1]/login 驗證"),
        one(Url, "http://[2001:db8::1]/login", "http://[2001:db8::1]/login")
    );
}

#[test]
fn a_chinese_label_after_a_scheme_is_part_of_the_host() {
    assert_eq!(
        found("請至http://凱基證券.com/login驗證"),
        one(Url, "http://凱基證券.com/login", "http://凱基證券.com/login")
    );
    // Without a dot after it, Chinese text glued to the host is not part of it.
    assert_eq!(values("請至https://kgi357.com驗證"), ["https://kgi357.com"]);
}

#[test]
fn a_name_in_chinese_without_a_scheme_is_found() {
    let cases = [
        ("凱基客服.net", "凱基客服.net", "http://凱基客服.net"),
        ("中文網址.tw", "中文網址.tw", "http://中文網址.tw"),
        ("中文網址.台灣", "中文網址.台灣", "http://中文網址.台灣"),
        ("凱基證券.com.tw/login", "凱基證券.com.tw/login", "http://凱基證券.com.tw/login"),
        ("網址：凱基客服.net", "凱基客服.net", "http://凱基客服.net"),
        ("【凱基證券】凱基客服.net", "凱基客服.net", "http://凱基客服.net"),
        ("上海銀行.com", "上海銀行.com", "http://上海銀行.com"),
        ("至尊娛樂城.com", "至尊娛樂城.com", "http://至尊娛樂城.com"),
    ];
    for (text, raw, value) in cases {
        assert_eq!(found(text), one(Domain, raw, value), "{text}");
    }
}

#[test]
fn a_name_in_chinese_starts_after_the_last_lead_in() {
    let cases = [
        ("請至凱基客服.net驗證", "凱基客服.net"),
        ("請上凱基客服.net", "凱基客服.net"),
        ("立即前往凱基證券.com登入", "凱基證券.com"),
        ("請登入官網凱基.tw", "凱基.tw"),
        ("我們的網址是凱基網站.tw", "凱基網站.tw"),
        ("去凱基客服.net", "凱基客服.net"),
        ("至凱基.tw", "凱基.tw"),
        ("請凱基客服.net", "凱基客服.net"),
    ];
    for (text, raw) in cases {
        let candidates = found(text);
        assert_eq!(candidates.len(), 1, "{text}: {candidates:?}");
        assert_eq!(candidates[0].1, raw, "{text}");
    }
}

#[test]
fn a_name_in_chinese_keeps_a_first_character_that_starts_names() {
    assert_eq!(values("上海銀行.com"), ["http://上海銀行.com"]);
    assert_eq!(values("在線客服.net"), ["http://在線客服.net"]);
    assert_eq!(values("請至上海銀行.com"), ["http://上海銀行.com"]);
}

#[test]
fn a_name_in_chinese_written_with_a_chinese_dot_is_quoted_as_sent() {
    assert_eq!(found("請至凱基客服。net驗證"), one(Domain, "凱基客服。net", "http://凱基客服.net"));
    assert_eq!(found("凱基客服點com"), one(Domain, "凱基客服點com", "http://凱基客服.com"));
    assert_eq!(found("凱基證券．com．tw"), one(Domain, "凱基證券．com．tw", "http://凱基證券.com.tw"));
    assert_eq!(found("凱基證券。com。tw"), one(Domain, "凱基證券。com。tw", "http://凱基證券.com.tw"));
    assert_eq!(found("凱基證券[點]cc"), one(Domain, "凱基證券[點]cc", "http://凱基證券.cc"));
}

#[test]
fn ascii_labels_glued_before_a_name_in_chinese_belong_to_it() {
    assert_eq!(values("請上 www.凱基.tw 查詢"), ["http://www.凱基.tw"]);
    assert_eq!(values("kgi凱基.com"), ["http://kgi凱基.com"]);
    // After a lead-in the ASCII before it is not part of the name.
    assert_eq!(values("LINE請至凱基.com"), ["http://凱基.com"]);
}

#[test]
fn chinese_prose_around_dots_gives_no_name_in_chinese() {
    for text in [
        "我今天很好。OK",
        "我今天很好。ok",
        "謝謝。me too",
        "手機點app就能下單",
        "今天天氣很好我們一起去公園散步然後吃飯.com",
        "請點選。",
        "好.",
        "他說.他會來",
        "股價上漲3.5%",
        "一點點.",
    ] {
        assert_eq!(found(text), [], "{text}");
    }
}

#[test]
fn chinese_in_the_path_of_a_link_is_not_a_second_link() {
    assert_eq!(values("https://a.example.tw/凱基.com"), ["https://a.example.tw/"]);
}

#[test]
fn a_port_is_part_of_a_bare_link() {
    assert_eq!(values("boj05o0ln2b4.com:30389 下載"), ["http://boj05o0ln2b4.com:30389"]);
}

#[test]
fn a_scheme_inside_a_run_starts_a_new_link() {
    assert_eq!(
        values("link:https://a.kgi357.com,https://b.kgi357.com"),
        ["https://a.kgi357.com", "https://b.kgi357.com"]
    );
}

#[test]
fn a_domain_with_non_latin_letters_is_found_whole_for_the_lookalike_check() {
    // The "і" is Cyrillic: the link must not be cut into "kg" and "com.tw".
    assert_eq!(values("請登入 www.kgі.com.tw"), ["http://www.kgі.com.tw"]);
}

// ---- user@host -----------------------------------------------------------------------

#[test]
fn a_trusted_name_before_at_hides_the_real_host() {
    let candidates = extract("https://www.kgi.com.tw@evil.example/ 和 www.kgi.com.tw@evil.example/login");
    let values: Vec<_> = candidates.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(values, ["https://www.kgi.com.tw@evil.example/", "http://www.kgi.com.tw@evil.example/login"]);
    for candidate in &candidates {
        let url = url::Url::parse(&candidate.value).unwrap();
        assert_eq!(url.host_str(), Some("evil.example"));
    }
    assert_eq!(candidates[1].kind, Domain);
}

#[test]
fn an_email_address_is_not_a_link() {
    assert!(extract("客服信箱 service@kgi.com.tw").is_empty());
    assert!(extract("寄到 amy.kim@gmail.com 或 john_doe+tw@yahoo.com.tw").is_empty());
}

#[test]
fn a_path_after_an_email_like_address_makes_it_a_link() {
    assert_eq!(values("登入 abc@kgi357.com/login"), ["http://abc@kgi357.com/login"]);
}

#[test]
fn an_email_address_beside_a_link_leaves_the_link() {
    assert_eq!(values("信箱 service@kgi.com.tw，官網 www.kgi.com.tw"), ["http://www.kgi.com.tw"]);
}

// ---- glued to Chinese text, brackets and punctuation ---------------------------------

#[test]
fn links_glued_to_chinese_text_end_at_the_chinese() {
    let text = "【凱基】您的帳戶有風險，請立即至https://kgi-verify.top/a驗證。或登入kgi357.com查看";
    assert_eq!(values(text), ["https://kgi-verify.top/a", "http://kgi357.com"]);
}

#[test]
fn brackets_and_quotes_around_a_link_are_not_part_of_it() {
    let wrapped = [
        "【kgi357.com】",
        "「kgi357.com」",
        "（kgi357.com）",
        "《kgi357.com》",
        "〈kgi357.com〉",
        "“kgi357.com”",
        "‘kgi357.com’",
        "(kgi357.com)",
        "[kgi357.com]",
        "<kgi357.com>",
        "\"kgi357.com\"",
        "'kgi357.com'",
    ];
    for text in wrapped {
        assert_eq!(found(text), one(Domain, "kgi357.com", "http://kgi357.com"), "{text}");
    }
}

#[test]
fn trailing_sentence_punctuation_is_not_part_of_the_link() {
    for end in ["。", "，", "！", "？", "、", "；", "：", ".", ",", "!", "?", ";", ":"] {
        let text = format!("請至 https://kgi357.com/login{end}謝謝");
        assert_eq!(values(&text), ["https://kgi357.com/login"], "{text}");
    }
}

#[test]
fn a_closing_bracket_inside_a_link_is_kept_when_balanced() {
    assert_eq!(
        values("(see https://en.wikipedia.org/wiki/Fraud_(law))."),
        ["https://en.wikipedia.org/wiki/Fraud_(law)"]
    );
}

// ---- messages as customers receive them ----------------------------------------------

#[test]
fn chinese_full_stops_in_a_domain_are_read_as_dots() {
    let text = "【凱基證券】您的帳戶異常，請於今日至 kgi357。com 驗證身分，逾期停權";
    assert_eq!(found(text), one(Domain, "kgi357。com", "http://kgi357.com"));
}

#[test]
fn full_width_links_are_found_and_quoted_as_received() {
    assert_eq!(
        found("請登入ｋｇｉ３５７．ｃｏｍ領取"),
        one(Domain, "ｋｇｉ３５７．ｃｏｍ", "http://kgi357.com")
    );
}

#[test]
fn zero_width_characters_do_not_split_a_link() {
    assert_eq!(found("至 kgi\u{200B}357.com 驗證"), one(Domain, "kgi\u{200B}357.com", "http://kgi357.com"));
}

#[test]
fn the_word_dian_used_as_a_dot_joins_a_domain() {
    assert_eq!(found("網址 kgi357 點 com"), one(Domain, "kgi357 點 com", "http://kgi357.com"));
    assert_eq!(values("網址kgi357（點）com"), ["http://kgi357.com"]);
}

#[test]
fn spaced_dots_before_a_suffix_join_a_domain() {
    assert_eq!(values("請上 kgi357 . com 登入"), ["http://kgi357.com"]);
}

#[test]
fn a_host_spelled_out_with_spaced_dots_is_found_whole_and_quoted_as_sent() {
    let cases = [
        ("請至 www . kgi357 . com 登入", "www . kgi357 . com", "http://www.kgi357.com"),
        ("a006 . kgi588 . com", "a006 . kgi588 . com", "http://a006.kgi588.com"),
        ("網址 www 點 example 點 com", "www 點 example 點 com", "http://www.example.com"),
        ("go to www dot kgi357 dot com now", "www dot kgi357 dot com", "http://www.kgi357.com"),
        ("請上 www 。 kgi357 。 com", "www 。 kgi357 。 com", "http://www.kgi357.com"),
        (
            "登入 kkpp [.] kgi357 [.] com/index/login",
            "kkpp [.] kgi357 [.] com/index/login",
            "http://kkpp.kgi357.com/index/login",
        ),
        ("請至 a006 點 kgi588 . com 驗證", "a006 點 kgi588 . com", "http://a006.kgi588.com"),
    ];
    for (text, raw, value) in cases {
        assert_eq!(found(text), one(Domain, raw, value), "{text}");
    }
}

#[test]
fn ordinary_prose_with_dots_and_dian_has_no_link() {
    for text in [
        "Thanks. Me too",
        "a red dot on screen",
        "下午3點app更新",
        "今天很好。OK",
        "我今天很好。OK",
        "明天早上10點開會。請準時。",
        "一點點心意，請收下。",
        "這家店的餐點很好吃。推薦！",
        "one . two . three",
    ] {
        assert_eq!(found(text), [], "{text}");
    }
}

#[test]
fn vendor_defanged_links_are_found_and_quoted_defanged() {
    let text = "E7800746 (C7800745) hxxps://kkpp[.]kgi357[.]com/index/login 89.106.207.153";
    assert_eq!(
        found(text),
        [
            (
                Url,
                "hxxps://kkpp[.]kgi357[.]com/index/login".to_owned(),
                "https://kkpp.kgi357.com/index/login".to_owned()
            ),
            (Ip, "89.106.207.153".to_owned(), "http://89.106.207.153".to_owned()),
        ]
    );
}

#[test]
fn an_ordinary_chinese_message_has_nothing_to_extract() {
    assert!(extract("你好，明天見。會議改到下午3點。").is_empty());
    assert!(extract("").is_empty());
}

// ---- phone numbers -------------------------------------------------------------------

#[test]
fn taiwan_numbers_in_every_common_writing_become_e164() {
    let cases = [
        ("02-2345-6789", "+886223456789"),
        ("(02)2345-6789", "+886223456789"),
        ("（02）2345-6789", "+886223456789"),
        ("(02) 2345 6789", "+886223456789"),
        ("02 2345 6789", "+886223456789"),
        ("0223456789", "+886223456789"),
        ("0800-000-123", "+886800000123"),
        ("0809 123 456", "+886809123456"),
        ("0912-345-678", "+886912345678"),
        ("0912345678", "+886912345678"),
        ("０９１２－３４５－６７８", "+886912345678"),
        ("+886 2 2345 6789", "+886223456789"),
        ("+886-912-345-678", "+886912345678"),
        ("+886912345678", "+886912345678"),
        ("886912345678", "+886912345678"),
        ("04-2345-6789", "+886423456789"),
        ("04-723-4567", "+88647234567"),
        ("049-2345678", "+886492345678"),
        ("07-123-4567", "+88671234567"),
        ("082-123456", "+88682123456"),
        ("0836-12345", "+88683612345"),
    ];
    for (written, e164) in cases {
        let text = format!("客服專線 {written} 週一至週五");
        assert_eq!(found(&text), one(Phone, written, e164), "{written}");
    }
}

#[test]
fn a_phone_number_glued_to_chinese_text_is_found() {
    assert_eq!(found("客服專線(02)2345-6789，請來電"), one(Phone, "(02)2345-6789", "+886223456789"));
    assert_eq!(values("請撥0912345678洽詢"), ["+886912345678"]);
}

#[test]
fn two_numbers_separated_by_a_space_are_two_numbers() {
    assert_eq!(values("02 2345 6789 0912 345 678"), ["+886223456789", "+886912345678"]);
}

#[test]
fn wrong_lengths_are_not_taiwan_numbers() {
    for text in ["02-234-5678", "0912-345-67", "0912-345-6789", "0800-12-345", "03-2345-6789", "0123456789"] {
        assert!(extract(text).is_empty(), "{text}");
    }
}

#[test]
fn dates_amounts_times_and_alert_ids_are_not_phone_numbers() {
    let text =
        "E7800746 (C7800745) 2025-09-30 2025/09/30 09:30 NT$0912345678 3,000,000元 v0912345678 #0223456789";
    assert!(extract(text).is_empty(), "{:?}", extract(text));
}

#[test]
fn digits_inside_a_link_are_not_a_phone_number() {
    assert_eq!(
        values("https://kgi357.com/0912345678 和 kgi888.cc/?tel=0223456789"),
        ["https://kgi357.com/0912345678", "http://kgi888.cc/?tel=0223456789"]
    );
}

#[test]
fn a_longer_digit_run_is_not_a_phone_number() {
    assert!(extract("帳號 091234567812 及 0912-345-678-9").is_empty());
}

// ---- LINE IDs ------------------------------------------------------------------------

#[test]
fn an_official_account_style_id_is_a_line_id() {
    assert_eq!(found("請加 @kgi888 好友"), one(LineId, "@kgi888", "kgi888"));
    assert_eq!(values("加入@ABC123領取"), ["abc123"]);
}

#[test]
fn the_id_after_a_label_is_a_line_id() {
    assert_eq!(found("加LINE：kgi888 領取飆股"), one(LineId, "kgi888", "kgi888"));
    assert_eq!(values("加賴 abc123 老師帶你賺"), ["abc123"]);
    assert_eq!(values("LINE ID: Abc_123"), ["abc_123"]);
    assert_eq!(values("line id:abc.tw5"), ["abc.tw5"]);
    assert_eq!(values("ＬＩＮＥ　ＩＤ：ｋｇｉ８８８"), ["kgi888"]);
    assert_eq!(values("加LINE：@kgi888"), ["kgi888"]);
}

#[test]
fn the_word_line_or_the_surname_lai_alone_is_no_label() {
    assert!(extract("online: abc123 and the line abc").is_empty());
    assert!(extract("賴先生您好").is_empty());
}

#[test]
fn an_email_address_or_a_path_is_not_a_line_id() {
    assert!(extract("寫信到 abc@kgi").is_empty());
    assert_eq!(values("https://x.kgi357.com/@abc123"), ["https://x.kgi357.com/@abc123"]);
}

#[test]
fn a_line_me_link_gives_the_link_and_its_line_id() {
    assert_eq!(
        found("加好友 https://line.me/R/ti/p/@abc123 或 line.me/ti/p/~Kgi888"),
        [
            (Url, "https://line.me/R/ti/p/@abc123".to_owned(), "https://line.me/R/ti/p/@abc123".to_owned()),
            (LineId, "https://line.me/R/ti/p/@abc123".to_owned(), "abc123".to_owned()),
            (Domain, "line.me/ti/p/~Kgi888".to_owned(), "http://line.me/ti/p/~Kgi888".to_owned()),
            (LineId, "line.me/ti/p/~Kgi888".to_owned(), "kgi888".to_owned()),
        ]
    );
    assert_eq!(values("https://line.me/R/ti/p/%40xyz99"), ["https://line.me/R/ti/p/%40xyz99", "xyz99"]);
}

#[test]
fn a_lin_ee_short_link_is_a_link_and_no_line_id() {
    assert_eq!(found("加LINE：lin.ee/AbCd123"), one(Url, "lin.ee/AbCd123", "http://lin.ee/AbCd123"));
    assert_eq!(values("https://lin.ee/xYz"), ["https://lin.ee/xYz"]);
}

#[test]
fn chat_and_short_link_hosts_are_recognised_in_any_letter_case() {
    assert_eq!(values("LINE.ME/ti/p/~Kgi888"), ["http://LINE.ME/ti/p/~Kgi888", "kgi888"]);
    assert_eq!(values("https://Page.Line.Me/kgi888"), ["https://Page.Line.Me/kgi888", "kgi888"]);
    assert_eq!(found("LIN.EE/AbCd123"), one(Url, "LIN.EE/AbCd123", "http://LIN.EE/AbCd123"));
    assert_eq!(values("https://LIN.EE/x"), ["https://LIN.EE/x"]);
}

#[test]
fn links_the_url_parser_refuses_are_not_links() {
    // A bad port, a host the parser reads as a broken IPv4 address, broken punycode.
    for text in [
        "https://kgi357.com:99999/login",
        "請至 kgi357.com:99999/login",
        "www.kgi.com.tw@evil.0x1f/login",
        "https://evil.0x1f/",
        "https://a.123/x",
        "https://xn--a.com/ 與 xn--a.com/x",
    ] {
        assert!(extract(text).is_empty(), "{text}");
    }
}

#[test]
fn links_the_url_parser_accepts_in_unusual_forms_are_links() {
    assert_eq!(values("https://kgi..com/"), ["https://kgi..com/"]);
    assert_eq!(values("https://kgi.com.:8080/"), ["https://kgi.com.:8080/"]);
    assert_eq!(
        values("https://xn--fiq228c.tw/ 或 xn--fiq228c.tw/x"),
        ["https://xn--fiq228c.tw/", "http://xn--fiq228c.tw/x"]
    );
}

#[test]
fn phones_and_line_ids_on_either_side_of_links_are_found_and_not_inside_them() {
    let text = "電話0912-345-678 kgi357.com/0912345678 @kgi888 https://line.me/ti/p/~abc123 賴:kgi999，(02)2345-6789";
    assert_eq!(
        found(text),
        [
            (Phone, "0912-345-678".to_owned(), "+886912345678".to_owned()),
            (Domain, "kgi357.com/0912345678".to_owned(), "http://kgi357.com/0912345678".to_owned()),
            (LineId, "@kgi888".to_owned(), "kgi888".to_owned()),
            (Url, "https://line.me/ti/p/~abc123".to_owned(), "https://line.me/ti/p/~abc123".to_owned()),
            (LineId, "https://line.me/ti/p/~abc123".to_owned(), "abc123".to_owned()),
            (LineId, "kgi999".to_owned(), "kgi999".to_owned()),
            (Phone, "(02)2345-6789".to_owned(), "+886223456789".to_owned()),
        ]
    );
}

// ---- order, duplicates, bounds -------------------------------------------------------

#[test]
fn each_thing_is_reported_once_in_order_of_first_appearance() {
    let text = "加LINE：kgi888 官網 kgi357.com 電話 0912-345-678 再說一次 kgi357.com @kgi888 0912345678";
    assert_eq!(
        found(text),
        [
            (LineId, "kgi888".to_owned(), "kgi888".to_owned()),
            (Domain, "kgi357.com".to_owned(), "http://kgi357.com".to_owned()),
            (Phone, "0912-345-678".to_owned(), "+886912345678".to_owned()),
        ]
    );
}

#[test]
fn extraction_stops_one_past_the_findings_cap() {
    let text: String = (0..MAX_CANDIDATES + 50).map(|i| format!("https://h{i}.kgi357.com/ ")).collect();
    let candidates = extract(&text);
    assert_eq!(candidates.len(), MAX_CANDIDATES);
    assert_eq!(candidates[0].value, "https://h0.kgi357.com/");
    assert_eq!(candidates[MAX_CANDIDATES - 1].value, format!("https://h{}.kgi357.com/", MAX_CANDIDATES - 1));
}

#[test]
fn the_cap_keeps_the_earliest_candidates_across_kinds() {
    let text: String = (0..MAX_CANDIDATES).map(|i| format!("0912{i:06} @id{i:04} ")).collect();
    let candidates = extract(&text);
    assert_eq!(candidates.len(), MAX_CANDIDATES);
    assert_eq!(candidates[0].kind, Phone);
    assert_eq!(candidates[1].kind, LineId);
    assert_eq!(candidates[200].value, "+886912000100");
}

/// Speed on these inputs is measured by `cargo bench -p engine -- extract_message/worst_case`
/// (a quadratic scan collapses there); this test holds the limits on what comes out.
#[test]
fn a_huge_adversarial_message_gives_a_bounded_well_formed_answer() {
    let nasty = [
        "a.".repeat(40_000),
        "@".repeat(80_000),
        "0 ".repeat(40_000),
        "kgi點".repeat(20_000),
        "https://".repeat(10_000),
        "(((((".repeat(16_000),
        "line line ".repeat(8_000),
        "1-".repeat(40_000),
        "a.co:99999/".repeat(6_000),
        "www.a.co@b.co:99999/".repeat(3_000),
    ];
    for text in &nasty {
        let candidates = extract(text);
        let start: String = text.chars().take(8).collect();
        assert!(candidates.len() <= MAX_CANDIDATES, "{start:?}… gave {} candidates", candidates.len());
        assert!(candidates.iter().all(|c| text.contains(&c.raw)), "{start:?}… raw not in the input");
    }
}

#[test]
fn candidates_serialize_with_snake_case_kinds() {
    let json = serde_json::to_string(&extract("加LINE：kgi888")).unwrap();
    assert_eq!(json, r#"[{"kind":"line_id","raw":"kgi888","value":"kgi888"}]"#);
}

#[test]
fn located_candidates_say_where_the_customer_saw_them() {
    let text = "請至 ｋｋｐｐ．ｋｇｉ３５７．ｃｏｍ 或 hxxps://kgi357[.]com/a，電話 0912-345-678";
    let located = super::extract_located(text);
    let quoted: Vec<&str> = located.iter().map(|l| &text[l.range.clone()]).collect();
    assert_eq!(quoted, ["ｋｋｐｐ．ｋｇｉ３５７．ｃｏｍ", "hxxps://kgi357[.]com/a", "0912-345-678"]);
    assert!(located.iter().all(|l| l.candidate.raw == text[l.range.clone()]));
    assert!(located.windows(2).all(|w| w[0].range.end <= w[1].range.start), "in order, no overlap");
}

#[test]
fn a_phone_number_given_on_its_own_is_read_as_in_a_message() {
    for written in
        ["02-2345-6789", "+886 2 2345 6789", "(02)2345-6789", "０２－２３４５－６７８９", " +886223456789 "]
    {
        assert_eq!(phone_number(written).as_deref(), Some("+886223456789"), "{written:?}");
    }
    assert_eq!(phone_number("0800-000-000").as_deref(), Some("+886800000000"));
    for not_one in ["", "2345", "02-2345-6789 0912-345-678", "call 02-2345-6789", "+1 212 555 0100"] {
        assert_eq!(phone_number(not_one), None, "{not_one:?}");
    }
}
