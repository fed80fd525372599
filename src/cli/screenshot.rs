//! `kiosk screenshot`: draws screens to PNG with the software renderer and
//! no display, in either language and at any size.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Parser;
use kiosk::domain::Lang;
use kiosk::ui::screenshot::{Offscreen, names};

/// The sizes `--all` draws: the Pi's 10" display, a 7" one, and portrait.
const ALL_SIZES: [(u32, u32); 3] = [(1280, 800), (800, 480), (720, 1280)];

#[derive(Debug, Parser)]
pub struct Args {
    /// The screen to draw (see --list)
    #[arg(long, required_unless_present_any = ["all", "list"])]
    screen: Option<String>,
    /// bg or en
    #[arg(long, default_value = "bg")]
    lang: String,
    /// Width x height in pixels, e.g. 1280x800
    #[arg(long, default_value = "1280x800")]
    size: String,
    /// Draw in large-text mode
    #[arg(long)]
    large_text: bool,
    /// The PNG file to write
    #[arg(long, required_unless_present_any = ["all", "list"])]
    out: Option<PathBuf>,
    /// Every screen, both languages, all three sizes (and large text at 1280x800)
    #[arg(long, requires = "out_dir")]
    all: bool,
    /// Where --all writes its files
    #[arg(long)]
    out_dir: Option<PathBuf>,
    /// Print the screens' names
    #[arg(long)]
    list: bool,
    /// Also write, as JSON, where each element with an accessible label lies
    /// on the drawn screen (label, role, x, y, width, height in pixels)
    #[arg(long, value_name = "FILE.json", conflicts_with = "all")]
    elements: Option<PathBuf>,
}

fn parse_lang(s: &str) -> anyhow::Result<Lang> {
    match s {
        "bg" => Ok(Lang::Bg),
        "en" => Ok(Lang::En),
        other => bail!("--lang {other:?}: write bg or en"),
    }
}

fn parse_size(s: &str) -> anyhow::Result<(u32, u32)> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .with_context(|| format!("--size {s:?}: write WIDTHxHEIGHT, e.g. 1280x800"))?;
    let (w, h): (u32, u32) = (w.trim().parse()?, h.trim().parse()?);
    if !(200..=4000).contains(&w) || !(200..=4000).contains(&h) {
        bail!("--size {s:?}: each side must be 200 to 4000 pixels");
    }
    Ok((w, h))
}

pub fn run(config: Option<&std::path::Path>, args: &Args) -> anyhow::Result<ExitCode> {
    if args.list {
        for n in names() {
            println!("{n}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let (_, config) = match super::load_config(config) {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let offscreen = Offscreen::new(&config)?;
    if args.all {
        let dir = args.out_dir.clone().unwrap_or_default();
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut count = 0;
        for name in names() {
            for lang in [Lang::Bg, Lang::En] {
                let code = if lang == Lang::Bg { "bg" } else { "en" };
                for (w, h) in ALL_SIZES {
                    let large_variants: &[bool] = if (w, h) == (1280, 800) {
                        &[false, true]
                    } else {
                        &[false]
                    };
                    for &large in large_variants {
                        offscreen.prepare(name, lang, large)?;
                        let frame = offscreen.draw(w, h);
                        let suffix = if large { "-large" } else { "" };
                        frame.save_png(&dir.join(format!("{name}-{code}-{w}x{h}{suffix}.png")))?;
                        count += 1;
                    }
                }
            }
        }
        println!("{count} screenshots in {}", dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(name), Some(out)) = (&args.screen, &args.out) else {
        bail!("give --screen NAME --out FILE.png, or --all --out-dir DIR");
    };
    let lang = parse_lang(&args.lang)?;
    let (w, h) = parse_size(&args.size)?;
    offscreen.prepare(name, lang, args.large_text)?;
    offscreen.draw(w, h).save_png(out)?;
    println!("{}", out.display());
    if let Some(path) = &args.elements {
        let json = serde_json::to_string_pretty(&offscreen.labelled_elements())?;
        std::fs::write(path, json + "\n").with_context(|| format!("writing {}", path.display()))?;
        println!("{}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
