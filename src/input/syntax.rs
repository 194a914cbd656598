//! YAML and TOML errors in plain Chinese: what is wrong, on the line where the editor
//! made the slip, and how to fix it.
//!
//! The parsers say "could not find expected ':'" a line after a full-width colon, or
//! "found a tab character that violates indentation". Slips of Chinese typing (a
//! full-width colon or space, a tab, a missing space after the colon) are looked for
//! first, at their own line; otherwise the parser's message is put in words an editor
//! reads, at the place it names (the start of an unclosed quote or bracket, not the end
//! of the file).

use std::ops::Range;

use crate::ground::diagnostics::{Diagnostic, Pos};

/// A problem found in a document's text, before its file and line offset are known.
struct Problem {
    /// 1-based line and column in the text.
    pos: Option<Pos>,
    message: String,
    help: String,
}

impl Problem {
    fn new(pos: Option<Pos>, message: impl Into<String>, help: impl Into<String>) -> Self {
        Problem {
            pos,
            message: message.into(),
            help: help.into(),
        }
    }

    fn diagnostic(self, code: &'static str, file: &str, line_offset: usize) -> Diagnostic {
        Diagnostic::error(code, file, self.message)
            .at(self.pos.map(|p| Pos::new(p.line + line_offset, p.col)))
            .help(self.help)
    }
}

/// The errors for YAML text (of `file`, starting after `line_offset` lines) that could
/// not be read: the typing slips in it, or else the parser's error in Chinese.
pub fn yaml_errors(
    e: &serde_yaml::Error,
    text: &str,
    file: &str,
    line_offset: usize,
) -> Vec<Diagnostic> {
    let mut problems = control_lines(text);
    problems.extend(yaml_slips(text));
    // The parser's own error, unless it is where a slip is (the slip is its cause).
    let parsed = yaml_problem(e, text);
    let context = split_message(&e.to_string()).context_pos;
    let lines: Vec<usize> = [
        parsed.pos,
        context,
        e.location().map(|l| Pos::new(l.line(), 1)),
    ]
    .into_iter()
    .flatten()
    .map(|p| p.line)
    .collect();
    if !problems
        .iter()
        .any(|s| s.pos.is_some_and(|p| lines.contains(&p.line)))
    {
        problems.push(parsed);
    }
    problems
        .into_iter()
        .map(|p| p.diagnostic("yaml", file, line_offset))
        .collect()
}

/// The error for TOML text that could not be read, from the parser's message and span.
pub fn toml_error(
    message: &str,
    span: Option<Range<usize>>,
    text: &str,
    file: &str,
    line_offset: usize,
) -> Diagnostic {
    let pos = span.as_ref().map(|s| Pos::of_offset(text, s.start));
    let line = pos
        .and_then(|p| text.lines().nth(p.line - 1))
        .unwrap_or("")
        .trim();
    if let Some(c) = line.chars().find(|c| crate::ground::text::is_control(*c)) {
        return control_problem(pos.map(|p| Pos::new(p.line, 1)), c).diagnostic(
            "toml",
            file,
            line_offset,
        );
    }
    let key = line.split(['=', '：']).next().unwrap_or("").trim();
    let full_width_colon = line.contains('：') && !line.contains('=');
    let pos = match (pos, full_width_colon) {
        (Some(p), true) => text.lines().nth(p.line - 1).and_then(|l| {
            l.chars()
                .position(|c| c == '：')
                .map(|i| Pos::new(p.line, i + 1))
        }),
        _ => pos,
    };
    let (msg, help): (String, String) = if full_width_colon {
        (
            "这一行用了中文冒号“：”；site.toml 的写法是“键 = 值”".into(),
            format!(
                "改成 {} = \"…\"（等号两边各一个空格，文字用英文双引号）。",
                key
            ),
        )
    } else if message.contains("invalid unquoted key") && !key.is_ascii() {
        let quoted = quoted_header(key).unwrap_or_else(|| format!("\"{key}\" = …"));
        (
            format!("中文键名 `{key}` 要加英文双引号"),
            format!("写成 {quoted}；也可以写英文键名（见使用指南）。"),
        )
    } else if unquoted_word(message) {
        let value = line.split_once('=').map_or("", |(_, v)| v.trim());
        if ["true", "false"]
            .iter()
            .any(|b| value.eq_ignore_ascii_case(b))
        {
            (
                format!("`{value}` 要写成小写"),
                format!("改成 {key} = {}。", value.to_ascii_lowercase()),
            )
        } else if value.starts_with(['“', '”', '‘', '’']) {
            (
                "文字用了中文引号“”；要用英文双引号 \"".into(),
                format!(
                    "改成 {key} = \"{}\"。",
                    value.trim_matches(['“', '”', '‘', '’'])
                ),
            )
        } else if value.is_empty() {
            (
                format!("`{key}` 后面没有值"),
                format!("写上值，如 {key} = \"…\"；不需要的键可以整行删去。"),
            )
        } else {
            (
                "文字要用英文双引号括起来".into(),
                format!("改成 {key} = \"{value}\"（数字、true、false 不用引号）。"),
            )
        }
    } else {
        toml_message(message)
    };
    Problem::new(pos, msg, help).diagnostic("toml", file, line_offset)
}

/// Whether toml's `message` is about a word written without quotes: toml says so for most
/// words, but reads one that starts as `true`, `false`, `nan` or `inf` do (`folder`,
/// `information`) as a misspelt one of those.
fn unquoted_word(message: &str) -> bool {
    message.contains("string values must be quoted")
        || message.contains("invalid boolean")
        || message.contains("invalid float, expected `nan`")
        || message.contains("invalid float, expected `inf`")
}

/// A table header (`[deploy.本机]`, `[[columns.子栏目]]`) with its Chinese names quoted,
/// as TOML takes them: `[deploy."本机"]`. None when `line` is not a header.
fn quoted_header(line: &str) -> Option<String> {
    let (open, close) = if line.starts_with("[[") {
        ("[[", "]]")
    } else {
        ("[", "]")
    };
    let inner = line.strip_prefix(open)?.split(close).next()?;
    let parts: Vec<String> = inner
        .split('.')
        .map(|part| {
            let part = part.trim();
            match part.is_ascii() || part.starts_with('"') {
                true => part.to_string(),
                false => format!("\"{part}\""),
            }
        })
        .collect();
    Some(format!("{open}{}{close}", parts.join(".")))
}

/// Lines holding an invisible control character (pasted from Word or PDF), which the
/// parsers refuse in words of their own ("invalid basic string").
fn control_lines(text: &str) -> Vec<Problem> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let c = l.chars().find(|c| crate::ground::text::is_control(*c))?;
            Some(control_problem(Some(Pos::new(i + 1, 1)), c))
        })
        .collect()
}

fn control_problem(pos: Option<Pos>, c: char) -> Problem {
    Problem::new(
        pos,
        format!(
            "这一行有看不见的控制字符 {}",
            crate::ground::text::code_point(c)
        ),
        "删除这个字符（常见于从 Word、PDF 或网页复制来的文字）。",
    )
}

fn toml_message(m: &str) -> (String, String) {
    let table: &[(&str, &str, &str)] = &[
        (
            "invalid basic string",
            "双引号没有配对：文字从这里开始，到行尾还没有结束",
            "在文字末尾补上英文双引号 \"；文字中要用双引号时写成 \\\"。",
        ),
        (
            "invalid literal string",
            "单引号没有配对：文字从这里开始，到行尾还没有结束",
            "在文字末尾补上英文单引号 '。",
        ),
        (
            "duplicate key",
            "同一个键写了两次",
            "删去其中一行；同一个 [表] 也只能写一次（[[nav]] 这样两个方括号的可以写多次）。",
        ),
        (
            "unclosed table",
            "表头的方括号没有配对",
            "写成 [agency] 这样，左右方括号都在同一行。",
        ),
        (
            "unclosed array",
            "列表的方括号没有配对",
            "在列表末尾补上 ]，各项之间用英文逗号“,”分隔，如 [\"a\", \"b\"]。",
        ),
        (
            "unexpected key or value, expected newline",
            "一行只能写一个“键 = 值”，值的后面还有内容",
            "删去值后面多余的文字，或把整段文字放进英文双引号里；注释以 # 开头。",
        ),
        (
            "missing escaped value",
            "双引号里的反斜杠 \\ 会被当作转义符",
            "改用单引号（'C:\\路径'），或把 \\ 写成 \\\\。",
        ),
        (
            "key with no value",
            "键的后面缺少 = 和值",
            "写成 键 = 值，如 title = \"某县人民政府\"。",
        ),
        (
            "invalid unquoted key",
            "键名只能由英文字母、数字、- 和 _ 组成",
            "检查这一行的键名；中文键名要加英文双引号。",
        ),
        (
            "unquoted keys cannot be empty",
            "这一行缺少键名",
            "写成 键 = 值。",
        ),
    ];
    match table.iter().find(|(k, _, _)| m.contains(k)) {
        Some((_, msg, help)) => (msg.to_string(), help.to_string()),
        None => {
            let (msg, help) = toml_typed_message(m);
            (
                msg,
                help.unwrap_or_else(|| {
                    "检查这一行的写法：键 = 值，文字要用英文双引号括起来。".into()
                }),
            )
        }
    }
}

/// What yaml_serde's message says: the problem, where, and what it was reading then.
struct YamlMessage<'a> {
    problem: &'a str,
    context: Option<&'a str>,
    context_pos: Option<Pos>,
}

fn parse_at(s: &str) -> (&str, Option<Pos>) {
    let Some(i) = s.rfind(" at line ") else {
        return (s, None);
    };
    let mut nums = s[i + " at line ".len()..]
        .split(" column ")
        .map(|n| n.trim().parse::<usize>().ok());
    let pos = match (nums.next().flatten(), nums.next().flatten()) {
        (Some(l), Some(c)) => Some(Pos::new(l, c)),
        _ => None,
    };
    (&s[..i], pos)
}

fn split_message(m: &str) -> YamlMessage<'_> {
    let (head, context) = match m.split_once(", while ") {
        Some((h, c)) => (h, Some(c)),
        None => (m, None),
    };
    let (problem, _) = parse_at(head);
    let (context, context_pos) = match context {
        Some(c) => {
            let (c, p) = parse_at(c);
            (Some(c), p)
        }
        None => (None, None),
    };
    YamlMessage {
        problem,
        context,
        context_pos,
    }
}

fn yaml_problem(e: &serde_yaml::Error, text: &str) -> Problem {
    let full = e.to_string();
    let m = split_message(&full);
    let at = e.location().map(|l| Pos::new(l.line(), l.column()));
    let problem = m.problem;
    let quote = "把整段文字用英文引号括起来，如 title: \"…\"。";
    let (pos, msg, help): (Option<Pos>, String, String) = if problem
        .contains("found unexpected end of stream")
        && m.context.is_some_and(|c| c.contains("quoted scalar"))
    {
        (
            m.context_pos,
            "引号没有配对：从这里开始的引号直到文件结尾都没有结束".into(),
            "在这段文字的末尾补上同样的引号；文字中间要用引号时，改用中文引号“”。".into(),
        )
    } else if problem.contains("mapping values are not allowed") {
        (
            at,
            "值里有英文冒号加空格（“: ”），会被当成又一个键".into(),
            format!("{quote}或把冒号改成中文冒号“：”。"),
        )
    } else if problem.contains("did not find expected ',' or ']'") {
        (
            m.context_pos.or(at),
            "方括号 [ 没有配对的 ]".into(),
            "在这一行的末尾补上 ]；各项之间用英文逗号“,”分隔，如 [3, 0, 1]。".into(),
        )
    } else if problem.contains("did not find expected ',' or '}'") {
        (
            m.context_pos.or(at),
            "花括号 { 没有配对的 }".into(),
            "在这一行的末尾补上 }；各项之间用英文逗号“,”分隔，如 {自然人: 1, 总计: 1}。".into(),
        )
    } else if problem.contains("did not find expected key")
        || problem.contains("more than one document")
    {
        (
            at.or(Some(Pos::new(1, 1))),
            "缩进不对：这一行的缩进与同一级的其他行不一致".into(),
            "同一级的键要用相同数目的空格缩进（每深一级多两个空格），文件第一行不缩进。".into(),
        )
    } else if problem.contains("did not find expected '-' indicator") {
        (
            at,
            "这一行与上面的列表项缩进相同，却不是以“- ”开头".into(),
            "列表的每一项以“- ”开头；如果它属于上一项，就再多缩进两个空格。".into(),
        )
    } else if problem.contains("block sequence entries are not allowed") {
        (
            at,
            "这里不能开始一个列表".into(),
            "把“- 项目”写在键的下一行并缩进两个空格。".into(),
        )
    } else if problem.contains("could not find expected ':'") {
        (
            m.context_pos.or(at),
            "这一行不是“键: 值”的写法，缺少英文冒号“:”".into(),
            "写成 键: 值（英文冒号后加一个空格）；如果它是上一行文字的继续，就多缩进两个空格，或用 |（见使用指南）。".into(),
        )
    } else if problem.contains("found character that cannot start any token") {
        let c = at
            .and_then(|p| text.lines().nth(p.line - 1))
            .and_then(|l| l.chars().nth(at.map_or(0, |p| p.col - 1)))
            .unwrap_or(' ');
        (at, format!("值不能以 `{c}` 开头"), quote.to_string())
    } else if problem.contains("unknown anchor") || problem.contains("anchor") {
        (at, "以 * 或 & 开头的值有特殊含义".into(), quote.into())
    } else if problem.contains("tag") {
        (at, "以 ! 开头的值有特殊含义".into(), quote.into())
    } else if problem.contains("unknown escape character") {
        (
            at,
            "双引号里的反斜杠 \\ 会被当作转义符".into(),
            "改用单引号，或把 \\ 写成 \\\\。".into(),
        )
    } else if problem.contains("control characters are not allowed") {
        (
            at,
            "文件中有看不见的控制字符（常见于从网页或 Word 复制的文字）".into(),
            "删去这一处再重新输入。".into(),
        )
    } else if problem.contains("tab character") {
        (
            at,
            "这一行用了 Tab 缩进".into(),
            "YAML 只能用空格缩进：把行首的 Tab 换成空格。".into(),
        )
    } else if problem.contains("duplicate entry with key") {
        let key = problem.split('"').nth(1).unwrap_or("");
        (
            second_key_line(text, key).or(at),
            format!("键 `{key}` 写了两次"),
            "删去其中一行，或把两处合并成一处。".into(),
        )
    } else {
        let (msg, help) = typed_message(&full);
        (
            at,
            msg,
            help.unwrap_or_else(|| format!("检查这一行的缩进、冒号和引号；{quote}")),
        )
    };
    Problem::new(pos, msg, help)
}

/// The line of the second `key:` of a document, where a duplicate key is.
fn second_key_line(text: &str, key: &str) -> Option<Pos> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim_start().trim_start_matches("- ");
            t.strip_prefix(key)
                .is_some_and(|r| r.starts_with(':') || r.trim_start().starts_with(':'))
        })
        .nth(1)
        .map(|(i, l)| {
            Pos::new(
                i + 1,
                l.chars().count() - l.trim_start().chars().count() + 1,
            )
        })
}

/// Slips of Chinese typing in block-style YAML, each at its line: a full-width colon
/// after a key, a tab or a full-width space in the indentation, no space after a colon.
fn yaml_slips(text: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut block: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let indent_chars: String = line
            .chars()
            .take_while(|c| matches!(c, ' ' | '\t' | '\u{3000}'))
            .collect();
        let indent = indent_chars.chars().count();
        let rest = line.trim_start_matches([' ', '\t', '\u{3000}']);
        if let Some(b) = block {
            if rest.is_empty() || indent > b {
                continue;
            }
            block = None;
        }
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        let at = Pos::new(i + 1, 1);
        if indent_chars.contains('\t') {
            out.push(Problem::new(
                Some(at),
                "这一行用了 Tab 缩进",
                "YAML 只能用空格缩进：把行首的 Tab 换成空格（每深一级多两个空格）。",
            ));
            continue;
        }
        if indent_chars.contains('\u{3000}') {
            out.push(Problem::new(
                Some(at),
                "这一行用了全角空格缩进",
                "把行首的全角空格换成半角空格（切换到英文输入再按空格）。",
            ));
            continue;
        }
        let item = rest.trim_start_matches("- ");
        let col = indent + (rest.chars().count() - item.chars().count()) + 1;
        if let Some((key, value)) = item.split_once('：')
            && !key.contains(": ")
            && !key.ends_with(':')
            && !key.starts_with(['"', '\'', '[', '{', '|', '>'])
            && !key.trim().is_empty()
            && key.chars().count() <= 40
        {
            let key = key.trim();
            out.push(Problem::new(
                Some(Pos::new(i + 1, col + key.chars().count())),
                format!("键 `{key}` 后面用了中文冒号“：”"),
                format!("改成英文冒号加一个空格：{key}: {}", value.trim()),
            ));
            continue;
        }
        if let Some((key, value)) = item.split_once(':')
            && !value.is_empty()
            && !value.starts_with([' ', '/'])
            && !key.contains([' ', '"', '\''])
            && !item.contains(": ")
            && !key.is_empty()
        {
            out.push(Problem::new(
                Some(Pos::new(i + 1, col + key.chars().count())),
                format!("键 `{key}` 的冒号后面缺少空格"),
                format!("在冒号后加一个空格：{key}: {value}"),
            ));
            continue;
        }
        let value = item.split_once(": ").map_or("", |(_, v)| v.trim());
        if value.starts_with('|') || value.starts_with('>') {
            block = Some(indent);
        }
    }
    out
}

/// serde's messages about values (missing or unknown keys, wrong types) in Chinese,
/// with a fix when there is a usual one. Messages already in Chinese (dates) are kept.
pub fn typed_message(m: &str) -> (String, Option<String>) {
    typed_message_in(m, Syntax::Yaml)
}

/// [`typed_message`] for a TOML file (site.toml, group.toml): its tables and lists are
/// written in TOML's way.
pub fn toml_typed_message(m: &str) -> (String, Option<String>) {
    typed_message_in(m, Syntax::Toml)
}

/// The syntax a message speaks of: its maps and lists are written differently.
#[derive(Clone, Copy, PartialEq)]
enum Syntax {
    Yaml,
    Toml,
}

fn typed_message_in(m: &str, syntax: Syntax) -> (String, Option<String>) {
    let (m, _) = parse_at(m);
    let serde_words = [
        "invalid type",
        "invalid value",
        "missing field",
        "unknown variant",
        "duplicate field",
    ];
    // A value in Chinese inside serde's own English ("invalid type: string \"七\"") is
    // not one of our messages.
    if m.chars().any(crate::ground::text::is_cjk) && !serde_words.iter().any(|w| m.contains(w)) {
        // Our own messages (after serde's `path: ` prefix): the problem, then `||` and
        // the fix.
        let own = m
            .char_indices()
            .find(|(_, c)| crate::ground::text::is_cjk(*c) || *c == '`')
            .map_or(m, |(i, _)| &m[i..]);
        return match own.split_once("||") {
            Some((msg, fix)) => (msg.to_string(), Some(fix.to_string())),
            None => (own.to_string(), None),
        };
    }
    let quoted = |s: &str| s.split('`').nth(1).unwrap_or("").to_string();
    if m.contains("missing field") {
        let field = quoted(m);
        let zh = crate::input::keys::chinese(&field).map_or(String::new(), |z| format!("（{z}）"));
        return (
            format!("缺少必填的键 `{field}`{zh}"),
            Some(match syntax {
                Syntax::Yaml => format!("加上一行 {field}: …"),
                Syntax::Toml => format!("加上一行 {field} = \"…\""),
            }),
        );
    }
    if m.contains("unknown variant") {
        let value = quoted(m);
        let allowed: Vec<String> = m
            .split("expected")
            .nth(1)
            .unwrap_or("")
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        return (
            format!("`{value}` 不是可用的取值"),
            Some(format!("可以写：{}。", allowed.join("、"))),
        );
    }
    if m.contains("duplicate field") {
        return (
            format!("键 `{}` 写了两次", quoted(m)),
            Some("删去其中一行。".into()),
        );
    }
    if let Some(rest) = m
        .split_once("invalid type: ")
        .or_else(|| m.split_once("invalid value: "))
        .map(|(_, r)| r)
    {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let (want, help) = expected_words(expected, syntax);
        return (
            format!("这里应当是{want}，写的却是{}", found_words(found, syntax)),
            Some(help.to_string()),
        );
    }
    ("无法读取这里的内容".into(), None)
}

fn expected_words(e: &str, syntax: Syntax) -> (&'static str, &'static str) {
    let e = e.trim();
    let toml = syntax == Syntax::Toml;
    if e.starts_with('u')
        || e.starts_with('i') && e[1..].starts_with(char::is_numeric)
        || e.contains("integer")
    {
        ("整数", "写阿拉伯数字，如 20（不加引号）。")
    } else if e.contains("bool") {
        ("true 或 false", "写 true（是）或 false（否），不加引号。")
    } else if e.contains("sequence") && toml {
        (
            "列表",
            "写成列表：[\"a\", \"b\"]，各项之间用英文逗号分隔；表的列表写成多个 [[名称]]。",
        )
    } else if e.contains("sequence") {
        (
            "列表",
            "写成列表：每项一行，以“- ”开头并缩进；或写在一行里，如 [\"a\", \"b\"]。",
        )
    } else if (e.contains("string") || e.contains("char")) && toml {
        (
            "一段文字",
            "文字要用英文双引号括起来，如 title = \"某县人民政府\"。",
        )
    } else if e.contains("string") || e.contains("char") {
        (
            "一段文字",
            "文字里有冒号、方括号或以数字开头时，用英文引号把整段文字括起来。",
        )
    } else if e.contains("f64") || e.contains("f32") || e.contains("float") {
        ("数字", "写阿拉伯数字，如 1.5（不加引号）。")
    } else if (e.contains("struct") || e.contains("map")) && toml {
        (
            "一个表（[名称] 下面各行写“键 = 值”）",
            "写成 [名称] 表头，下面各行写“键 = 值”；几个同类的设置写成 [名称.甲]、[名称.乙]。[[名称]] 是表的列表，只用在说明里这样写的地方（如 [[nav]]）。",
        )
    } else if e.contains("struct") || e.contains("map") {
        (
            "“键: 值”的映射",
            "在这个键下面的各行写“键: 值”，每行比它多缩进两个空格。",
        )
    } else {
        ("别的写法", "参照使用指南中的示例。")
    }
}

fn found_words(f: &str, syntax: Syntax) -> String {
    let f = f.trim();
    if let Some(s) = f.strip_prefix("string ") {
        format!("文字 {s}")
    } else if f.starts_with("sequence") {
        "一个列表".into()
    } else if f.starts_with("map") && syntax == Syntax::Toml {
        "一个表".into()
    } else if f.starts_with("map") {
        "一组“键: 值”".into()
    } else if f.starts_with("unit") || f.contains("null") {
        "空值".into()
    } else if let Some(n) = f.split('`').nth(1) {
        format!("`{n}`")
    } else {
        f.to_string()
    }
}

/// The deepest nesting of `[` and `{` a YAML text may have. No report or front matter
/// comes near it; the YAML scanner's time grows with the square of the depth (100,000
/// brackets took a minute), so deeper text is refused before it is parsed.
pub const MAX_YAML_DEPTH: usize = 200;

/// Refuses YAML nested deeper than [`MAX_YAML_DEPTH`] (`text` starts at line
/// `line_offset + 1` of `file`), at the bracket that goes too deep. Quotes are not
/// followed: a text that counts too deep that way is no real file either.
pub fn yaml_too_deep(text: &str, file: &str, line_offset: usize) -> Option<Diagnostic> {
    let mut depth = 0usize;
    for (offset, c) in text.char_indices() {
        match c {
            '[' | '{' => depth += 1,
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => continue,
        }
        if depth > MAX_YAML_DEPTH {
            let pos = Pos::of_offset(text, offset);
            return Some(
                Diagnostic::error(
                    "yaml",
                    file,
                    format!("方括号或花括号嵌套超过 {MAX_YAML_DEPTH} 层，无法读取"),
                )
                .at(Some(Pos::new(pos.line + line_offset, pos.col)))
                .help("这里的内容不是正常的年度报告或前置信息（可能粘贴错了）：删掉这些括号，或把这段文字用英文引号括起来。"),
            );
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Vec<String> {
        let e = serde_yaml::from_str::<serde_yaml::Value>(text).unwrap_err();
        yaml_errors(&e, text, "a.yaml", 0)
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn a_full_width_colon_is_named_at_its_own_line() {
        let e = yaml("year: 2024\nagency：某局\npreamble: x\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with("a.yaml:2:7: 错误 [yaml] 键 `agency` 后面用了中文冒号“：”"),
            "{}",
            e[0]
        );
        assert!(e[0].contains("agency: 某局"), "{}", e[0]);
    }

    #[test]
    fn tabs_and_unclosed_quotes_are_named_where_they_start() {
        let e = yaml("year: 2024\n\tagency: 某局\n");
        assert!(
            e[0].starts_with("a.yaml:2:1:") && e[0].contains("Tab"),
            "{e:?}"
        );
        let e = yaml("title: \"abc\ndate: 2024-01-01\nx: 1\n");
        assert!(
            e[0].starts_with("a.yaml:1:8:") && e[0].contains("引号没有配对"),
            "{e:?}"
        );
        let e = yaml("title: [1, 2\ndate: x\n");
        assert!(
            e[0].starts_with("a.yaml:1:8:") && e[0].contains("方括号"),
            "{e:?}"
        );
        let e = yaml("a: 1\nb: 2\na: 3\n");
        assert!(
            e[0].starts_with("a.yaml:3:1:") && e[0].contains("`a` 写了两次"),
            "{e:?}"
        );
    }

    #[test]
    fn every_message_is_chinese() {
        for text in [
            "title: a: b\n",
            "a:\n  b: 1\n c: 2\n",
            "- a\nb: 1\n",
            "title: @abc\n",
            "a: {b: 1\n",
            "a: *x\n",
            "  a: 1\nb: 2\n",
            "a: \"\\q\"\n",
            "year:2024\nb: [\n",
        ] {
            for e in yaml(text) {
                let first = e.lines().next().unwrap();
                let msg = first.split("] ").nth(1).unwrap();
                assert!(
                    msg.chars().any(crate::ground::text::is_cjk) && !msg.contains("expected"),
                    "{text:?}: {e}"
                );
                assert!(e.contains("修改建议："), "{e}");
            }
        }
        for (text, want) in [
            ("title：\"a\"\n", "中文冒号"),
            ("标题 = \"a\"\n", "\"标题\" = "),
            (
                "[deploy.本机]\ntype = \"folder\"\n",
                "写成 [deploy.\"本机\"]；",
            ),
            ("[[栏目]]\nname = \"a\"\n", "写成 [[\"栏目\"]]；"),
            ("kind = folder\n", "改成 kind = \"folder\""),
            ("kind = ssh\n", "改成 kind = \"ssh\""),
            ("name = information\n", "改成 name = \"information\""),
            ("name = nanjing\n", "改成 name = \"nanjing\""),
            ("virtual_host = True\n", "改成 virtual_host = true。"),
            ("title = “a”\n", "title = \"a\""),
            ("title = \"a\nb = 1\n", "双引号没有配对"),
            ("[agency\n", "方括号"),
        ] {
            let e = toml::from_str::<toml::Table>(text).unwrap_err();
            let d = toml_error(e.message(), e.span(), text, "site.toml", 0).to_string();
            assert!(d.starts_with("site.toml:1:"), "{d}");
            assert!(d.contains(want), "{text:?}: {d}");
        }
    }

    /// A missing key is added as its file writes it: `kind: …` in YAML, `kind = "…"` in
    /// site.toml.
    #[test]
    fn a_missing_key_is_added_in_the_files_own_syntax() {
        let m = "missing field `kind`";
        assert_eq!(typed_message(m).1.unwrap(), "加上一行 kind: …");
        assert_eq!(toml_typed_message(m).1.unwrap(), "加上一行 kind = \"…\"");
    }
}
