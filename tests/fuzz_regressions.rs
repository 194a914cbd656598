//! The fuzz targets' inputs as ordinary tests: every input a fuzzer found a bug with
//! (`fuzz/regressions/TARGET/`) and the seed corpora (`fuzz/seeds/TARGET/`), run through
//! the same code the fuzz targets run (`fuzz/targets.rs`). CI does not fuzz; this keeps
//! each fixed bug fixed. See fuzz/README.md.

#[path = "../fuzz/targets.rs"]
mod targets;

use std::path::Path;

/// Runs `target` on every file of `fuzz/regressions/NAME/` and `fuzz/seeds/NAME/`, and
/// says which input failed.
fn replay(name: &str, target: fn(&[u8])) {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut count = 0;
    for dir in ["regressions", "seeds"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(name)) else {
            continue;
        };
        let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        files.sort();
        for f in files {
            let data = std::fs::read(&f).unwrap();
            let run = std::panic::catch_unwind(|| target(&data));
            assert!(run.is_ok(), "{} fails", f.display());
            count += 1;
        }
    }
    assert!(count > 0, "no inputs for {name}");
}

#[test]
fn report_yaml() {
    replay("report_yaml", targets::report_yaml);
}

#[test]
fn front_matter() {
    replay("front_matter", targets::front_matter);
}

#[test]
fn site_toml() {
    replay("site_toml", targets::site_toml);
}

#[test]
fn markdown() {
    replay("markdown", targets::markdown);
}

#[test]
fn search() {
    replay("search", targets::search);
}

#[test]
fn import() {
    replay("import", targets::import);
}

#[test]
fn pdf() {
    replay("pdf", targets::pdf);
}

#[test]
fn docx() {
    replay("docx", targets::docx);
}

#[test]
fn merge() {
    replay("merge", targets::merge);
}
