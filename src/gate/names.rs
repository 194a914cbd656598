//! File names every host takes. The files gongkai copies as they are (`static/`,
//! attachments, the files items link to) keep their names in the output, and many
//! government sites are served by IIS on Windows, which refuses some names (`a:b.txt`,
//! `CON.txt`, `what?.txt`, a name ending in a dot or space), reads `\` as a folder, and
//! takes two names that differ only in case or in how a character is composed (NFC and
//! NFD) as one file. Each such name is an error at the file, before anything is
//! published; generated pages are given such names by nobody.

use std::collections::BTreeMap;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use crate::ground::diagnostics::{Diagnostic, Diagnostics};
use crate::ground::fs::{WINDOWS_REFUSED, windows_reserved};
use crate::model::site::Site;

/// A copied file: its output path, the names of its source file and the folders it is
/// in (as the file system has them: `back\slash.txt` is one name), the file to blame,
/// and how to name it there.
struct Copied<'a> {
    path: &'a str,
    names: Vec<String>,
    blame: String,
    what: String,
}

/// The names of `source`'s folders from `root`, and its own.
fn names(root: &Path, source: &Path) -> Vec<String> {
    source
        .strip_prefix(root)
        .unwrap_or(source)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect()
}

fn copied(site: &Site) -> Vec<Copied<'_>> {
    let statics = site.root.join("static");
    let mut all: Vec<Copied> = site
        .static_files
        .iter()
        .map(|s| {
            let names = names(&statics, &s.source);
            Copied {
                path: &s.path,
                blame: format!("static/{}", names.join("/")),
                names,
                what: "static 中的这个文件".into(),
            }
        })
        .collect();
    for (item, list) in site.attachments_by_item() {
        all.extend(list.iter().map(|a| Copied {
            path: &a.path,
            names: names(&site.root, &a.source),
            blame: item.to_string(),
            what: format!("附件 `{}`", a.file_name),
        }));
    }
    for (item, list) in site.resources_by_item() {
        all.extend(list.iter().map(|r| Copied {
            path: &r.path,
            names: names(&site.root, &r.source),
            blame: item.to_string(),
            what: format!(
                "文中链接的文件 `{}`",
                r.path.rsplit('/').next().unwrap_or(&r.path)
            ),
        }));
    }
    all
}

/// What a Windows host makes of one part of a path, if it cannot take it as it is.
fn refused(part: &str) -> Option<String> {
    let bad: String = part
        .chars()
        .filter(|c| WINDOWS_REFUSED.contains(c) || c.is_control())
        .map(|c| if c.is_control() { '□' } else { c })
        .collect();
    if !bad.is_empty() {
        let folder = if bad.contains('\\') {
            "（`\\` 会被当成文件夹的分隔）"
        } else {
            ""
        };
        return Some(format!(
            "名称 `{part}` 含有 Windows 服务器不接受的字符 {bad}{folder}"
        ));
    }
    if part.ends_with('.') || part.ends_with(' ') {
        return Some(format!(
            "名称 `{part}` 以点或空格结尾，Windows 服务器会把它们去掉，链接就找不到文件"
        ));
    }
    if windows_reserved(part) {
        return Some(format!(
            "名称 `{part}` 是 Windows 保留的设备名（CON、PRN、AUX、NUL、COM1、LPT1 等），这样的文件在 Windows 服务器上无法建立"
        ));
    }
    None
}

/// How a Windows host compares names: case and composition do not count.
fn folded(path: &str) -> String {
    path.nfc().collect::<String>().to_lowercase()
}

/// An error for every copied file whose name a Windows host refuses, and for every two
/// copied files (or folders) whose names it takes as one.
pub fn check(site: &Site) -> Diagnostics {
    let mut d = Diagnostics::new();
    // Each folder and file path, folded, with the first spelling seen.
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for c in copied(site) {
        let mut parts = c.names.iter().map(String::as_str).chain(c.path.split('/'));
        if let Some(why) = parts.find_map(refused) {
            d.push(
                Diagnostic::error("file-name", &c.blame, format!("{}：{why}", c.what)).help(
                    "给文件改个名字：只用汉字、字母、数字和 - _ .，不以点或空格结尾，不用 CON、NUL、COM1 这类名字；改名后把引用它的地方一起改掉。",
                ),
            );
            continue;
        }
        let ends = c
            .path
            .match_indices('/')
            .map(|(i, _)| i)
            .chain([c.path.len()]);
        for end in ends {
            let prefix = &c.path[..end];
            match seen.get(folded(prefix).as_str()) {
                Some(first) if *first != prefix => {
                    d.push(
                        Diagnostic::error(
                            "file-name",
                            &c.blame,
                            format!(
                                "{}：`{prefix}` 和 `{first}` 只差大小写或字符的写法，在 Windows 服务器上是同一个{}，一个会覆盖另一个",
                                c.what,
                                if end == c.path.len() { "文件" } else { "文件夹" }
                            ),
                        )
                        .help("把其中一个改成明显不同的名字（不要只改大小写），改名后把引用它的地方一起改掉。"),
                    );
                    break;
                }
                Some(_) => {}
                None => {
                    seen.insert(folded(prefix), prefix);
                }
            }
        }
    }
    d
}
