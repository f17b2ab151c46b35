//! A bulletin body, from the Markdown a publisher writes to the HTML and the plain text readers
//! get: every address that is not the firm's is shown defanged and is never a link, and only
//! a short list of harmless tags can come out.
//!
//! The writer below turns pulldown-cmark's events into HTML itself, so that every piece of text,
//! link and image passes through [`crate::safe_text::pieces`] and the link rules here; ammonia
//! then cleans the result as a second line of defence. The writer is meant to produce nothing
//! ammonia would change (the tests hold it to that), so a change by ammonia means a bug here.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag};

use crate::lookup::wording::defanged;
use crate::safe_text::{pieces, Piece};

/// A bulletin body rendered for readers: sanitised HTML, safe to insert as inner HTML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedBody {
    /// The body as HTML, without a `<h1>` (the page's title is the only one).
    pub html: String,
    /// The body as plain text (not HTML: escape it where it goes), one paragraph a line,
    /// with the same words and the same defanged addresses as `html`.
    pub plain: String,
}

/// Quotes, lists and inline markup deeper than this are written without their own tags
/// (their text stays): no reader needs more, and it keeps the output small and cheap to clean.
const MAX_NESTING: usize = 16;

/// What every official link carries: the firm's site opens without a hold on our page.
const LINK_REL: &str = "noopener noreferrer";

/// Renders `markdown` for readers. `official_href` says, for a link's canonical URL, where a
/// link to it should go when it is one of the firm's official addresses (`None` for every
/// other address, which is then shown defanged and never as a link).
pub fn render(
    markdown: &str,
    official_href: impl Fn(&engine::CanonicalUrl) -> Option<String>,
) -> RenderedBody {
    let written = write(markdown, &official_href);
    RenderedBody { html: CLEANER.clean(&written.html).to_string(), plain: written.plain }
}

/// CommonMark, tables and strikethrough, nothing more: no footnotes, task lists, heading
/// attributes (`id`, `class`), metadata blocks or math.
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// The writer's output before ammonia.
fn write(markdown: &str, official_href: &dyn Fn(&engine::CanonicalUrl) -> Option<String>) -> RenderedBody {
    // The HTML parser behind ammonia turns CR into LF and drops NUL: do it first, so that
    // both see the same text.
    let markdown = markdown.replace("\r\n", "\n").replace('\r', "\n").replace('\0', "\u{FFFD}");
    let mut writer = Writer::new(official_href);
    for event in Parser::new_ext(&markdown, options()) {
        writer.event(event);
    }
    writer.finish()
}

/// The only tags a body can have.
#[rustfmt::skip]
const TAGS: [&str; 23] = [
    "p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "del", "code", "pre",
    "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a", "span",
];

/// Tags removed together with what they hold (code, or a document of their own), should
/// one ever reach the cleaner.
#[rustfmt::skip]
const DROPPED_WITH_CONTENT: [&str; 14] = [
    "script", "style", "iframe", "noscript", "template", "textarea", "xmp", "noembed", "noframes",
    "plaintext", "object", "embed", "svg", "math",
];

/// Ammonia set up for exactly what the writer produces.
static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(HashSet::from(TAGS))
        .clean_content_tags(HashSet::from(DROPPED_WITH_CONTENT))
        .generic_attributes(HashSet::new())
        .generic_attribute_prefixes(HashSet::new())
        // `rel` is set by `link_rel`; ammonia refuses to also allow it as an attribute.
        .tag_attributes(HashMap::from([("a", HashSet::from(["href"])), ("ol", HashSet::from(["start"]))]))
        .tag_attribute_values(HashMap::new())
        .set_tag_attribute_values(HashMap::new())
        .allowed_classes(HashMap::from([("span", HashSet::from(["defanged", "image-alt"]))]))
        .url_schemes(HashSet::from(["https"]))
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some(LINK_REL))
        .strip_comments(true)
        .id_prefix(None);
    builder
});

/// Inline content between two blocks, kept until the block ends so that an address split by
/// markup (`kgi357.*com*`) can be seen whole.
#[derive(Debug, PartialEq, Eq)]
enum Inline {
    /// A tag the writer made, and the text a reader sees in its place (`"\n"` for `<br>`).
    Markup { html: String, visible: &'static str },
    /// Text as the author wrote it (raw HTML included), to go through `safe_text`; inside an
    /// official link, official addresses in it are not made links of their own.
    Words { text: String, in_link: bool },
    /// The target of a link that is not kept, already defanged.
    Target { shown: String, in_brackets: bool },
}

impl Inline {
    fn visible(&self) -> String {
        match self {
            Inline::Markup { visible, .. } => (*visible).to_owned(),
            Inline::Words { text, .. } => text.clone(),
            Inline::Target { shown, in_brackets: true } => format!(" ({shown})"),
            Inline::Target { shown, in_brackets: false } => shown.clone(),
        }
    }
}

/// What the end of an element writes.
#[derive(Debug)]
enum Close {
    /// A block's closing tag, written after its text.
    Block(&'static str),
    /// An inline closing tag, added to the text.
    Inline(&'static str),
    /// Nothing of its own: an element past [`MAX_NESTING`], or one not enabled.
    Nothing,
    /// A list item past [`MAX_NESTING`]: only a line break.
    FlatItem,
    /// An official link.
    Link,
    /// A link that is not kept: its target is shown after its text (or, for an autolink, in
    /// place of it).
    Target {
        shown: String,
        autolink: bool,
    },
    /// A table; what was open around it (tables do not nest, but nothing breaks if one did).
    Table(TableState),
    TableHead,
    TableRow,
    TableCell,
}

impl Close {
    /// Whether this element counts towards [`MAX_NESTING`].
    fn nests(&self) -> bool {
        matches!(self, Close::Block(tag) if matches!(*tag, "</blockquote>\n" | "</ul>\n" | "</ol>\n" | "</li>\n"))
            || matches!(self, Close::Inline(_) | Close::Link)
    }
}

#[derive(Debug, Default)]
struct TableState {
    in_head: bool,
    body_open: bool,
}

struct Writer<'f> {
    official_href: &'f dyn Fn(&engine::CanonicalUrl) -> Option<String>,
    html: String,
    plain: String,
    run: Vec<Inline>,
    open: Vec<Close>,
    /// Open elements that count towards [`MAX_NESTING`].
    depth: usize,
    /// Open official links (a link is never put inside another).
    links: usize,
    /// Open autolinks whose text is replaced by their defanged target.
    hidden: usize,
    table: TableState,
}

impl<'f> Writer<'f> {
    fn new(official_href: &'f dyn Fn(&engine::CanonicalUrl) -> Option<String>) -> Self {
        Self {
            official_href,
            html: String::new(),
            plain: String::new(),
            run: Vec::new(),
            open: Vec::new(),
            depth: 0,
            links: 0,
            hidden: 0,
            table: TableState::default(),
        }
    }

    fn finish(mut self) -> RenderedBody {
        self.flush();
        // The parser closes everything it opens; this is only in case it ever did not.
        while let Some(close) = self.open.pop() {
            self.close(close);
        }
        self.flush();
        let plain = self.plain.trim().to_owned();
        RenderedBody { html: self.html, plain }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            // Every end closes the element its start opened: the parser nests them.
            Event::End(_) => {
                if let Some(close) = self.open.pop() {
                    self.close(close);
                }
            }
            Event::Text(text) => self.words(&text),
            Event::Code(code) => {
                self.markup("<code>", "");
                self.words(&code);
                self.markup("</code>", "");
            }
            // Raw HTML, block or inline, is shown as the text the author wrote, never passed
            // through: nothing silently disappears, and addresses in it are defanged too.
            Event::Html(html) | Event::InlineHtml(html) => self.words(&html),
            // Not enabled (math, footnotes, task lists); shown as text should that ever change.
            Event::InlineMath(text) | Event::DisplayMath(text) => self.words(&text),
            Event::FootnoteReference(label) => self.words(&format!("[^{label}]")),
            Event::TaskListMarker(done) => self.words(if done { "[x] " } else { "[ ] " }),
            Event::SoftBreak => self.words(" "),
            Event::HardBreak => self.markup("<br>", "\n"),
            Event::Rule => {
                self.flush();
                self.html.push_str("<hr>\n");
                self.plain_break();
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        let nested_too_deep = self.depth >= MAX_NESTING;
        let close = match tag {
            Tag::Paragraph => self.block("<p>", "</p>\n"),
            Tag::Heading { level, .. } => {
                // The page's title is the only <h1>: `#` is an <h2>, and so on down to <h4>.
                let (open, close) = match level {
                    HeadingLevel::H1 => ("<h2>", "</h2>\n"),
                    HeadingLevel::H2 => ("<h3>", "</h3>\n"),
                    _ => ("<h4>", "</h4>\n"),
                };
                self.block(open, close)
            }
            Tag::BlockQuote(_) if nested_too_deep => self.block("", ""),
            Tag::BlockQuote(_) => self.block("<blockquote>\n", "</blockquote>\n"),
            Tag::CodeBlock(_) => self.block("<pre><code>", "</code></pre>\n"),
            // Shown as text (see `Event::Html`), a paragraph of its own.
            Tag::HtmlBlock => self.block("<p>", "</p>\n"),
            Tag::List(_) if nested_too_deep => self.block("", ""),
            Tag::List(Some(1)) => self.block("<ol>\n", "</ol>\n"),
            Tag::List(Some(start)) => {
                self.flush();
                self.html.push_str(&format!("<ol start=\"{start}\">\n"));
                Close::Block("</ol>\n")
            }
            Tag::List(None) => self.block("<ul>\n", "</ul>\n"),
            Tag::Item => {
                // An item is written as one only inside a list that was.
                let in_list = matches!(self.open.last(), Some(Close::Block("</ul>\n" | "</ol>\n")));
                if in_list {
                    self.block("<li>", "</li>\n")
                } else {
                    self.flush();
                    Close::FlatItem
                }
            }
            Tag::Table(_) => {
                self.flush();
                self.html.push_str("<table>");
                Close::Table(std::mem::take(&mut self.table))
            }
            Tag::TableHead => {
                self.flush();
                self.table.in_head = true;
                self.html.push_str("<thead><tr>");
                Close::TableHead
            }
            Tag::TableRow => {
                self.flush();
                if !self.table.body_open {
                    self.table.body_open = true;
                    self.html.push_str("<tbody>");
                }
                self.html.push_str("<tr>");
                Close::TableRow
            }
            Tag::TableCell => {
                self.flush();
                self.html.push_str(if self.table.in_head { "<th>" } else { "<td>" });
                Close::TableCell
            }
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough if nested_too_deep => Close::Nothing,
            Tag::Emphasis => self.inline("<em>", "</em>"),
            Tag::Strong => self.inline("<strong>", "</strong>"),
            Tag::Strikethrough => self.inline("<del>", "</del>"),
            Tag::Link { link_type, dest_url, .. } => self.link(link_type, &dest_url, nested_too_deep),
            // Images are never loaded (no tracking pixel, no fake screenshot): the alt text stays.
            Tag::Image { .. } if nested_too_deep => Close::Nothing,
            Tag::Image { .. } => self.inline("<span class=\"image-alt\">", "</span>"),
            // Not enabled; their text is kept, without markup.
            Tag::Superscript
            | Tag::Subscript
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => {
                self.flush();
                Close::Nothing
            }
        };
        if close.nests() {
            self.depth += 1;
        }
        self.open.push(close);
    }

    fn close(&mut self, close: Close) {
        if close.nests() {
            self.depth -= 1;
        }
        match close {
            Close::Block(tag) => {
                self.flush();
                self.html.push_str(tag);
                self.plain_break();
            }
            Close::Inline(tag) => self.markup(tag, ""),
            Close::Nothing => {}
            Close::FlatItem => {
                self.flush();
                self.html.push_str("<br>\n");
                self.plain_break();
            }
            Close::Link => {
                self.links -= 1;
                self.markup("</a>", "");
            }
            Close::Target { shown, autolink } => {
                if autolink {
                    self.hidden -= 1;
                }
                if !shown.is_empty() {
                    self.run.push(Inline::Target { shown, in_brackets: !autolink });
                }
            }
            Close::Table(outer) => {
                if self.table.body_open {
                    self.html.push_str("</tbody>");
                }
                self.html.push_str("</table>\n");
                self.plain_break();
                self.table = outer;
            }
            Close::TableHead => {
                self.table.in_head = false;
                self.html.push_str("</tr></thead>");
                self.plain_break();
            }
            Close::TableRow => {
                self.html.push_str("</tr>");
                self.plain_break();
            }
            Close::TableCell => {
                self.flush();
                self.html.push_str(if self.table.in_head { "</th>" } else { "</td>" });
                self.plain.push(' ');
            }
        }
    }

    /// Starts a block: what came before is written out first.
    fn block(&mut self, open: &'static str, close: &'static str) -> Close {
        self.flush();
        self.html.push_str(open);
        if close.is_empty() {
            Close::Nothing
        } else {
            Close::Block(close)
        }
    }

    fn inline(&mut self, open: &'static str, close: &'static str) -> Close {
        self.markup(open, "");
        Close::Inline(close)
    }

    /// A link is kept only when its target is official; otherwise its text is followed by
    /// the target, defanged.
    fn link(&mut self, link_type: LinkType, dest: &str, nested_too_deep: bool) -> Close {
        let autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
        let href = (!nested_too_deep && self.links == 0).then(|| self.official_link(dest)).flatten();
        match href {
            Some(href) => {
                let mut open = String::from("<a href=\"");
                escape_into(&mut open, &href, true);
                open.push_str("\" rel=\"");
                open.push_str(LINK_REL);
                open.push_str("\">");
                self.run.push(Inline::Markup { html: open, visible: "" });
                self.links += 1;
                Close::Link
            }
            None => {
                if autolink {
                    self.hidden += 1;
                }
                Close::Target { shown: defanged_target(dest), autolink }
            }
        }
    }

    /// Where a link to `dest` goes when `dest` is an absolute web address the firm's data
    /// calls official. Relative (`/x`, `www.x.tw`), protocol-relative (`//x`) and every
    /// other scheme (`javascript:`, `data:`, `mailto:`, ...) never are.
    fn official_link(&self, dest: &str) -> Option<String> {
        let starts = |prefix: &str| dest.get(..prefix.len()).is_some_and(|s| s.eq_ignore_ascii_case(prefix));
        if !(starts("https://") || starts("http://")) {
            return None;
        }
        let url = engine::canonicalize(dest).ok()?;
        https((self.official_href)(&url)?)
    }

    fn words(&mut self, text: &str) {
        if self.hidden > 0 || text.is_empty() {
            return;
        }
        let in_link = self.links > 0;
        match self.run.last_mut() {
            // The parser splits text at brackets and entities; addresses must be seen whole.
            Some(Inline::Words { text: last, in_link: last_in_link }) if *last_in_link == in_link => {
                last.push_str(text);
            }
            _ => self.run.push(Inline::Words { text: text.to_owned(), in_link }),
        }
    }

    fn markup(&mut self, html: &str, visible: &'static str) {
        if self.hidden == 0 {
            self.run.push(Inline::Markup { html: html.to_owned(), visible });
        }
    }

    /// Writes the inline content gathered since the last block.
    fn flush(&mut self) {
        let run = std::mem::take(&mut self.run);
        if run.is_empty() {
            return;
        }
        let parts: Vec<String> = run.iter().map(Inline::visible).collect();
        let visible = parts.concat();
        if address_split_by_markup(&visible, &parts) {
            // Markup inside an address would let `kgi357.<em>com</em>` be copied whole: the
            // markup of this block is dropped and its text is written as one.
            let found = pieces(&visible, self.official_href);
            self.write_pieces(found, false);
            return;
        }
        for inline in run {
            match inline {
                Inline::Markup { html, visible } => {
                    self.html.push_str(&html);
                    self.plain.push_str(visible);
                }
                Inline::Words { text, in_link } => {
                    let found = pieces(&text, self.official_href);
                    self.write_pieces(found, in_link);
                }
                Inline::Target { shown, in_brackets } => {
                    let (before, after) = if in_brackets { (" (", ")") } else { ("", "") };
                    self.html.push_str(before);
                    self.plain.push_str(before);
                    self.write_pieces(vec![Piece::Defanged(shown)], true);
                    self.html.push_str(after);
                    self.plain.push_str(after);
                }
            }
        }
    }

    fn write_pieces(&mut self, found: Vec<Piece>, in_link: bool) {
        for piece in found {
            match piece {
                Piece::Text(words) => {
                    escape_into(&mut self.html, &words, false);
                    self.plain.push_str(&words);
                }
                Piece::Defanged(shown) => {
                    self.html.push_str("<span class=\"defanged\">");
                    escape_into(&mut self.html, &shown, false);
                    self.html.push_str("</span>");
                    self.plain.push_str(&shown);
                }
                Piece::Official { shown, href } => match https(href) {
                    Some(href) if !in_link => {
                        self.html.push_str("<a href=\"");
                        escape_into(&mut self.html, &href, true);
                        self.html.push_str("\" rel=\"");
                        self.html.push_str(LINK_REL);
                        self.html.push_str("\">");
                        escape_into(&mut self.html, &shown, false);
                        self.html.push_str("</a>");
                        self.plain.push_str(&shown);
                    }
                    // Already inside a link to an official site.
                    Some(_) => {
                        escape_into(&mut self.html, &shown, false);
                        self.plain.push_str(&shown);
                    }
                    // An "official" address that would not open over HTTPS is not linked.
                    None => self.write_pieces(vec![Piece::Defanged(defanged(&shown))], in_link),
                },
            }
        }
    }

    /// Ends the plain text's current line.
    fn plain_break(&mut self) {
        let kept = self.plain.trim_end_matches(' ').len();
        self.plain.truncate(kept);
        if !self.plain.is_empty() && !self.plain.ends_with('\n') {
            self.plain.push('\n');
        }
    }
}

/// Whether an address in `visible` (the concatenation of `parts`) spans more than one part.
fn address_split_by_markup(visible: &str, parts: &[String]) -> bool {
    if parts.len() < 2 {
        return false;
    }
    let mut bounds = Vec::with_capacity(parts.len());
    let mut at = 0;
    for part in parts {
        bounds.push(at..at + part.len());
        at += part.len();
    }
    engine::extract_located(visible)
        .iter()
        .filter(|located| located.candidate.kind.is_link())
        .any(|located| !bounds.iter().any(|b| b.start <= located.range.start && located.range.end <= b.end))
}

/// The target of a link that is not kept, as readers see it: every address in it defanged
/// and every other part written so that no phone turns it into a link either.
fn defanged_target(dest: &str) -> String {
    pieces(dest, |_| None)
        .into_iter()
        .map(|piece| match piece {
            Piece::Defanged(shown) => shown,
            Piece::Text(words) | Piece::Official { shown: words, .. } => defanged(&words),
        })
        .collect()
}

/// `href` as an HTTPS link: an official site reached over plain HTTP is linked over HTTPS;
/// any other scheme is not linked.
fn https(href: String) -> Option<String> {
    if href.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")) {
        Some(href)
    } else if href.get(..7).is_some_and(|s| s.eq_ignore_ascii_case("http://")) {
        Some(format!("https://{}", &href[7..]))
    } else {
        None
    }
}

/// Escapes `text` exactly as the HTML serialiser behind ammonia does, so that cleaning the
/// writer's output gives it back unchanged.
fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `kgi.com.tw` and its subdomains are the firm's; nothing else is.
    fn official(url: &engine::CanonicalUrl) -> Option<String> {
        let host = url.host_str();
        let is_name = matches!(url.host(), engine::canon::Host::Domain(_));
        let firm = is_name && (host == "kgi.com.tw" || host.ends_with(".kgi.com.tw"));
        let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
        firm.then(|| format!("https://{host}{}{query}", url.path()))
    }

    fn html(markdown: &str) -> String {
        render(markdown, official).html
    }

    /// Hostile Markdown, what a reader must see (`shows`, in the HTML) and what must not be
    /// there at all (`hides`, in any case).
    struct Hostile {
        markdown: &'static str,
        shows: &'static [&'static str],
        hides: &'static [&'static str],
    }

    const HOSTILE: &[Hostile] = &[
        Hostile {
            markdown: "<script>alert(1)</script>",
            shows: &["<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"],
            hides: &["<script"],
        },
        Hostile {
            markdown: "看這裡 <img src=x onerror=alert(1)> 喔",
            shows: &["看這裡 &lt;img src=x onerror=alert(1)&gt; 喔"],
            hides: &["<img"],
        },
        Hostile {
            markdown: r#"<a href="javascript:alert(1)">x</a>"#,
            shows: &[r#"&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;"#],
            hides: &["<a "],
        },
        Hostile {
            markdown: "[x](javascript:alert(1))",
            shows: &[r#"<p>x (<span class="defanged">javascript:alert(1)</span>)</p>"#],
            hides: &["<a "],
        },
        Hostile { markdown: "[x](JaVaScRiPt:alert(1))", shows: &["x ("], hides: &["<a "] },
        Hostile {
            markdown: "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            shows: &["x ("],
            hides: &["<a ", "href"],
        },
        Hostile { markdown: "[x]( javascript:alert(1))", shows: &["x ("], hides: &["<a "] },
        Hostile {
            markdown: "[x](&#106;avascript&#58;alert(1))",
            shows: &[r#"x (<span class="defanged">javascript:alert(1)</span>)"#],
            hides: &["<a "],
        },
        Hostile { markdown: "[x](<javascript:alert(1)>)", shows: &["x ("], hides: &["<a "] },
        Hostile { markdown: "[x](vbscript:msgbox(1))", shows: &["x ("], hides: &["<a "] },
        Hostile { markdown: "[x](file:///etc/passwd)", shows: &["x ("], hides: &["<a "] },
        Hostile {
            markdown: "[x](//kgi357.com/login)",
            shows: &[r#"x (<span class="defanged">//kgi357[.]com/login</span>)"#],
            hides: &["<a "],
        },
        Hostile { markdown: "[x](/login)", shows: &["x ("], hides: &["<a "] },
        Hostile { markdown: "[官網](www.kgi.com.tw)", shows: &["官網 ("], hides: &["<a "] },
        Hostile { markdown: "[寫信](mailto:service@kgi.com.tw)", shows: &["寫信 ("], hides: &["<a "] },
        Hostile { markdown: "[來電](tel:0800-000-000)", shows: &["來電 ("], hides: &["<a "] },
        Hostile {
            markdown: "![請掃描 QR code](https://evil.example/track.png)",
            shows: &[r#"<span class="image-alt">請掃描 QR code</span>"#],
            hides: &["<img", "evil"],
        },
        Hostile {
            markdown: r#"<iframe src="https://kgi357.com/login"></iframe>"#,
            shows: &["&lt;iframe", "kgi357[.]com"],
            hides: &["<iframe", "kgi357.com"],
        },
        Hostile {
            markdown: "<style>body { display: none }</style>",
            shows: &["&lt;style&gt;"],
            hides: &["<style"],
        },
        Hostile {
            markdown: "<div><script>alert(1)</script></div>",
            shows: &["&lt;div&gt;&lt;script&gt;"],
            hides: &["<div", "<script"],
        },
        Hostile {
            markdown: "<div class=\"x\">\n<p onclick=\"alert(1)\">請登入</p>\n</div>\n\n之後",
            shows: &["&lt;p onclick=\"alert(1)\"&gt;請登入&lt;/p&gt;", "<p>之後</p>"],
            hides: &["<div", "<p onclick"],
        },
        Hostile {
            markdown: "<svg onload=alert(1)>",
            shows: &["&lt;svg onload=alert(1)&gt;"],
            hides: &["<svg"],
        },
        Hostile {
            markdown: "文字 </script><script>alert(1)</script>",
            shows: &["&lt;/script&gt;&lt;script&gt;"],
            hides: &["<script", "</script"],
        },
        Hostile {
            markdown: "<!-- <script>alert(1)</script> -->",
            shows: &["&lt;!-- &lt;script&gt;"],
            hides: &["<!--", "<script"],
        },
        Hostile {
            markdown: r#"[官網](https://www.kgi.com.tw "a\" onmouseover=\"alert(1)")"#,
            shows: &[r#"<a href="https://www.kgi.com.tw/" rel="noopener noreferrer">官網</a>"#],
            hides: &["title", "onmouseover"],
        },
        Hostile {
            markdown: r#"[官網](https://www.kgi.com.tw/"onmouseover="alert(1))"#,
            shows: &[
                r#"<a href="https://www.kgi.com.tw/&quot;onmouseover=&quot;alert(1)" rel="noopener noreferrer">"#,
            ],
            hides: &["\"onmouseover"],
        },
        Hostile {
            markdown: "[請由此登入][login]\n\n[login]: https://kkpp.kgi357.com/index/login",
            shows: &[r#"請由此登入 (<span class="defanged">hxxps://kkpp[.]kgi357[.]com/index/login</span>)"#],
            hides: &["<a ", "kgi357.com"],
        },
        Hostile {
            markdown: "<https://kgi357.com>",
            shows: &[r#"<p><span class="defanged">hxxps://kgi357[.]com</span></p>"#],
            hides: &["<a "],
        },
        Hostile {
            markdown: "假網址 kkpp.kgi357.com/index/login 請勿點選",
            shows: &[r#"假網址 <span class="defanged">kkpp[.]kgi357[.]com/index/login</span> 請勿點選"#],
            hides: &["<a ", "kgi357.com"],
        },
        Hostile {
            markdown: "廠商來信：hxxps://kgi357[.]com",
            shows: &[r#"<span class="defanged">hxxps://kgi357[.]com</span>"#],
            hides: &["<a "],
        },
        Hostile {
            markdown: "簡訊寫著 kgi357。com",
            shows: &[r#"簡訊寫著 <span class="defanged">kgi357[.]com</span>"#],
            hides: &["<a ", "kgi357。com"],
        },
        Hostile {
            markdown: "[https://www.kgi.com.tw](https://kgi357.com)",
            shows: &[r#" (<span class="defanged">hxxps://kgi357[.]com</span>)"#],
            hides: &["href=\"https://kgi357", "kgi357.com"],
        },
        Hostile {
            markdown: "[官網](https://www.kgi.com.tw@kgi357.com/login)",
            shows: &["官網 (", "kgi357[.]com/login"],
            hides: &["<a "],
        },
        Hostile {
            markdown: "[官網](https://www.kgi.com.tw.kgi357.com/)",
            shows: &["官網 ("],
            hides: &["<a "],
        },
        Hostile {
            markdown: "[官網](https://www.kgi.com.tw%2F@kgi357.com/)",
            shows: &["官網 ("],
            hides: &["<a "],
        },
        Hostile {
            markdown: "[**[登入](https://kgi357.com)**](https://www.kgi.com.tw)",
            shows: &["登入 (", "hxxps://kgi357[.]com"],
            hides: &["href=\"https://kgi357"],
        },
        Hostile {
            markdown: "`kgi357.com` 與\n\n```\nhttps://kkpp.kgi357.com/index/login\n```",
            shows: &[
                r#"<code><span class="defanged">kgi357[.]com</span></code>"#,
                r#"<pre><code><span class="defanged">hxxps://kkpp[.]kgi357[.]com/index/login</span>"#,
            ],
            hides: &["kgi357.com"],
        },
        Hostile {
            markdown: "&lt;script&gt; &#60;b&#62; &amp;amp; &copy; &#x6b;gi357.com",
            shows: &[r#"&lt;script&gt; &lt;b&gt; &amp;amp; © <span class="defanged">kgi357[.]com</span>"#],
            hides: &["<script", "<b>"],
        },
        Hostile {
            markdown: "# 標題 {#main .x onclick=alert(1)}",
            shows: &["<h2>標題 {#main .x onclick=alert(1)}</h2>"],
            hides: &["id=", "class=\"x"],
        },
    ];

    #[test]
    fn hostile_markdown_comes_out_as_text_a_reader_can_see_and_nothing_more() {
        for case in HOSTILE {
            // Act
            let out = html(case.markdown).to_lowercase();

            // Assert
            for shown in case.shows {
                assert!(
                    out.contains(&shown.to_lowercase()),
                    "{:?} should show {shown:?}:\n{out}",
                    case.markdown
                );
            }
            for hidden in case.hides {
                assert!(
                    !out.contains(&hidden.to_lowercase()),
                    "{:?} let {hidden:?} through:\n{out}",
                    case.markdown
                );
            }
        }
    }

    /// Every tag of `html`, checked against what the writer may produce: the allowed tags,
    /// `<a>` only to the firm's site over HTTPS with `rel`, `<span>` only with our classes,
    /// `<ol>` only with a start number. Text `<` is always escaped, so every `<` opens a tag.
    fn assert_only_allowed_tags(html: &str, source: &str) {
        // The allowed tags, written out again apart from `TAGS` so that a tag added there fails here.
        #[rustfmt::skip]
        const BARE: &[&str] = &[
            "p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "del", "code", "pre",
            "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a", "span",
        ];
        for tag in html.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap();
            let (closing, opening) = match tag.strip_prefix('/') {
                Some(name) => (true, name),
                None => (false, tag),
            };
            let (name, attributes) = opening.split_once(' ').unwrap_or((opening, ""));
            assert!(BARE.contains(&name), "{source:?} produced <{tag}>");
            let allowed = match name {
                _ if closing => attributes.is_empty(),
                "a" => {
                    attributes.starts_with("href=\"https://")
                        && attributes.ends_with("\" rel=\"noopener noreferrer\"")
                        && {
                            let host =
                                attributes["href=\"https://".len()..].split(['/', '"', '?']).next().unwrap();
                            host == "kgi.com.tw" || host.ends_with(".kgi.com.tw")
                        }
                }
                "span" => attributes == "class=\"defanged\"" || attributes == "class=\"image-alt\"",
                "ol" => {
                    attributes.is_empty()
                        || attributes
                            .strip_prefix("start=\"")
                            .and_then(|n| n.strip_suffix('"'))
                            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
                }
                _ => attributes.is_empty(),
            };
            assert!(allowed, "{source:?} produced <{tag}>");
        }
    }

    #[test]
    fn no_hostile_markdown_gets_a_script_an_image_or_a_link_off_the_firms_site() {
        for case in HOSTILE {
            // Act
            let out = html(case.markdown);

            // Assert
            assert_only_allowed_tags(&out, case.markdown);
            let lower = out.to_lowercase();
            for never in ["<script", "</script", "<img", "<iframe", "<svg", "<style", "<div", "<h1"] {
                assert!(!lower.contains(never), "{:?} let {never:?} through:\n{out}", case.markdown);
            }
        }
    }

    #[test]
    fn ammonia_changes_nothing_the_writer_wrote() {
        let official_prose =
            "官網：www.kgi.com.tw 與 [網站](http://www.kgi.com.tw/zh-tw?a=1&b=2)\u{a0}。\n\n3. 一\n4. 二";
        for markdown in HOSTILE.iter().map(|case| case.markdown).chain([official_prose]) {
            // Act
            let written = write(markdown, &official);
            let cleaned = render(markdown, official);

            // Assert
            assert_eq!(written, cleaned, "ammonia changed the writer's output for {markdown:?}");
        }
    }

    #[test]
    fn an_official_link_stays_a_link_over_https_that_opens_without_a_hold_on_our_page() {
        // Arrange
        let markdown = "請認明[官方網站](https://www.kgi.com.tw/zh-tw)與[舊網址](http://kgi.com.tw/)";

        // Act
        let out = html(markdown);

        // Assert
        assert_eq!(
            out,
            "<p>請認明<a href=\"https://www.kgi.com.tw/zh-tw\" rel=\"noopener noreferrer\">官方網站</a>與\
             <a href=\"https://kgi.com.tw/\" rel=\"noopener noreferrer\">舊網址</a></p>\n"
        );
    }

    #[test]
    fn an_official_address_in_the_text_becomes_a_link_and_a_fake_one_does_not() {
        // Act
        let out = html("官網：www.kgi.com.tw，假網站：a006.kgi588.com");

        // Assert
        assert_eq!(
            out,
            "<p>官網：<a href=\"https://www.kgi.com.tw/\" rel=\"noopener noreferrer\">www.kgi.com.tw</a>，\
             假網站：<span class=\"defanged\">a006[.]kgi588[.]com</span></p>\n"
        );
    }

    #[test]
    fn a_link_to_a_fake_site_shows_its_text_then_its_target_defanged() {
        // Act
        let out = html("[登入頁](https://kkpp.kgi357.com/index/login)");

        // Assert
        assert_eq!(
            out,
            "<p>登入頁 (<span class=\"defanged\">hxxps://kkpp[.]kgi357[.]com/index/login</span>)</p>\n"
        );
    }

    #[test]
    fn a_fake_link_with_official_looking_text_shows_where_it_really_goes() {
        // Act
        let out = html("[https://www.kgi.com.tw](https://kgi357.com)");

        // Assert: the text is the real site (so it may link there), the fake target is visible.
        assert!(!out.contains("href=\"https://kgi357"), "{out}");
        assert!(out.ends_with(" (<span class=\"defanged\">hxxps://kgi357[.]com</span>)</p>\n"), "{out}");
    }

    #[test]
    fn without_official_data_nothing_is_a_link() {
        // Act
        let out =
            render("[官網](https://www.kgi.com.tw) www.kgi.com.tw <https://www.kgi.com.tw>", |_| None);

        // Assert
        assert!(!out.html.contains("<a"), "{}", out.html);
        assert_eq!(
            out.plain,
            "官網 (hxxps://www[.]kgi[.]com[.]tw) www[.]kgi[.]com[.]tw hxxps://www[.]kgi[.]com[.]tw"
        );
    }

    #[test]
    fn an_address_split_by_markup_is_still_defanged_whole() {
        for markdown in
            ["kgi357.*com*", "**kgi357**.com", "[kgi357](https://www.kgi.com.tw).com", "kgi357`.com`"]
        {
            // Act
            let out = html(markdown);

            // Assert
            assert_eq!(out, "<p><span class=\"defanged\">kgi357[.]com</span></p>\n", "{markdown:?}");
        }
    }

    #[test]
    fn code_spans_and_code_blocks_defang_fake_addresses_too_since_readers_copy_them() {
        // Act
        let out = html("輸入 `kgi357.com` 的人：\n\n    kkpp.kgi357.com/index/login\n");

        // Assert
        assert_eq!(
            out,
            "<p>輸入 <code><span class=\"defanged\">kgi357[.]com</span></code> 的人：</p>\n\
             <pre><code><span class=\"defanged\">kkpp[.]kgi357[.]com/index/login</span>\n</code></pre>\n"
        );
    }

    #[test]
    fn images_are_never_loaded_and_leave_their_alt_text() {
        // Act
        let out = render("![假的 LINE 群組截圖 kgi357.com](https://kgi357.com/qr.png \"t\")", official);

        // Assert
        assert_eq!(
            out.html,
            "<p><span class=\"image-alt\">假的 LINE 群組截圖 <span class=\"defanged\">kgi357[.]com</span></span></p>\n"
        );
        assert_eq!(out.plain, "假的 LINE 群組截圖 kgi357[.]com");
    }

    #[test]
    fn headings_move_down_one_level_and_stop_at_h4() {
        // Act
        let out = html("# 一\n## 二\n### 三\n#### 四\n###### 六\n\n另一\n===\n");

        // Assert
        assert_eq!(out, "<h2>一</h2>\n<h3>二</h3>\n<h4>三</h4>\n<h4>四</h4>\n<h4>六</h4>\n<h2>另一</h2>\n");
    }

    #[test]
    fn a_table_keeps_its_cells_without_any_style() {
        // Act
        let out = render(
            "| 假網址 | 狀態 |\n|:--|--:|\n| kgi357.com | 已下架 |\n| a006.kgi588.com | 處理中 |",
            official,
        );

        // Assert
        assert_eq!(
            out.html,
            "<table><thead><tr><th>假網址</th><th>狀態</th></tr></thead><tbody>\
             <tr><td><span class=\"defanged\">kgi357[.]com</span></td><td>已下架</td></tr>\
             <tr><td><span class=\"defanged\">a006[.]kgi588[.]com</span></td><td>處理中</td></tr>\
             </tbody></table>\n"
        );
        assert_eq!(out.plain, "假網址 狀態\nkgi357[.]com 已下架\na006[.]kgi588[.]com 處理中");
    }

    #[test]
    fn lists_quotes_and_emphasis_keep_their_shape() {
        // Act
        let out = html("> **注意** ~~舊~~ *新*\n\n3. 掛斷\n4. 撥 165\n\n- 不點\n- 不加");

        // Assert
        assert_eq!(
            out,
            "<blockquote>\n<p><strong>注意</strong> <del>舊</del> <em>新</em></p>\n</blockquote>\n\
             <ol start=\"3\">\n<li>掛斷</li>\n<li>撥 165</li>\n</ol>\n\
             <ul>\n<li>不點</li>\n<li>不加</li>\n</ul>\n"
        );
    }

    #[test]
    fn raw_html_is_shown_as_the_text_the_author_wrote() {
        // Act
        let out = render("請<b>勿</b>點選\n\n<p>段落</p>", official);

        // Assert
        assert_eq!(out.html, "<p>請&lt;b&gt;勿&lt;/b&gt;點選</p>\n<p>&lt;p&gt;段落&lt;/p&gt;</p>\n");
        assert_eq!(out.plain, "請<b>勿</b>點選\n<p>段落</p>");
    }

    #[test]
    fn the_plain_text_is_the_words_one_paragraph_a_line_with_fakes_defanged() {
        // Arrange
        let markdown = "# 重要提醒\n\n請認明 **官網** www.kgi.com.tw，\n勿點 kgi357.com。\n\n\
                        - 掛斷\n- 撥 165\n\n[登入](https://kgi357.com/login)  \n第二行";

        // Act
        let out = render(markdown, official);

        // Assert
        assert_eq!(
            out.plain,
            "重要提醒\n請認明 官網 www.kgi.com.tw， 勿點 kgi357[.]com。\n掛斷\n撥 165\n\
             登入 (hxxps://kgi357[.]com/login)\n第二行"
        );
    }

    #[test]
    fn deeply_nested_input_returns_with_balanced_output() {
        for markdown in [
            ">".repeat(10_000) + " kgi357.com",
            "[".repeat(50_000),
            "*".repeat(50_000),
            "*a".repeat(25_000),
            "*".repeat(25_000) + "a" + &"*".repeat(25_000),
            "**_".repeat(10_000) + "x" + &"_**".repeat(10_000),
            "- ".repeat(5_000) + "x",
            "> - ".repeat(3_000) + "x",
            "[a](https://www.kgi.com.tw) ".repeat(3_000),
        ] {
            // Act
            let written = write(&markdown, &official);
            let cleaned = render(&markdown, official);

            // Assert: the HTML parser gives back what the writer wrote, so every tag is closed.
            let start: String = markdown.chars().take(12).collect();
            assert_eq!(written.html, cleaned.html, "{start:?}…");
            assert_only_allowed_tags(&cleaned.html, &start);
            assert!(cleaned.html.matches("<blockquote>").count() <= MAX_NESTING, "{start:?}…");
            assert!(!cleaned.html.contains("kgi357.com"), "{start:?}…");
        }
    }

    #[test]
    fn the_cleaner_alone_removes_what_the_writer_never_writes() {
        // Arrange
        let hostile = "<h1 id=\"x\">t</h1><span class=\"defanged evil\" style=\"color:red\" onclick=\"x\">s</span>\
                       <a href=\"javascript:alert(1)\" rel=\"opener\">j</a><a href=\"http://kgi357.com/\">h</a>\
                       <a href=\"/relative\">r</a><img src=\"https://evil.example/x.png\"><script>alert(1)</script>\
                       <style>p{}</style><iframe src=\"https://kgi357.com\">i</iframe><svg onload=\"x\"><text>v</text></svg>";

        // Act
        let out = CLEANER.clean(hostile).to_string();

        // Assert
        assert_eq!(
            out,
            "t<span class=\"defanged\">s</span><a rel=\"noopener noreferrer\">j</a>\
             <a rel=\"noopener noreferrer\">h</a><a rel=\"noopener noreferrer\">r</a>"
        );
    }
}
