//! The command line in the editor's words. clap writes its headings, its help and version
//! flags and its errors in English; an editor who types `gongkai biuld` or leaves out a
//! folder reads here, in Chinese, what is wrong and what would be right.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// `command` and each command under it, with Chinese headings, flags and value names.
pub fn chinese(command: Command) -> Command {
    let version = command.get_version().is_some();
    let mut command = command
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助"),
        );
    if version {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本"),
        );
    }
    command
        .mut_args(|a| {
            let heading = if a.is_positional() {
                "参数"
            } else {
                "选项"
            };
            let a = with_defaults_told(a.help_heading(heading));
            match a
                .get_value_names()
                .and_then(|v| v.first())
                .map(|v| v.as_str())
            {
                Some(name) => match value_name(name) {
                    Some(zh) => a.value_name(zh),
                    None => a,
                },
                None => match value_name(&a.get_id().as_str().to_uppercase()) {
                    Some(zh) if a.get_action().takes_values() => a.value_name(zh),
                    _ => a,
                },
            }
        })
        .mut_subcommands(chinese)
}

/// `a` with its default and its possible values said in its help, in Chinese, instead of
/// clap's `[default: .]` and `[possible values: …]`.
fn with_defaults_told(a: Arg) -> Arg {
    if !a.get_action().takes_values() {
        return a;
    }
    let mut help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let possible: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !possible.is_empty() && !a.is_hide_possible_values_set() {
        help.push_str(&format!("（可以写：{}）", possible.join("、")));
    }
    match defaults.as_slice() {
        [] => {}
        [d] if d == "." => help.push_str("（默认：当前文件夹）"),
        ds if !a.is_hide_default_value_set() => {
            help.push_str(&format!("（默认：{}）", ds.join("、")))
        }
        _ => {}
    }
    a.help(help)
        .hide_default_value(true)
        .hide_possible_values(true)
}

/// The placeholder of a value in the help, in Chinese.
fn value_name(name: &str) -> Option<&'static str> {
    Some(match name {
        "ROOT" | "OUT" | "DIR" => "文件夹",
        "FILE" | "FILES" => "文件",
        "FILE.html" => "文件.html",
        "FILE.csv" => "文件.csv",
        "BASE_URL" => "网址",
        "SLUG" => "成员代码",
        "SHARD" => "K/N",
        "FORMAT" => "格式",
        "NAME" => "名称",
        "AGENCY" => "机关名称",
        "YEAR" => "年度",
        "BIND" => "地址",
        "PORT" => "端口",
        "TITLE" => "标题",
        "CATEGORY" => "分类",
        "COLUMN" => "栏目",
        "DATE" => "日期",
        _ => return None,
    })
}

/// The arguments as given, `gongkai help build` read as `gongkai build --help`.
pub fn args() -> Vec<OsString> {
    let mut args: Vec<OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "help") {
        args.remove(1);
        args.push("--help".into());
    }
    args
}

/// Prints `e` in Chinese (help and version as they are) and ends the program with clap's
/// exit code: 0 for help and version, 2 for a command line that cannot be used.
pub fn exit(e: clap::Error) -> ! {
    match e.kind() {
        ErrorKind::DisplayVersion => e.exit(),
        ErrorKind::DisplayHelp => {
            print!("{}", localized(&e.render().to_string()));
            std::process::exit(0)
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprint!("{}", localized(&e.render().to_string()));
            std::process::exit(e.exit_code())
        }
        _ => {}
    }
    eprintln!("错误：{}", message(&e));
    if let Some(usage) = e.get(ContextKind::Usage) {
        let usage = usage.to_string();
        let usage = usage.trim().trim_start_matches("Usage:").trim();
        eprintln!("用法：{}", localized(usage));
    }
    eprintln!("加上 --help 可以看到全部命令和选项的说明。");
    std::process::exit(e.exit_code())
}

/// What clap writes on its own in a help or a usage, in Chinese.
fn localized(text: &str) -> String {
    text.replace("[OPTIONS]", "[选项]")
        .replace("\n参数:\n", "\n参数：\n")
        .replace("\n选项:\n", "\n选项：\n")
        .replace("\n命令:\n", "\n命令：\n")
}

fn message(e: &clap::Error) -> String {
    let one = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let many = |kind| match e.get(kind) {
        Some(ContextValue::Strings(v)) => v.iter().map(|s| format!("`{s}`")).collect(),
        Some(ContextValue::String(s)) => vec![format!("`{s}`")],
        _ => Vec::new(),
    };
    let suggested = |kind| {
        let s = many(kind);
        match s.is_empty() {
            true => String::new(),
            false => format!("；是不是 {}？", s.join("、")),
        }
    };
    let arg = one(ContextKind::InvalidArg);
    let value = one(ContextKind::InvalidValue);
    match e.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "没有 `{}` 这个命令{}",
            one(ContextKind::InvalidSubcommand),
            suggested(ContextKind::SuggestedSubcommand)
        ),
        ErrorKind::UnknownArgument => {
            format!("不认识 `{arg}`{}", suggested(ContextKind::SuggestedArg))
        }
        ErrorKind::MissingRequiredArgument => {
            format!("缺少 {}", many(ContextKind::InvalidArg).join("、"))
        }
        ErrorKind::MissingSubcommand => "缺少要做的事（命令）".into(),
        ErrorKind::InvalidValue if value.is_empty() => format!("`{arg}` 后面要写一个值"),
        ErrorKind::InvalidValue => {
            let valid = many(ContextKind::ValidValue);
            match valid.is_empty() {
                true => format!("`{arg}` 的值 `{value}` 不对"),
                false => format!("`{arg}` 的值 `{value}` 不对；可以写：{}", valid.join("、")),
            }
        }
        ErrorKind::ValueValidation => {
            // Our own parsers say in Chinese what is wrong; the standard ones in English,
            // and only numbers are read by them.
            let why = std::error::Error::source(e).map(|s| s.to_string());
            match why {
                Some(why) if why.chars().any(gongkai::ground::text::is_cjk) => why,
                Some(why) if why.contains("digit") || why.contains("number") => {
                    format!("`{arg}` 要写一个数字，而不是 `{value}`")
                }
                _ => format!("`{arg}` 的值 `{value}` 不对"),
            }
        }
        ErrorKind::ArgumentConflict => format!(
            "`{arg}` 和 {} 不能同时使用",
            many(ContextKind::PriorArg).join("、")
        ),
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("`{arg}` 的值的个数不对")
        }
        ErrorKind::NoEquals => format!("`{arg}` 的写法不对"),
        ErrorKind::InvalidUtf8 => "命令行里有无法识别的字符".into(),
        _ => {
            let text = e.render().to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ");
            format!("命令行有误（{first}）")
        }
    }
}
