//! Generates the `i18n` module from the translation files in `locales/`: one folder per
//! language, one file per page or feature. A key missing from one language is a
//! build warning, and `tests::every_key_exists_in_every_language` turns it into a failure.

use std::error::Error;
use std::path::PathBuf;

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

/// The namespaces, one JSON file each under `locales/<language>/`.
const NAMESPACES: &[&str] = &[
    "common",
    "check",
    "bulletins",
    "official",
    "help",
    "report",
    "domain",
    "reasons",
    "staff",
    "security",
    "publishing",
];

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    let config = Config::new("zh-TW")?
        .add_locale("en")?
        .add_namespaces(NAMESPACES)?
        .parse_options(ParseOptions::new().interpolate_display(true));
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out)?;
    Ok(())
}
