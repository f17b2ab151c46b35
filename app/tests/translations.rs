//! Every page is complete in both languages: each translation file has the same keys
//! in `zh-TW` and `en`, and none is left empty.

// A benchmark, example or test helper, not a request path: a failure is a broken set-up.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

fn keys(file: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let json: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let object = json.as_object().unwrap_or_else(|| panic!("{} is not a JSON object", file.display()));
    for (key, value) in object {
        let text = value.as_str().unwrap_or_else(|| panic!("{}: {key} is not a string", file.display()));
        assert!(!text.trim().is_empty(), "{}: {key} is empty", file.display());
    }
    object.keys().cloned().collect()
}

#[test]
fn every_key_exists_in_every_language() {
    let locales = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let namespaces: Vec<_> = std::fs::read_dir(locales.join("zh-TW"))
        .expect("locales/zh-TW")
        .map(|entry| entry.expect("entry").file_name())
        .collect();
    assert!(!namespaces.is_empty());
    for namespace in namespaces {
        let zh = keys(&locales.join("zh-TW").join(&namespace));
        let en = keys(&locales.join("en").join(&namespace));
        let only_zh: Vec<_> = zh.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&zh).collect();
        assert!(
            only_zh.is_empty() && only_en.is_empty(),
            "{namespace:?}: missing in en {only_zh:?}, missing in zh-TW {only_en:?}"
        );
    }
}

/// The sentence for each reason and signal code, from `locales/<language>/reasons.json`.
fn reason_sentences(language: &str) -> serde_json::Map<String, serde_json::Value> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(language).join("reasons.json");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    match serde_json::from_str(&text) {
        Ok(serde_json::Value::Object(sentences)) => sentences,
        other => panic!("{} is not a JSON object: {other:?}", file.display()),
    }
}

#[test]
fn the_reason_codes_page_quotes_the_sentences_of_the_translation_files() {
    let doc = include_str!("../../docs/reason-codes.md");
    let row = |code: &str| doc.lines().find(|l| l.starts_with(&format!("| `{code}` |"))).unwrap_or_default();
    let codes: BTreeSet<&str> =
        engine::Reason::all_codes().chain(engine::Signal::ALL.iter().map(|s| s.code())).collect();
    for language in ["zh-TW", "en"] {
        let sentences = reason_sentences(language);
        let keys: BTreeSet<&str> = sentences.keys().map(String::as_str).collect();
        assert_eq!(keys, codes, "{language}: reasons.json has one key per reason and signal code");
        for (code, sentence) in &sentences {
            let sentence = sentence.as_str().unwrap_or_default();
            assert!(row(code).contains(sentence), "{code} ({language}) differs from docs/reason-codes.md");
        }
    }
}

#[test]
fn no_translation_names_the_demo_firm_so_another_firm_needs_only_its_own_data() {
    let locales = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    for language in ["zh-TW", "en"] {
        for entry in std::fs::read_dir(locales.join(language)).expect("locales") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("readable");
            for name in ["凱基", "KGI", "kgi"] {
                assert!(
                    !text.contains(name),
                    "{} names the firm ({name}): use {{{{ firm }}}}",
                    path.display()
                );
            }
        }
    }
}
