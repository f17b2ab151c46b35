//! The official channels: in short on the home page, in full on `/official`, with how
//! to recognise the real firm.

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

use crate::firm::firm_name;
use crate::i18n::Locale;
use crate::layout::Layout;
use crate::locale::page_locale;
use crate::lookup::wording::defanged;

/// A short box listing the official web addresses: from the live snapshot, so it shows
/// while the database is down and never delays the page.
#[component]
pub fn OfficialChannels() -> impl IntoView {
    let locale = page_locale();
    let firm = firm_name(locale);
    let list = match official_in_memory() {
        Some(channels) => {
            let domains =
                of_kind(&channels, "domain").into_iter().map(|c| c.value.clone()).collect::<Vec<_>>();
            view! {
                <ul class="official-list">
                    {domains.into_iter().map(|d| view! { <li><strong>{d}</strong></li> }).collect_view()}
                </ul>
            }
            .into_any()
        }
        None => view! { <p>{td_string!(locale, check.official_unavailable)}</p> }.into_any(),
    };
    view! {
        <section class="official" aria-labelledby="official-heading">
            <h2 id="official-heading">{td_string!(locale, check.official_heading, firm = firm.clone())}</h2>
            <p>{td_string!(locale, check.official_intro, firm)}</p>
            {list}
            <p>{td_string!(locale, check.official_type_it)}</p>
            <p><a href="/official">{td_string!(locale, check.official_more)}</a></p>
        </section>
    }
}

/// The official channels of the live snapshot; `None` before any data has loaded.
pub fn official_in_memory() -> Option<Vec<OfficialChannel>> {
    #[cfg(feature = "ssr")]
    {
        let snapshot = leptos::prelude::use_context::<crate::state::AppState>()?.live.current()?;
        Some(snapshot.official.iter().map(OfficialChannel::from).collect())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// Example addresses for the advice, made from the firm's own official domain, so that
/// another firm's site gives its own examples. The fakes are defanged, as everywhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Examples {
    /// A real address: `www.kgi.com.tw`.
    pub real: String,
    /// The official name with more after it: `kgi[.]com[.]tw[.]abc[.]com`.
    pub longer_fake: String,
    /// The name padded with digits, as scammers do: `kgi357[.]com`, `kgi588[.]com`.
    pub padded_fakes: [String; 2],
}

/// The examples for an official `domain`; `None` for a name without a registrable domain.
pub fn examples(domain: &str) -> Option<Examples> {
    let site = engine::domain::registrable_domain(domain)?;
    let label = site.split('.').next()?;
    let real = if domain == site { format!("www.{site}") } else { domain.to_owned() };
    Some(Examples {
        real,
        longer_fake: defanged(&format!("{site}.abc.com")),
        padded_fakes: [defanged(&format!("{label}357.com")), defanged(&format!("{label}588.com"))],
    })
}

/// One official channel as the public pages show it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OfficialChannel {
    /// `domain`, `app`, `phone` or `line_id`.
    pub kind: String,
    pub value: String,
    pub label_zh: String,
    pub label_en: String,
}

/// The kinds of channel in the order the page shows them.
pub const KINDS: [&str; 4] = ["domain", "app", "phone", "line_id"];

/// The channels of one kind, in list order.
pub fn of_kind<'a>(channels: &'a [OfficialChannel], kind: &str) -> Vec<&'a OfficialChannel> {
    channels.iter().filter(|c| c.kind == kind).collect()
}

/// A channel's label in the reader's language, with the `lang` to mark it when it is
/// the Chinese label on an English page. `None` when there is no label at all.
pub fn channel_label(channel: &OfficialChannel, locale: Locale) -> Option<(&str, Option<&'static str>)> {
    let zh = Some(channel.label_zh.as_str()).filter(|l| !l.trim().is_empty());
    let en = Some(channel.label_en.as_str()).filter(|l| !l.trim().is_empty());
    match locale {
        Locale::zh_TW => zh.map(|l| (l, None)),
        Locale::en => en.map(|l| (l, None)).or_else(|| zh.map(|l| (l, Some("zh-Hant-TW")))),
    }
}

/// A phone number as a `tel:` address: digits and a leading `+` only.
pub fn tel_href(number: &str) -> String {
    let digits: String = number
        .chars()
        .enumerate()
        .filter(|&(i, c)| c.is_ascii_digit() || (i == 0 && c == '+'))
        .map(|(_, c)| c)
        .collect();
    format!("tel:{digits}")
}

/// An official number (stored in E.164, `+886223456789`) as people in Taiwan dial it
/// (`0223456789`); numbers from elsewhere stay as stored.
pub fn display_phone(number: &str) -> String {
    match number.strip_prefix("+886") {
        Some(national) if !national.is_empty() => format!("0{national}"),
        _ => number.to_owned(),
    }
}

#[cfg(feature = "ssr")]
impl From<&store::official::OfficialEntry> for OfficialChannel {
    fn from(e: &store::official::OfficialEntry) -> Self {
        Self {
            kind: e.kind.code().to_owned(),
            value: e.value.clone(),
            label_zh: e.label_zh.clone(),
            label_en: e.label_en.clone(),
        }
    }
}

fn kind_heading(locale: Locale, kind: &str) -> &'static str {
    match kind {
        "app" => td_string!(locale, official.kind_app),
        "phone" => td_string!(locale, official.kind_phone),
        "line_id" => td_string!(locale, official.kind_line_id),
        _ => td_string!(locale, official.kind_domain),
    }
}

/// `/official` (正確辨識凱基證券): the official channels grouped by kind, and how to
/// recognise the real firm.
#[component]
pub fn OfficialPage() -> impl IntoView {
    let locale = page_locale();
    let firm = firm_name(locale);
    let channels = official_in_memory();
    let examples =
        channels.as_ref().and_then(|list| of_kind(list, "domain").first().and_then(|d| examples(&d.value)));
    let page_title = td_string!(locale, official.page_title, firm = firm.clone()).to_string();
    let site_title = td_string!(locale, common.site_title, firm = firm.clone()).to_string();
    let groups = match channels {
        Some(list) => KINDS
            .into_iter()
            .filter(|kind| !of_kind(&list, kind).is_empty())
            .map(|kind| {
                let group = of_kind(&list, kind).into_iter().cloned().collect();
                view! { <ChannelGroup kind channels=group examples=examples.clone()/> }
            })
            .collect_view()
            .into_any(),
        None => {
            crate::respond::respond_unavailable();
            view! { <p role="alert">{td_string!(locale, official.unavailable)}</p> }.into_any()
        }
    };
    let letters = examples.map(|e| {
        let [fake_1, fake_2] = e.padded_fakes;
        view! { <li>{td_string!(locale, official.recognise_letters, fake_1, fake_2, firm = firm.clone())}</li> }
    });
    view! {
        <Layout>
            <Title text=format!("{page_title} | {site_title}")/>
            <h1>{page_title.clone()}</h1>
            <p>{td_string!(locale, official.intro, firm = firm.clone())}</p>
            {groups}
            <section class="official" aria-labelledby="recognise-heading">
                <h2 id="recognise-heading">{td_string!(locale, official.recognise_heading, firm = firm.clone())}</h2>
                <ul class="advice-list">
                    <li>{td_string!(locale, official.recognise_type)}</li>
                    {letters}
                    <li>{td_string!(locale, official.recognise_no_password_link, firm = firm.clone())}</li>
                    <li>{td_string!(locale, official.recognise_no_line_group, firm = firm.clone())}</li>
                    <li>{td_string!(locale, official.recognise_no_guarantee, firm = firm.clone())}</li>
                    <li>{td_string!(locale, official.recognise_phone)}</li>
                    <li>{td_string!(locale, official.recognise_check)}</li>
                </ul>
                <p><a href="/">{td_string!(locale, official.check_link)}</a></p>
                <p><a href="/help">{td_string!(locale, official.help_link)}</a></p>
            </section>
        </Layout>
    }
}

#[component]
fn ChannelGroup(
    kind: &'static str,
    channels: Vec<OfficialChannel>,
    examples: Option<Examples>,
) -> impl IntoView {
    let locale = page_locale();
    let heading_id = format!("official-{kind}");
    let labelled_by = heading_id.clone();
    let items = channels
        .into_iter()
        .map(|channel| {
            let label = channel_label(&channel, locale).map(|(text, lang)| {
                let text = text.to_owned();
                view! { " " <span class="channel-label" lang=lang>{text}</span> }
            });
            let value = channel.value.clone();
            let shown = if kind == "phone" {
                let href = tel_href(&value);
                let number = display_phone(&value);
                view! { <a href=href>{td_string!(locale, official.call, number)}</a> }.into_any()
            } else {
                view! { <strong>{value}</strong> }.into_any()
            };
            view! { <li>{shown}{label}</li> }
        })
        .collect_view();
    view! {
        <section class="official" aria-labelledby=labelled_by>
            <h2 id=heading_id>{kind_heading(locale, kind)}</h2>
            <ul class="official-list">{items}</ul>
            {examples.filter(|_| kind == "domain").map(|e| {
                let (example, fake) = (e.real, e.longer_fake);
                view! { <p>{td_string!(locale, official.domain_note, example, fake)}</p> }
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(kind: &str, value: &str, label_zh: &str, label_en: &str) -> OfficialChannel {
        OfficialChannel {
            kind: kind.into(),
            value: value.into(),
            label_zh: label_zh.into(),
            label_en: label_en.into(),
        }
    }

    #[test]
    fn english_readers_get_the_english_label_or_the_chinese_one_marked_as_chinese() {
        let both = channel("domain", "kgi.com.tw", "官方網站", "Official website");
        assert_eq!(channel_label(&both, Locale::en), Some(("Official website", None)));
        assert_eq!(channel_label(&both, Locale::zh_TW), Some(("官方網站", None)));
        let zh_only = channel("domain", "kgi.com.tw", "官方網站", " ");
        assert_eq!(channel_label(&zh_only, Locale::en), Some(("官方網站", Some("zh-Hant-TW"))));
        assert_eq!(channel_label(&channel("domain", "x", "", ""), Locale::en), None);
    }

    #[test]
    fn channels_are_grouped_by_kind_in_list_order() {
        let list =
            [channel("domain", "a", "", ""), channel("phone", "1", "", ""), channel("domain", "b", "", "")];
        let domains: Vec<_> = of_kind(&list, "domain").iter().map(|c| c.value.as_str()).collect();
        assert_eq!(domains, ["a", "b"]);
        assert!(of_kind(&list, "line_id").is_empty());
    }

    #[test]
    fn the_advice_gives_examples_made_from_the_firms_own_domain_with_the_fakes_defanged() {
        let kgi = examples("kgi.com.tw").unwrap();
        assert_eq!(kgi.real, "www.kgi.com.tw");
        assert_eq!(kgi.longer_fake, "kgi[.]com[.]tw[.]abc[.]com");
        assert_eq!(kgi.padded_fakes, ["kgi357[.]com".to_owned(), "kgi588[.]com".to_owned()]);
        let other = examples("www.cathaysec.com.tw").unwrap();
        assert_eq!(other.real, "www.cathaysec.com.tw");
        assert_eq!(other.padded_fakes[0], "cathaysec357[.]com");
        assert_eq!(examples("com.tw"), None);
    }

    #[test]
    fn a_phone_link_keeps_only_digits_and_a_leading_plus() {
        assert_eq!(tel_href("+886 2 2345-6789"), "tel:+886223456789");
        assert_eq!(tel_href("(02) 2345 6789"), "tel:0223456789");
        assert_eq!(tel_href("165"), "tel:165");
    }

    #[test]
    fn a_taiwan_number_is_shown_as_dialled_at_home() {
        assert_eq!(display_phone("+886223456789"), "0223456789");
        assert_eq!(display_phone("+85212345678"), "+85212345678");
    }
}
