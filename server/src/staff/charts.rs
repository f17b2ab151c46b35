//! The dashboard's charts as SVG, drawn with plotters' SVG backend from the same rows the
//! page's tables list (`app::staff::dashboard::panels`): horizontal bars, one row per label,
//! each bar's number written at its end. Text goes out as `<text>` elements naming a list of
//! font families, so the reader's own fonts draw it, Chinese included, and no font is
//! embedded: plotters is built without `ttf` and `ab_glyph`, so it only estimates text sizes,
//! and these charts place every label themselves rather than rely on those estimates.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use app::staff::dashboard::Panel;

/// The picture's width in its own units; the page scales it to the screen (`viewBox`).
pub const WIDTH: u32 = 400;

/// The fonts text asks for, first found first used: the system's, then the common
/// Traditional Chinese ones on Apple, Android and Linux, and Windows, then any sans-serif.
pub const FONT_FAMILY: &str = "system-ui, -apple-system, 'PingFang TC', 'Noto Sans TC', \
     'Noto Sans CJK TC', 'Microsoft JhengHei', sans-serif";

const TITLE_HEIGHT: u32 = 36;
const CAPTION_HEIGHT: u32 = 26;
const LEGEND_HEIGHT: u32 = 24;
const ROW_HEIGHT: u32 = 30;
const AXIS_HEIGHT: u32 = 26;
const EMPTY_HEIGHT: u32 = 36;
const LABEL_AREA: u32 = 150;
/// Labels wider than this ([`width_units`]) are cut in the picture (the table has them whole).
const LABEL_UNITS: usize = 17;

const INK: RGBColor = RGBColor(0x1b, 0x1f, 0x24);
const MUTED: RGBColor = RGBColor(0x4a, 0x55, 0x63);
const GRID: RGBColor = RGBColor(0xdd, 0xe1, 0xe6);
/// The site's blue, then its amber: both dark enough for the white numbers' neighbours.
const SERIES: [RGBColor; 2] = [RGBColor(0x0b, 0x4f, 0x8a), RGBColor(0x8a, 0x4b, 0x00)];

/// Drawing failed (it writes to a string, so only a bug can make it).
#[derive(Debug, thiserror::Error)]
#[error("the chart could not be drawn: {0}")]
pub struct ChartError(String);

fn failed<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> ChartError {
    ChartError(e.to_string())
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Text `px` high: plotters writes `font-size` as the size it is given over 1.24.
fn text_style(px: f64, color: &RGBColor) -> TextStyle<'static> {
    (FONT_FAMILY, px * 1.24).into_font().color(color)
}

/// About how wide a character is drawn, in halves of the font size: Latin letters and
/// digits about half, Chinese characters (and other wide ones) a whole.
fn width_units(c: char) -> usize {
    if c.is_ascii() {
        1
    } else {
        2
    }
}

/// Text as the data holds it, less what XML cannot carry (control characters): plotters
/// escapes the rest (`<`, `&`, quotes) itself. Text wider than `max_units` (see
/// [`width_units`]) is cut with an ellipsis: at its end, or, for a host name, at its start,
/// since a host's last labels (its registrable domain) are what tells one site from another.
pub fn label_text(text: &str, max_units: usize) -> String {
    let clean: String = text.chars().filter(|c| is_xml_char(*c)).collect();
    if clean.chars().map(width_units).sum::<usize>() <= max_units {
        return clean;
    }
    let is_host = clean.contains('.') && clean.chars().all(|c| c.is_ascii_graphic());
    let mut kept: Vec<char> = Vec::new();
    // The ellipsis is as wide as a Chinese character in the fonts that draw Chinese.
    let mut used = width_units('…');
    let chars: Vec<char> = clean.chars().collect();
    let order: Box<dyn Iterator<Item = &char>> =
        if is_host { Box::new(chars.iter().rev()) } else { Box::new(chars.iter()) };
    for c in order {
        used += width_units(*c);
        if used > max_units {
            break;
        }
        kept.push(*c);
    }
    if is_host {
        std::iter::once('…').chain(kept.into_iter().rev()).collect()
    } else {
        kept.into_iter().chain(std::iter::once('…')).collect()
    }
}

/// The characters XML 1.0 allows in a document.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

fn drawn_columns(panel: &Panel) -> Vec<usize> {
    panel.columns.iter().enumerate().filter(|(_, c)| c.drawn).map(|(i, _)| i).collect()
}

fn panel_height(panel: &Panel, captioned: bool) -> u32 {
    let caption = if captioned { CAPTION_HEIGHT } else { 0 };
    if panel.rows.is_empty() {
        return caption + EMPTY_HEIGHT;
    }
    let legend = if drawn_columns(panel).len() > 1 { LEGEND_HEIGHT } else { 0 };
    let rows = u32::try_from(panel.rows.len()).unwrap_or(u32::MAX / ROW_HEIGHT);
    caption + legend + rows.saturating_mul(ROW_HEIGHT) + AXIS_HEIGHT + 8
}

/// The chart `title` over its `panels`, as an SVG document; `empty` is what a panel without
/// rows says.
pub fn svg(title: &str, panels: &[Panel], empty: &str) -> Result<String, ChartError> {
    let captioned = panels.len() > 1;
    let heights: Vec<u32> = panels.iter().map(|p| panel_height(p, captioned)).collect();
    let height = TITLE_HEIGHT + heights.iter().sum::<u32>();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let (top, mut rest) = root.split_vertically(TITLE_HEIGHT);
        top.draw(&Text::new(label_text(title, 60), (8, 8), text_style(18.0, &INK))).map_err(failed)?;
        for (panel, h) in panels.iter().zip(heights) {
            let (area, below) = rest.split_vertically(h);
            draw_panel(&area, panel, captioned, empty)?;
            rest = below;
        }
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

fn draw_panel(area: &Area<'_>, panel: &Panel, captioned: bool, empty: &str) -> Result<(), ChartError> {
    let mut area = area.clone();
    if captioned {
        let (caption, rest) = area.split_vertically(CAPTION_HEIGHT);
        caption
            .draw(&Text::new(label_text(panel.caption, 60), (8, 4), text_style(15.0, &INK)))
            .map_err(failed)?;
        area = rest;
    }
    if panel.rows.is_empty() {
        return area
            .draw(&Text::new(label_text(empty, 60), (16, 8), text_style(15.0, &MUTED)))
            .map_err(failed);
    }
    let drawn = drawn_columns(panel);
    if drawn.len() > 1 {
        let (legend, rest) = area.split_vertically(LEGEND_HEIGHT);
        let mut x = 8;
        for (k, column) in drawn.iter().filter_map(|i| panel.columns.get(*i)).enumerate() {
            let colour = SERIES[k % SERIES.len()];
            legend.draw(&Rectangle::new([(x, 5), (x + 12, 17)], colour.filled())).map_err(failed)?;
            let words = label_text(column.heading, 24);
            legend.draw(&Text::new(words.clone(), (x + 16, 4), text_style(14.0, &INK))).map_err(failed)?;
            let width: usize = words.chars().map(width_units).sum::<usize>() * 15 / 2;
            x += 16 + i32::try_from(width).unwrap_or(0) + 16;
        }
        area = rest;
    }
    let n = panel.rows.len();
    let rows = n as f64;
    let most = panel.rows.iter().flat_map(|r| drawn.iter().filter_map(|i| r.values.get(*i))).max();
    let most = most.copied().unwrap_or(0).max(1);
    // Room after the longest bar for its number.
    let upper = most + most / 4 + 1;
    let mut chart = ChartBuilder::on(&area)
        .margin_top(4)
        .margin_right(12)
        .x_label_area_size(AXIS_HEIGHT)
        .y_label_area_size(LABEL_AREA)
        .build_cartesian_2d(0i64..upper, 0f64..rows)
        .map_err(failed)?;
    let number = |v: &i64| v.to_string();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(5)
        .x_label_formatter(&number)
        .label_style(text_style(13.0, &MUTED))
        .axis_style(MUTED)
        .bold_line_style(GRID)
        .light_line_style(WHITE)
        .draw()
        .map_err(failed)?;
    let thickness = 0.7 / drawn.len().max(1) as f64;
    for (i, row) in panel.rows.iter().enumerate() {
        // The first row at the top.
        let top = (n - i) as f64 - 0.15;
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((0, top - 0.35))
                    + Text::new(
                        label_text(&row.label, LABEL_UNITS),
                        (-8, 0),
                        text_style(14.0, &INK).pos(Pos::new(HPos::Right, VPos::Center)),
                    ),
            ))
            .map_err(failed)?;
        for (k, column) in drawn.iter().enumerate() {
            let value = row.values.get(*column).copied().unwrap_or(0);
            let y1 = top - k as f64 * thickness;
            let y0 = y1 - thickness;
            let colour = SERIES[k % SERIES.len()];
            chart
                .draw_series(std::iter::once(Rectangle::new([(0, y0), (value, y1)], colour.filled())))
                .map_err(failed)?;
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at((value, (y0 + y1) / 2.0))
                        + Text::new(
                            value.to_string(),
                            (4, 0),
                            text_style(14.0, &INK).pos(Pos::new(HPos::Left, VPos::Center)),
                        ),
                ))
                .map_err(failed)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use app::staff::dashboard::{Column, PanelRow};

    use super::*;

    fn panel(rows: &[(&str, &[i64])], columns: &[(&'static str, bool)]) -> Panel {
        Panel {
            caption: "By vendor",
            label_heading: "Vendor",
            note_heading: None,
            columns: columns.iter().map(|(heading, drawn)| Column { heading, drawn: *drawn }).collect(),
            rows: rows
                .iter()
                .map(|(label, values)| PanelRow {
                    label: (*label).to_owned(),
                    note: None,
                    values: values.to_vec(),
                })
                .collect(),
        }
    }

    fn texts(svg: &str) -> Vec<String> {
        let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap_or("").trim().to_owned())
            .collect()
    }

    #[test]
    fn every_label_and_number_is_text_in_the_readers_fonts() {
        let rows = [("RSA", &[3i64, 4, 10][..]), ("165 開放資料", &[1, 30, 30][..])];
        let svg = svg(
            "從通報到下架的天數",
            &[panel(&rows, &[("Takedowns", false), ("Median", true), ("P90", true)])],
            "None",
        )
        .unwrap();
        let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
        let root = doc.root_element();
        assert_eq!(root.attribute("viewBox").map(|v| v.starts_with("0 0 400 ")), Some(true));
        for text in doc.descendants().filter(|n| n.has_tag_name("text")) {
            let family = text.attribute("font-family").unwrap_or_default();
            assert!(family.contains("Noto Sans TC") && family.ends_with("sans-serif"), "{family}");
        }
        let texts = texts(&svg);
        for expected in ["從通報到下架的天數", "RSA", "165 開放資料", "4", "10", "30", "Median", "P90"]
        {
            assert!(texts.iter().any(|t| t == expected), "{expected} in {texts:?}");
        }
        assert!(!texts.iter().any(|t| t == "Takedowns"), "a column not drawn is only in the table");
    }

    #[test]
    fn hostile_labels_stay_text_and_the_document_stays_well_formed() {
        let nasty = "<script>alert(\"x\")</script>&amp;'\u{0}\u{1b}";
        let rows = [(nasty, &[5i64][..])];
        let svg = svg(nasty, &[panel(&rows, &[("Checks", true)])], "None").unwrap();
        let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
        assert!(!doc.descendants().any(|n| n.has_tag_name("script")));
        let texts = texts(&svg);
        assert!(texts.iter().any(|t| t.starts_with("<script>alert(\"x\")")), "{texts:?}");
    }

    #[test]
    fn a_panel_without_rows_says_so_and_long_labels_are_cut() {
        let svg = svg("Title", &[panel(&[], &[("Checks", true)])], "No data yet.").unwrap();
        assert!(texts(&svg).iter().any(|t| t == "No data yet."));
        assert_eq!(label_text("abcdefghij", 5), "abc…");
        assert_eq!(label_text("短", 5), "短");
        assert_eq!(label_text("已申請下架中", 8), "已申請…", "wide characters count twice");
        assert_eq!(label_text("login.a-long-name.kgi357.com", 14), "…e.kgi357.com", "a host keeps its end");
    }
}
