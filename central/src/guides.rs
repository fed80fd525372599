//! The printable guides in Bulgarian, made from the Markdown sources in
//! `deploy/guides/`: `kiosk-central guides --out DIR` writes one HTML page
//! per guide, laid out for one A4 sheet (open it and print, or print to
//! PDF from the browser). The sources are built in, so the command needs
//! no checkout.

use std::path::Path;

use pulldown_cmark::{Options, Parser, html};

/// (file name, Markdown) of each guide.
pub const GUIDES: [(&str, &str); 2] = [
    ("clerk", include_str!("../../deploy/guides/clerk.md")),
    (
        "kiosk-staff",
        include_str!("../../deploy/guides/kiosk-staff.md"),
    ),
];

const STYLE: &str = "@page { size: A4; margin: 14mm 14mm 12mm 18mm; }
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; line-height: 1.32; color: #000; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 15pt; margin: 0 0 6pt; border-bottom: 1.5pt solid #000; }
h2 { font-size: 11.5pt; margin: 8pt 0 3pt; }
ul { margin: 0 0 4pt; padding-left: 14pt; }
li { margin: 1.5pt 0; }
p { margin: 2pt 0; }
table { border-collapse: collapse; margin: 3pt 0; }
th, td { border: 0.7pt solid #555; padding: 2pt 5pt; vertical-align: top; text-align: left; }
code { font-family: 'DejaVu Sans Mono', monospace; font-size: 9pt; }";

/// A guide's Markdown as a whole HTML page. The sources are the project's
/// own, so raw HTML in them is passed through as written.
pub fn page(markdown: &str) -> String {
    let title = markdown
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .unwrap_or("Ръководство");
    let mut body = String::new();
    html::push_html(&mut body, Parser::new_ext(markdown, Options::ENABLE_TABLES));
    format!(
        "<!doctype html>\n<html lang=\"bg\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        crate::figures::svg::escape(title)
    )
}

/// Writes every guide into `dir` as NAME.html; the paths written.
pub fn write_all(dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir)?;
    GUIDES
        .iter()
        .map(|(name, md)| {
            let path = dir.join(format!("{name}.html"));
            std::fs::write(&path, page(md))?;
            Ok(path)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_guide_is_one_bulgarian_page_with_its_tables() {
        for (name, md) in GUIDES {
            let html = page(md);
            assert!(
                html.starts_with("<!doctype html>") && html.contains("lang=\"bg\""),
                "{name}"
            );
            assert!(html.contains("<h1>") && html.contains("size: A4"), "{name}");
            // One sheet: the sources stay short.
            assert!(
                md.chars().count() < 5200,
                "{name} is {} characters",
                md.chars().count()
            );
        }
        assert!(page(GUIDES[1].1).contains("<table>"));
    }
}
