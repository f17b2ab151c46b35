//! The firm the site speaks for, named from its data (another firm deploys the site by
//! loading its own data, without editing the translation files).

use serde::{Deserialize, Serialize};

use crate::i18n::Locale;

/// The firm's names in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirmName {
    /// `凱基證券`
    pub zh: String,
    /// `KGI Securities`
    pub en: String,
}

impl FirmName {
    /// The name in the reader's language: the Chinese one when there is no English one,
    /// and a neutral word before any firm data has loaded.
    pub fn in_locale(&self, locale: Locale) -> &str {
        let chinese = if self.zh.trim().is_empty() { fallback(Locale::zh_TW) } else { &self.zh };
        match locale {
            Locale::zh_TW => chinese,
            Locale::en if !self.en.trim().is_empty() => &self.en,
            Locale::en if !self.zh.trim().is_empty() => chinese,
            Locale::en => fallback(Locale::en),
        }
    }
}

/// What pages call the firm before its data has loaded.
fn fallback(locale: Locale) -> &'static str {
    match locale {
        Locale::zh_TW => "本公司",
        Locale::en => "our firm",
    }
}

#[cfg(feature = "ssr")]
impl From<&store::Firm> for FirmName {
    fn from(firm: &store::Firm) -> Self {
        Self { zh: firm.name_zh.clone(), en: firm.name_en.clone() }
    }
}

/// The firm of the data being served, for pages rendered on the server; empty (so pages
/// use a neutral word) before any data has loaded, and in the browser.
pub fn current_firm() -> FirmName {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<crate::state::AppState>()
            .and_then(|state| state.live.current())
            .map(|snapshot| FirmName::from(&snapshot.firm))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        FirmName::default()
    }
}

/// The firm's name in `locale`, for the page being rendered.
pub fn firm_name(locale: Locale) -> String {
    current_firm().in_locale(locale).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_follows_the_language_and_falls_back_sensibly() {
        let kgi = FirmName { zh: "凱基證券".into(), en: "KGI Securities".into() };
        assert_eq!(kgi.in_locale(Locale::zh_TW), "凱基證券");
        assert_eq!(kgi.in_locale(Locale::en), "KGI Securities");
        let chinese_only = FirmName { zh: "某證券".into(), en: " ".into() };
        assert_eq!(chinese_only.in_locale(Locale::en), "某證券");
        assert_eq!(FirmName::default().in_locale(Locale::en), "our firm");
        assert_eq!(FirmName::default().in_locale(Locale::zh_TW), "本公司");
    }
}
