//! Compiles the Slint interface in `ui/` with the Bulgarian translation
//! bundled, so the kiosk never depends on the system's locale or fonts.

fn main() {
    // Debug info keeps `accessible-label` lookups working in the headless
    // UI tests; it costs nothing at run time.
    let config = slint_build::CompilerConfiguration::new()
        .with_style("fluent-light".into())
        .with_bundled_translations("lang")
        .with_default_translation_context(slint_build::DefaultTranslationContext::None)
        .with_debug_info(true);
    if let Err(err) = slint_build::compile_with_config("ui/app.slint", config) {
        eprintln!("cannot compile the Slint interface: {err}");
        std::process::exit(1);
    }
    println!("cargo:rerun-if-changed=lang");
}
