//! What `build --merge` takes from a shard. A shard's output is an artifact of another
//! machine (a CI runner), so its member summary is read as untrusted: a listed path is
//! copied only if it stays inside the member's folder (the check deploy makes of a
//! manifest), is a regular file reached through no link, and still has the SHA-256 the
//! summary was written with. Anything else is refused by name and nothing is written.

use std::path::Path;

use super::summary::MemberSummary;
use crate::config::paths::group as gp;
use crate::ground::diagnostics::Diagnostic;
use crate::ground::fs::{safe_path, sha256_hex};
use crate::output::{Body, OutFile};

const HELP: &str = "分片的输出来自别的机器，合并前会逐个核对。请重新运行这个分片的 `gongkai build --shard K/N`，把它的输出原样（不改动文件、不放链接）写在 --merge 后面。";

/// The files of member `slug` that the shard in `dir` holds (its pages, its search
/// records, its summary `x`), each checked; or every problem found, by file.
pub fn shard_files(
    dir: &Path,
    slug: &str,
    x: &MemberSummary,
) -> Result<Vec<OutFile>, Vec<Diagnostic>> {
    use rayon::prelude::*;
    let refuse = |p: &str, what: String| {
        Box::new(Diagnostic::error("merge", dir.join(p).display().to_string(), what).help(HELP))
    };
    let summary = gp::summary(slug);
    let records = gp::search_records(slug);
    let Ok(root) = dunce::canonicalize(dir) else {
        return Err(vec![*refuse("", "无法读取这个分片文件夹".into())]);
    };
    let mut problems = Vec::new();
    if x.slug != slug {
        problems.push(*refuse(
            &summary,
            format!("这个成员摘要写的是成员 `{}`，不是 `{slug}`", x.slug),
        ));
    }
    if let Err(what) = regular(&root, &summary) {
        problems.push(*refuse(&summary, what));
    }
    let prefix = gp::member(slug);
    let checked: Vec<Result<OutFile, Box<Diagnostic>>> = x
        .files
        .par_iter()
        .chain([&records].into_par_iter())
        .map(|p| {
            if !safe_path(p) || (!p.starts_with(&prefix) && *p != records) {
                // Named in the summary that lists it: joined to the shard, it may name
                // any file.
                return Err(refuse(
                    &summary,
                    format!(
                        "成员摘要列出的 `{p}` 不在成员 `{slug}` 的文件夹 {prefix} 里面，不会复制"
                    ),
                ));
            }
            regular(&root, p).map_err(|what| refuse(p, what))?;
            let bytes = std::fs::read(root.join(p))
                .map_err(|e| refuse(p, format!("无法读取：{}", crate::ground::fs::describe(&e))))?;
            match x.hashes.get(p) {
                None => Err(refuse(
                    p,
                    "成员摘要没有记下这个文件的校验值（SHA-256）".into(),
                )),
                Some(h) if *h != sha256_hex(&bytes) => Err(refuse(
                    p,
                    "这个文件在分片构建之后被改动过：内容和成员摘要记下的校验值（SHA-256）不一致"
                        .into(),
                )),
                Some(_) => Ok(OutFile {
                    path: p.clone(),
                    body: Body::Copy(root.join(p)),
                }),
            }
        })
        .collect();
    let mut files = Vec::new();
    for c in checked {
        match c {
            Ok(f) => files.push(f),
            Err(d) => problems.push(*d),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    files.push(OutFile {
        path: summary.clone(),
        body: Body::Copy(root.join(&summary)),
    });
    Ok(files)
}

/// Whether `rel` under `root` (canonical) is a regular file reached through no link.
fn regular(root: &Path, rel: &str) -> Result<(), String> {
    let path = root.join(rel);
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err("这是一个链接，不是普通文件：分片里的链接不会被复制".into());
        }
        Ok(m) if m.is_file() => {}
        Ok(_) => return Err("这不是一个普通文件".into()),
        Err(_) => return Err("分片里没有这个文件".into()),
    }
    match dunce::canonicalize(&path) {
        Ok(real) if real == path => Ok(()),
        _ => Err("这个文件所在的文件夹是一个链接：分片里的链接不会被跟随".into()),
    }
}
