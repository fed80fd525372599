//! Charts as inline SVG, drawn by the server: no JavaScript, readable by a
//! screen reader (`role="img"`, `<title>` and `<desc>` saying the figures
//! in words), printable in black and white (every bar also carries its
//! number). The same figures are always in a table beside the chart.
//!
//! Invariants: every text that reaches the SVG goes through [`escape`];
//! sizes are fixed (`viewBox`) and scale with the page; an empty series
//! draws an empty frame, never a division by zero.

use std::fmt::Write;

/// Text made safe for SVG and HTML content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The start of a chart: size, role and its accessible name.
fn open(out: &mut String, width: u32, height: u32, title: &str, desc: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" aria-labelledby="t d" class="chart"><title>{}</title><desc>{}</desc>"#,
        escape(title),
        escape(desc)
    );
}

/// The five scores as bars, 1 (red) to 5 (green), each with its count.
pub fn distribution(counts: &[u64; 5], title: &str, desc: &str) -> String {
    const COLOURS: [&str; 5] = ["#b3261e", "#e8710a", "#c9a400", "#6a9f3a", "#1e7b34"];
    let (w, h, base, bar) = (420u32, 220u32, 190.0f64, 56.0f64);
    let max = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let mut out = String::new();
    open(&mut out, w, h, title, desc);
    let _ = write!(
        out,
        r##"<line x1="20" y1="{base}" x2="{}" y2="{base}" stroke="#444"/>"##,
        w - 10
    );
    for ((score, n), colour) in (1u32..).zip(counts).zip(COLOURS) {
        let x = 30.0 + f64::from(score - 1) * 78.0;
        let height = (*n as f64 / max) * 150.0;
        let y = base - height;
        let _ = write!(
            out,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{bar}" height="{height:.1}" fill="{colour}"/><text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="13">{n}</text><text x="{:.1}" y="{}" text-anchor="middle" font-size="14" font-weight="bold">{score}</text>"#,
            x + bar / 2.0,
            y - 4.0,
            x + bar / 2.0,
            base + 18.0
        );
    }
    out.push_str("</svg>");
    out
}

/// One week of the trend: its label, how many ratings and the share of 4
/// and 5 (none when nothing was rated).
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    pub label: String,
    pub count: u64,
    pub csat: Option<f64>,
}

/// The weekly share of 4 and 5 as a line over 0-100 %, weeks without
/// ratings left as gaps; the count of each week as a faint bar below.
pub fn trend(points: &[TrendPoint], title: &str, desc: &str) -> String {
    let (w, h) = (720u32, 240u32);
    let (left, right, top, bottom) = (44.0f64, 710.0f64, 14.0f64, 200.0f64);
    let mut out = String::new();
    open(&mut out, w, h, title, desc);
    for pct in [0u32, 50, 100] {
        let y = bottom - (bottom - top) * f64::from(pct) / 100.0;
        let _ = write!(
            out,
            r##"<line x1="{left}" y1="{y:.1}" x2="{right}" y2="{y:.1}" stroke="#ccc"/><text x="{}" y="{:.1}" text-anchor="end" font-size="12">{pct}%</text>"##,
            left - 4.0,
            y + 4.0
        );
    }
    let n = points.len().max(1) as f64;
    let step = (right - left) / n;
    let max_count = points.iter().map(|p| p.count).max().unwrap_or(0).max(1) as f64;
    let mut path = String::new();
    let mut pen_down = false;
    for (i, p) in points.iter().enumerate() {
        let x = left + step * (i as f64 + 0.5);
        let bar = (p.count as f64 / max_count) * 40.0;
        let _ = write!(
            out,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{bar:.1}" fill="#d7e3f4"/>"##,
            x - step * 0.4,
            bottom - bar,
            step * 0.8
        );
        match p.csat {
            Some(c) => {
                let y = bottom - (bottom - top) * c.clamp(0.0, 1.0);
                let _ = write!(path, "{}{x:.1},{y:.1} ", if pen_down { "L" } else { "M" });
                let _ = write!(
                    out,
                    r##"<circle cx="{x:.1}" cy="{y:.1}" r="2.5" fill="#1f4e8c"/>"##
                );
                pen_down = true;
            }
            None => pen_down = false,
        }
        // A label every few weeks, so a year's 53 stay legible.
        let every = (points.len() / 12).max(1);
        if i % every == 0 {
            let _ = write!(
                out,
                r#"<text x="{x:.1}" y="{}" text-anchor="middle" font-size="11">{}</text>"#,
                bottom + 16.0,
                escape(&p.label)
            );
        }
    }
    if !path.is_empty() {
        let _ = write!(
            out,
            r##"<path d="{}" fill="none" stroke="#1f4e8c" stroke-width="2"/>"##,
            path.trim_end()
        );
    }
    out.push_str("</svg>");
    out
}

/// Ratings per weekday (rows, Monday first) and hour (columns 0-23):
/// (all, low).
pub type Grid = [[(u64, u64); 24]; 7];

/// The weekday x hour heatmap: the darker a cell, the more ratings; a cell
/// where most ratings were low is outlined in red and marked "!".
/// Only the hours that had a rating are drawn.
pub fn heatmap(grid: &Grid, days: &[&str; 7], title: &str, desc: &str) -> String {
    let hours: Vec<usize> = (0..24)
        .filter(|h| grid.iter().any(|row| row.get(*h).is_some_and(|c| c.0 > 0)))
        .collect();
    let cell = 34.0f64;
    let left = 40.0f64;
    let top = 22.0f64;
    let w = (left + cell * hours.len().max(1) as f64 + 10.0).ceil() as u32;
    let h = (top + cell * 7.0 + 10.0).ceil() as u32;
    let max = grid
        .iter()
        .flat_map(|row| row.iter().map(|c| c.0))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut out = String::new();
    open(&mut out, w, h, title, desc);
    for (col, hour) in hours.iter().enumerate() {
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{}" text-anchor="middle" font-size="11">{hour}</text>"#,
            left + cell * (col as f64 + 0.5),
            top - 6.0
        );
    }
    for (row, (day, cells)) in days.iter().zip(grid).enumerate() {
        let y = top + cell * row as f64;
        let _ = write!(
            out,
            r#"<text x="{}" y="{:.1}" text-anchor="end" font-size="12">{}</text>"#,
            left - 6.0,
            y + cell / 2.0 + 4.0,
            escape(day)
        );
        for (col, hour) in hours.iter().enumerate() {
            let (all, low) = cells.get(*hour).copied().unwrap_or((0, 0));
            let x = left + cell * col as f64;
            // Lightness 97 % (none) to 35 % (most): readable in print too.
            let lightness = 97.0 - 62.0 * (all as f64 / max);
            let mostly_low = all > 0 && low * 2 > all;
            let stroke = if mostly_low {
                r##" stroke="#b3261e" stroke-width="2""##
            } else {
                r##" stroke="#fff""##
            };
            let _ = write!(
                out,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{cell}" height="{cell}" fill="hsl(213,55%,{lightness:.0}%)"{stroke}><title>{}: {hour}:00 – {all}</title></rect>"#,
                escape(day)
            );
            if all > 0 {
                let ink = if lightness < 60.0 { "#fff" } else { "#000" };
                let mark = if mostly_low { "!" } else { "" };
                let _ = write!(
                    out,
                    r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="10" fill="{ink}">{all}{mark}</text>"#,
                    x + cell / 2.0,
                    y + cell / 2.0 + 4.0
                );
            }
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_names_itself_and_carries_every_figure() {
        let svg = distribution(&[1, 0, 2, 10, 30], "Оценки", "1: 1, 5: 30");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("<title>Оценки</title><desc>1: 1, 5: 30</desc>"));
        assert!(svg.contains(">30</text>") && svg.contains(">10</text>"));
        assert_eq!(svg.matches("<rect").count(), 5);
    }

    #[test]
    fn text_is_escaped_and_empty_series_divide_by_nothing() {
        let svg = distribution(&[0; 5], "<script>", "a & b");
        assert!(svg.contains("&lt;script&gt;") && svg.contains("a &amp; b"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        let t = trend(&[], "t", "d");
        assert!(!t.contains("NaN") && !t.contains("<path"));
    }

    #[test]
    fn the_trend_leaves_weeks_without_ratings_as_gaps() {
        let p = |label: &str, count, csat| TrendPoint {
            label: label.into(),
            count,
            csat,
        };
        let svg = trend(
            &[p("1", 4, Some(0.5)), p("2", 0, None), p("3", 2, Some(1.0))],
            "t",
            "d",
        );
        let path = svg.split("<path d=\"").nth(1).unwrap();
        assert_eq!(path.matches('M').count(), 2, "{path}");
        assert_eq!(svg.matches("<circle").count(), 2);
    }

    #[test]
    fn the_heatmap_draws_only_hours_with_ratings_and_marks_mostly_low_cells() {
        let mut grid: Grid = [[(0, 0); 24]; 7];
        grid[0][9] = (4, 3);
        grid[2][14] = (10, 1);
        let days = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Нд"];
        let svg = heatmap(&grid, &days, "t", "d");
        assert_eq!(svg.matches("<rect").count(), 14);
        assert!(svg.contains(">4!</text>") && svg.contains(">10</text>"));
        assert!(svg.contains(">9</text>") && svg.contains(">14</text>"));
    }
}
