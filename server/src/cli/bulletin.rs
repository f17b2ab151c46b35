//! `server bulletin add FILE.md [--publish]`: a bulletin from a Markdown file with a small
//! front matter, for scripts and the security team's own tools, through the same validation,
//! rendering and audit as the publishing page.

use std::io::Read;
use std::path::Path;

use anyhow::Context as _;
use store::audit::Actor;
use store::bulletin::publishing::{self, Draft, Outcome, When};
use store::bulletin::{BulletinCategory, Language};

use crate::config::Config;

/// The largest file read: a whole body and its front matter, with room to spare.
pub const MAX_FILE_BYTES: u64 = 512 * 1024;

/// Why a file is not a bulletin.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FrontMatterError {
    #[error("the file must start with a front matter: a line `---`, lines `name: value`, and a line `---`")]
    Missing,
    #[error("the front matter has no closing `---` line")]
    Unclosed,
    #[error("line {0} of the front matter is not `name: value`")]
    NotAField(usize),
    #[error("the front matter names {0:?} twice")]
    Repeated(String),
    #[error(
        "{0:?} is not a front matter field; use title, slug, category, language, translation_of, listed"
    )]
    UnknownField(String),
    #[error("the front matter needs a title")]
    NoTitle,
    #[error("{0:?} is not a category; use alert, notice, pattern or incident")]
    Category(String),
    #[error("{0:?} is not a language; use zh-TW or en")]
    Language(String),
}

/// Reads `---` / `name: value` lines / `---` and the Markdown body after it. `listed` takes
/// the fake sites the bulletin lists, separated by commas.
pub fn parse_file(text: &str) -> Result<Draft, FrontMatterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(str::trim) != Some("---") {
        return Err(FrontMatterError::Missing);
    }
    let mut draft = Draft::default();
    let mut seen: Vec<String> = Vec::new();
    let mut consumed = text.split_inclusive('\n').next().map_or(0, str::len);
    let mut closed = false;
    for (number, line) in lines.enumerate() {
        consumed += line.len();
        let line = line.trim();
        if line == "---" {
            closed = true;
            break;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, value) = line.split_once(':').ok_or(FrontMatterError::NotAField(number + 2))?;
        let (name, value) = (name.trim().to_lowercase(), value.trim().trim_matches('"').to_owned());
        if seen.contains(&name) {
            return Err(FrontMatterError::Repeated(name));
        }
        seen.push(name.clone());
        match name.as_str() {
            "title" => draft.title = value,
            "slug" => draft.slug = value,
            "category" => {
                draft.category =
                    Some(BulletinCategory::parse(&value).ok_or(FrontMatterError::Category(value))?)
            }
            "language" => {
                draft.language = Some(Language::parse(&value).ok_or(FrontMatterError::Language(value))?)
            }
            "translation_of" => draft.translation_of = value,
            "listed" => draft.listed = value.split(',').map(str::trim).collect::<Vec<_>>().join("\n"),
            _ => return Err(FrontMatterError::UnknownField(name)),
        }
    }
    if !closed {
        return Err(FrontMatterError::Unclosed);
    }
    if draft.title.trim().is_empty() {
        return Err(FrontMatterError::NoTitle);
    }
    draft.body = text[consumed..].trim_start_matches(['\r', '\n']).to_owned();
    Ok(draft)
}

/// Reads the file (`-` for standard input), refusing more than [`MAX_FILE_BYTES`].
fn read_file(path: &Path) -> anyhow::Result<String> {
    let shown = path.display();
    let raw: Box<dyn Read> = if path == Path::new("-") {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(path).with_context(|| format!("cannot open {shown}"))?)
    };
    let mut bytes = Vec::new();
    raw.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).with_context(|| format!("cannot read {shown}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        anyhow::bail!(
            "{shown} is larger than {} KB: a bulletin is at most 100,000 characters",
            MAX_FILE_BYTES / 1024
        );
    }
    String::from_utf8(bytes).with_context(|| format!("{shown} is not UTF-8 text"))
}

/// `server bulletin add`: saves the file as a draft and, with `--publish`, publishes it; prints
/// where it is.
pub async fn add(config: &Config, file: &Path, publish: bool) -> anyhow::Result<()> {
    let draft =
        parse_file(&read_file(file)?).with_context(|| format!("{} is not a bulletin", file.display()))?;
    let db = store::open(&config.database_url).await?;
    let now = time::OffsetDateTime::now_utc();
    if publish && publishing::second_approval(&db).await? {
        anyhow::bail!(
            "a second publisher must approve every bulletin (the publishing setting is on): nothing was saved; \
             add it without --publish, then ask for approval on /console/bulletins"
        );
    }
    let id = publishing::create(&db, &draft, Actor::cli(), now).await?;
    let editorial = publishing::get(&db, id).await?.context("the bulletin just saved cannot be read back")?;
    let console = config.public_base_url.join(&format!("/console/bulletins/{id}"));
    if !publish {
        println!("saved as a draft (nobody sees it yet): {console}");
        return Ok(());
    }
    match publishing::publish(&db, id, When::Now, Actor::cli(), now).await? {
        Outcome::Published => {
            println!("published: {}", config.public_base_url.join(&format!("/bulletins/{}", editorial.slug)));
        }
        other => println!("saved, not published ({other:?}): {console}"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_with_front_matter_becomes_a_draft() {
        let text = "---\ntitle: 【重要提醒】假網站 kgi777.com\nslug: fake-kgi777\ncategory: alert\nlanguage: zh-TW\n\
                    listed: new.kgi777.com, kkpp.kgi357.com\n---\n\n請不要點擊。\n\n- 官網 kgi.com.tw\n";
        let draft = parse_file(text).unwrap();
        assert_eq!(draft.title, "【重要提醒】假網站 kgi777.com");
        assert_eq!(draft.slug, "fake-kgi777");
        assert_eq!(draft.category, Some(BulletinCategory::Alert));
        assert_eq!(draft.language, Some(Language::Chinese));
        assert_eq!(draft.listed, "new.kgi777.com\nkkpp.kgi357.com");
        assert_eq!(draft.body, "請不要點擊。\n\n- 官網 kgi.com.tw\n");
    }

    #[test]
    fn a_malformed_front_matter_says_what_is_wrong() {
        let cases = [
            ("no front matter\n", FrontMatterError::Missing),
            ("---\ntitle: x\n", FrontMatterError::Unclosed),
            ("---\ntitle x\n---\n", FrontMatterError::NotAField(2)),
            ("---\ntitle: a\ntitle: b\n---\n", FrontMatterError::Repeated("title".into())),
            ("---\ntitle: a\nauthor: me\n---\n", FrontMatterError::UnknownField("author".into())),
            ("---\nslug: a\n---\nbody", FrontMatterError::NoTitle),
            ("---\ntitle: a\ncategory: warning\n---\n", FrontMatterError::Category("warning".into())),
            ("---\ntitle: a\nlanguage: fr\n---\n", FrontMatterError::Language("fr".into())),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_file(text).unwrap_err(), expected, "{text:?}");
        }
    }

    #[test]
    fn a_byte_order_mark_and_windows_line_ends_are_fine() {
        let draft = parse_file("\u{feff}---\r\ntitle: T\r\n---\r\nBody\r\n").unwrap();
        assert_eq!((draft.title.as_str(), draft.body.as_str()), ("T", "Body\r\n"));
    }
}
