//! Runs the real `gongkai` binary on site folders, and writes the files a test needs
//! into them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary, ready for arguments.
pub fn gongkai() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

/// A fontconfig file `fonts.conf` in `dir` that names the folder `fonts` only: a run given
/// it as `FONTCONFIG_FILE` sees no other font (none at all, when the folder is empty).
pub fn fontconfig_of(dir: &Path, fonts: &Path) -> PathBuf {
    let conf = dir.join("fonts.conf");
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<fontconfig><dir>{}</dir></fontconfig>\n",
        fonts.display()
    );
    std::fs::write(&conf, xml).unwrap();
    conf
}

/// Runs the binary with `args` in the folder `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    gongkai()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the gongkai binary runs")
}

/// Runs the binary with `args` on the site at `root` (`--root root`).
pub fn run_at(root: &Path, args: &[&str]) -> Output {
    gongkai()
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("the gongkai binary runs")
}

/// The stderr of a run that succeeded.
pub fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", stderr(&o));
    stderr(&o)
}

/// What the binary printed on stderr (where every message goes).
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Writes `text` to `root/rel`, creating its folders.
pub fn write(root: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Reads `root/rel` as text.
pub fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A small PNG picture (1×1 pixel).
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// `gongkai build --out out` of the site at `root`, with `extra` arguments.
pub fn build_into(root: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    run_at(root, &args)
}

/// Gives the file at `path` the time `when`, as if last saved then.
pub fn set_time(path: &Path, when: std::time::SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(when)
        .unwrap();
}

/// Adds `text` as a paragraph of its own at the end of `root/rel`.
pub fn append_paragraph(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    let old = std::fs::read_to_string(&p).unwrap();
    std::fs::write(p, format!("{old}\n{text}\n")).unwrap();
}

/// Sets the time of every file under `dir` an hour back: a file saved in the last
/// seconds before a load is not kept (a coarse clock could give the next save the same
/// time), and an editor's files are older than that.
pub fn settle(dir: &Path) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            set_time(e.path(), then);
        }
    }
}

/// Gives the file at `path` new text of the same length (`from` → `to`) and its old time
/// back: its stamp says it did not change.
pub fn rewrite_behind_the_stamp(path: &Path, from: &str, to: &str) {
    let when = std::fs::metadata(path).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from) && from.len() == to.len());
    std::fs::write(path, text.replace(from, to)).unwrap();
    set_time(path, when);
}
