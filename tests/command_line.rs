//! The command line itself, from the real binary: its help and its mistakes (a misspelt
//! command, a folder left out, a word where a number goes) told in Chinese, never in
//! clap's English.

#[path = "support/cli.rs"]
mod cli;

use std::process::Output;

use cli::stderr;

fn run(args: &[&str]) -> Output {
    cli::gongkai().args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Words clap writes on its own that an editor should not meet.
const ENGLISH: [&str; 9] = [
    "error:",
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "Print help",
    "[default",
    "[possible",
    "[OPTIONS]",
];

fn in_chinese(text: &str) {
    for word in ENGLISH {
        assert!(!text.contains(word), "{word:?} in:\n{text}");
    }
}

#[test]
fn every_commands_help_is_in_chinese() {
    let commands: [&[&str]; 12] = [
        &[],
        &["build"],
        &["check"],
        &["serve"],
        &["init"],
        &["deploy"],
        &["import"],
        &["new"],
        &["new", "report"],
        &["new", "website-report"],
        &["new", "news"],
        &["new", "item"],
    ];
    for command in commands {
        let o = run(&[command, &["--help"]].concat());
        assert!(o.status.success(), "{command:?}: {}", stderr(&o));
        let help = stdout(&o);
        in_chinese(&help);
        assert!(help.contains("用法：gongkai"), "{command:?}:\n{help}");
        assert!(help.contains("显示帮助"), "{command:?}:\n{help}");
        // `gongkai help …` is the same help.
        let o = run(&[&["help"], command].concat());
        assert_eq!(stdout(&o), help, "{command:?}");
    }
    let help = stdout(&run(&["serve", "--help"]));
    assert!(help.contains("（默认：当前文件夹）"), "{help}");
    assert!(help.contains("（默认：1111）"), "{help}");
    let help = stdout(&run(&["check", "--help"]));
    assert!(help.contains("（可以写：text、json）"), "{help}");
    let o = run(&["--version"]);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("gongkai "), "{}", stdout(&o));
}

#[test]
fn mistakes_on_the_command_line_are_told_in_chinese() {
    for (args, told) in [
        (
            &["biuld"][..],
            "错误：没有 `biuld` 这个命令；是不是 `build`？",
        ),
        (&["init"], "错误：缺少 `<文件夹>`"),
        (
            &["build", "--rot", "."],
            "错误：不认识 `--rot`；是不是 `--root`？",
        ),
        (
            &["build", "--root"],
            "错误：`--root <文件夹>` 后面要写一个值",
        ),
        (
            &["serve", "--port", "八〇八〇"],
            "错误：`--port <端口>` 要写一个数字，而不是 `八〇八〇`",
        ),
        (
            &["check", "--format", "xml"],
            "错误：`--format <格式>` 的值 `xml` 不对；可以写：`text`、`json`",
        ),
        // Our own parsers' words are kept.
        (&["build", "--shard", "9"], "错误：--shard 要写成 K/N"),
        (
            &["check", "--as-of", "2024/1/1"],
            "错误：`2024/1/1` 不是日期",
        ),
        (&["build", "--shard", "1/2", "--merge", "a"], "不能同时使用"),
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        in_chinese(&err);
        assert!(err.contains(told), "{args:?}:\n{err}");
        assert!(err.contains("加上 --help"), "{args:?}:\n{err}");
    }
}
