//! The commands: each file parses its own arguments (clap), calls into the library and
//! prints what happened. Nothing else in gongkai prints; errors are printed in one place,
//! [`report_error`], and every command's outcome becomes an exit code here.

pub mod build;
pub mod deploy;
pub mod import;
pub mod init;
pub mod new;
pub mod serve;
pub mod words;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

use gongkai::build::{OnProgress, Summary};

/// How a command ended, as the shell sees it.
pub enum Outcome {
    Success,
    /// Problems were found (and printed): exit 1.
    Problems,
    /// The input could not be used at all (import of something that is not a report): 2.
    Unusable,
    /// Done in part: some members of a portal group failed and kept their last output
    /// while the others were published (`build --keep-going`), or some members' deploys
    /// were refused while the others went out: 3.
    Partly,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        match o {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Problems => ExitCode::FAILURE,
            Outcome::Unusable => ExitCode::from(2),
            Outcome::Partly => ExitCode::from(3),
        }
    }
}

/// Prints a command's error, with its causes, to stderr.
pub fn report_error(e: &anyhow::Error) {
    eprintln!("错误：{}", gongkai::ground::fs::error_text(e));
}

/// Whether stderr is an interactive terminal (progress counters only make sense there).
pub fn on_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// A progress counter for long renders, on a terminal only.
pub fn progress_counter() -> Option<OnProgress> {
    on_terminal().then(|| {
        OnProgress(Arc::new(|done: usize, total: usize| {
            if done.is_multiple_of(200) || done == total {
                eprint!("\r渲染页面 {done}/{total}");
                if done == total {
                    eprintln!();
                }
                let _ = std::io::stderr().flush();
            }
        }))
    })
}

/// Prints the diagnostics (when `list`) and a one-line summary of a build or check.
pub fn print_summary(summary: &Summary, action: &str, list: bool) {
    let mut err = std::io::stderr().lock();
    for d in summary.diagnostics.sorted().into_iter().filter(|_| list) {
        let _ = writeln!(err, "{d}");
    }
    let e = summary.diagnostics.error_count();
    let w = summary.diagnostics.warning_count();
    let secs = summary.elapsed.as_secs_f64();
    if summary.failed() {
        let _ = writeln!(
            err,
            "{action}失败：{e} 个错误，{w} 个警告。输出文件夹保持原样。"
        );
        return;
    }
    if let Some(fonts) = &summary.pdf_fonts {
        let _ = writeln!(err, "年度报告 PDF 字体：{fonts}");
    }
    let written = match summary.written {
        Some(_) if summary.up_to_date => "，内容没有变化，未写入任何文件".to_string(),
        Some(s) if summary.kept > 0 => format!(
            "，{} 个文件有变化；{} 个页面的内容和模板都没有变，未重新生成",
            s.changed, summary.kept
        ),
        Some(s) => format!("，{} 个文件有变化", s.changed),
        None => String::new(),
    };
    let _ = writeln!(
        err,
        "{action}完成：{} 个页面（共 {} 个文件{written}），{} 份年度报告，{} 条新闻，{} 条公开信息，{w} 个警告，用时 {secs:.2} 秒。",
        summary.pages, summary.files, summary.reports, summary.news, summary.disclosure
    );
    if !summary.drafts.is_empty() {
        let _ = writeln!(
            err,
            "草稿，没有发布（写好后删去其中的 draft: true 一行）：{}",
            summary.drafts.join("、")
        );
    }
    print_held(&mut err, &summary.decision, list);
}

/// What the gate held back: 定时发布 items (the count and the earliest day), items that
/// wait for their sign-off (the count; with `list`, each with whom it waits for).
pub fn print_held(err: &mut impl Write, decision: &gongkai::gate::Decision, list: bool) {
    use gongkai::gate::Why;
    let scheduled: Vec<_> = decision.scheduled().collect();
    if let Some(first) = decision.next_due() {
        let _ = writeln!(
            err,
            "定时发布：{} 条，最早 {}（到那一天或之后再构建一次就会发布）",
            scheduled.len(),
            first.ymd()
        );
        for h in scheduled.iter().filter(|_| list) {
            if let Why::Scheduled { date } = &h.why {
                let _ = writeln!(err, "  {}《{}》：{} 发布", h.file, h.title, date.ymd());
            }
        }
    }
    let unsigned: Vec<_> = decision.unsigned().collect();
    if unsigned.is_empty() {
        return;
    }
    let _ = writeln!(
        err,
        "待审核签发，没有发布：{} 条（site.toml 的 [review] 要求先审后发；在前置信息的 review 中写全撰稿、审核、保密审查、签发和签发日期）",
        unsigned.len()
    );
    for h in unsigned.iter().filter(|_| list) {
        if let Why::Unsigned { missing } = &h.why {
            let _ = writeln!(
                err,
                "  {}《{}》：{}，还缺 {}",
                h.file,
                h.title,
                gongkai::gate::review::waiting_for(missing),
                missing.join("、")
            );
        }
    }
}

/// Prints a group build's or check's problems (when `list`), each member's under its
/// name, then the group's, and a summary: what was not updated, the PDF fonts, the
/// counts. The warnings of members reused unchanged were printed by the build that made
/// them: they are counted, not printed again.
pub fn print_group_summary(
    summary: &gongkai::group::build::GroupSummary,
    action: &str,
    list: bool,
) {
    let mut err = std::io::stderr().lock();
    let (mut quiet_members, mut quiet_warnings) = (0, 0);
    for m in summary.members.iter().filter(|_| list) {
        if m.diagnostics.is_empty() {
            continue;
        }
        if !m.rebuilt && !m.diagnostics.has_errors() && !summary.merged {
            quiet_members += 1;
            quiet_warnings += m.diagnostics.warning_count();
            continue;
        }
        let _ = writeln!(err, "【成员 {}（{}，{}）】", m.name, m.slug, m.rel);
        for d in m.diagnostics.sorted() {
            let _ = writeln!(err, "{d}");
        }
    }
    if list && !summary.diagnostics.is_empty() {
        let _ = writeln!(err, "【门户】");
        for d in summary.diagnostics.sorted() {
            let _ = writeln!(err, "{d}");
        }
    }
    let count = |f: fn(&gongkai::ground::diagnostics::Diagnostics) -> usize| {
        f(&summary.diagnostics)
            + summary
                .members
                .iter()
                .map(|m| f(&m.diagnostics))
                .sum::<usize>()
    };
    let (e, w) = (
        count(gongkai::ground::diagnostics::Diagnostics::error_count),
        count(gongkai::ground::diagnostics::Diagnostics::warning_count),
    );
    let secs = summary.elapsed.as_secs_f64();
    if summary.failed() && !summary.partly_written() {
        let _ = writeln!(
            err,
            "{action}失败：{e} 个错误，{w} 个警告。输出文件夹保持原样。"
        );
        if summary.members.iter().any(|m| m.diagnostics.has_errors()) && action == "构建" {
            let _ = writeln!(
                err,
                "要让其余成员照常发布、出错的成员保留上次的网站，加上 --keep-going（见 docs/groups.md）。"
            );
        }
        return;
    }
    if quiet_warnings > 0 {
        let _ = writeln!(
            err,
            "另有 {quiet_members} 个没有变化的成员的 {quiet_warnings} 个警告，上次构建时已经列出，这次不再重复；要再看全部警告，运行 gongkai check（机器可读：gongkai check --format json）。"
        );
    }
    print_not_updated(&mut err, summary);
    let mut held = gongkai::gate::Decision::default();
    for m in &summary.members {
        held.held.extend(m.decision.held.iter().cloned());
    }
    print_held(&mut err, &held, list);
    for (fonts, who) in summary.pdf_fonts() {
        let whose = if who.len() == summary.members.len() {
            String::new()
        } else {
            format!("（{}）", who.join("、"))
        };
        let _ = writeln!(err, "年度报告 PDF 字体{whose}：{fonts}");
    }
    if summary.remade_missing > 0 {
        let _ = writeln!(
            err,
            "{} 个成员上次没能生成全部文件（缺少中文字体时的年度报告 PDF），这次重新构建。",
            summary.remade_missing
        );
    }
    let rebuilt = summary
        .members
        .iter()
        .filter(|m| m.rebuilt && !m.diagnostics.has_errors())
        .count();
    let stale = summary.not_updated.len();
    let reused = summary.members.len() - rebuilt - stale;
    let members = if summary.merged {
        format!("{} 个成员（从分片的输出合并）", summary.members.len())
    } else if reused + stale > 0 {
        format!(
            "{} 个成员（{rebuilt} 个重新生成，{reused} 个没有变化、沿用上次的结果{}{}）",
            summary.members.len(),
            if stale > 0 {
                format!("，{stale} 个没有更新")
            } else {
                String::new()
            },
            if summary.index_updated {
                "；门户搜索索引只更新了改动的部分"
            } else {
                ""
            }
        )
    } else {
        format!("{} 个成员", summary.members.len())
    };
    let written = match summary.written {
        Some(_) if summary.up_to_date => "，内容没有变化，未写入任何文件".to_string(),
        Some(s) => format!("，{} 个文件有变化", s.changed),
        None => String::new(),
    };
    let as_of = summary
        .as_of
        .as_ref()
        .map(|d| format!("，年度报告按 {d} 判断是否逾期"))
        .unwrap_or_default();
    let done = if summary.partly_written() {
        "部分完成"
    } else {
        "完成"
    };
    let errors = if e > 0 {
        format!("{e} 个错误，")
    } else {
        String::new()
    };
    let _ = writeln!(
        err,
        "{action}{done}：{members}，{} 个页面（共 {} 个文件{written}），{} 条内容，{errors}{w} 个警告{as_of}，用时 {secs:.2} 秒。",
        summary.pages, summary.files, summary.items
    );
}

/// The members a group build did not update, and what the output holds of each.
fn print_not_updated(err: &mut impl Write, summary: &gongkai::group::build::GroupSummary) {
    let (failed, skipped): (Vec<_>, Vec<_>) =
        summary.not_updated.iter().partition(|n| n.errors > 0);
    let kept = |n: &gongkai::output::record::NotUpdated| match n.kept_from {
        Some(d) => format!("输出中保留它 {} 构建的网站", d.ymd()),
        None => "输出中没有它的网站".into(),
    };
    if !failed.is_empty() {
        let _ = writeln!(
            err,
            "{} 个成员出错，没有更新（其余成员照常生成；发布时 gongkai deploy 拒绝发布这些成员）：",
            failed.len()
        );
        for n in &failed {
            let _ = writeln!(
                err,
                "  {}（{}，{}）：{} 个错误，{}；第一个错误：{}",
                n.name,
                n.slug,
                n.rel,
                n.errors,
                kept(n),
                n.first_error
            );
        }
    }
    if !skipped.is_empty() {
        let _ = writeln!(
            err,
            "{} 个成员的源文件有改动，但这次只构建了 --member 指定的成员，它们没有更新（发布时 gongkai deploy 拒绝发布这些成员）：",
            skipped.len()
        );
        for n in &skipped {
            let _ = writeln!(err, "  {}（{}，{}）：{}", n.name, n.slug, n.rel, kept(n));
        }
    }
}
