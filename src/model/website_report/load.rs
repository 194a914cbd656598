//! Reads a 报表 file (`content/website-reports/YYYY.yaml`) against the form, collecting
//! every problem with its line: sections and fields by English key or printed label, each
//! value of its kind, every field an editor must type filled in.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::Value as Yaml;

use super::form::{FORM, Field, Kind, Section, Source};
use super::{Value, WebsiteReport, kind_words};
use crate::ground::date::Date;
use crate::ground::diagnostics::{Diagnostic, Diagnostics, nearest};
use crate::input::source_map::SourceMap;
use crate::model::content::SignOff;
use crate::model::report::schema::normalize_label;

/// The keys besides the sections, with their Chinese names.
const META: &[(&str, &[&str])] = &[
    ("year", &["年度", "年份"]),
    ("title", &["标题"]),
    ("published", &["发布日期"]),
    ("draft", &["草稿"]),
    ("example", &["示例"]),
    ("review", &["审核签发"]),
    ("extra", &["扩展"]),
];

fn same(input: &str, names: impl IntoIterator<Item = &'static str>) -> bool {
    let n = normalize_label(input);
    names.into_iter().any(|k| normalize_label(k) == n)
}

/// The section a key names (its key, title or an alias).
pub fn section_named(key: &str) -> Option<&'static Section> {
    FORM.sections.iter().find(|s| {
        same(
            key,
            [s.key, s.title]
                .into_iter()
                .chain(s.aliases.iter().copied()),
        )
    })
}

/// The field of `s` a key names (its key, label, `分组标签` or an alias).
pub fn field_named(s: &'static Section, key: &str) -> Option<&'static Field> {
    let n = normalize_label(key);
    s.fields.iter().find(|f| {
        same(
            key,
            [f.key, f.label]
                .into_iter()
                .chain(f.aliases.iter().copied()),
        ) || f
            .group
            .is_some_and(|g| normalize_label(&format!("{g}{}", f.label)) == n)
    })
}

fn meta_named(key: &str) -> Option<&'static str> {
    META.iter()
        .find(|(k, z)| same(key, std::iter::once(*k).chain(z.iter().copied())))
        .map(|(k, _)| *k)
}

struct Ctx<'a> {
    file: &'a str,
    map: &'a SourceMap,
    diags: &'a mut Diagnostics,
}

impl Ctx<'_> {
    fn err(&mut self, code: &'static str, path: &[&str], msg: String, help: String) {
        let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        self.diags.push(
            Diagnostic::error(code, self.file, msg)
                .at(self.map.pos(&path))
                .help(help),
        );
    }
}

fn scalar(v: &Yaml) -> String {
    match v {
        Yaml::String(s) => s.clone(),
        Yaml::Number(n) => n.to_string(),
        Yaml::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// Reads `text` (the file `file`) as a 报表; `None` when not even its year can be read.
pub fn load(text: &str, file: &str, diags: &mut Diagnostics) -> Option<WebsiteReport> {
    let map = SourceMap::yaml(text);
    let mut ctx = Ctx {
        file,
        map: &map,
        diags,
    };
    if let Some(d) = crate::input::syntax::yaml_too_deep(text, file, 0) {
        ctx.diags.push(d);
        return None;
    }
    let doc: Yaml = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            for d in crate::input::syntax::yaml_errors(&e, text, file, 0) {
                ctx.diags.push(d);
            }
            return None;
        }
    };
    let Yaml::Mapping(top) = doc else {
        ctx.err(
            "website-report",
            &[],
            "报表文件应当是“键: 值”的映射".into(),
            "参照 `gongkai new website-report 年份` 生成的骨架填写。".into(),
        );
        return None;
    };
    let mut year = None;
    let mut report = WebsiteReport {
        year: 0,
        file: file.to_string(),
        title: String::new(),
        published: None,
        typed: BTreeMap::new(),
        positions: BTreeMap::new(),
        review: None,
        draft: false,
        example: false,
        source_map: map.clone(),
    };
    let mut title = None;
    // Fields written with a value of the wrong kind (reported, not blank).
    let mut wrong = BTreeSet::new();
    for (k, v) in &top {
        let key = scalar(k);
        if let Some(meta) = meta_named(&key) {
            match meta {
                "year" => year = read_year(&mut ctx, &key, v),
                "title" => title = Some(scalar(v)).filter(|t| !t.trim().is_empty()),
                "published" => report.published = read_date(&mut ctx, &[&key], v),
                "draft" => report.draft = read_flag(&mut ctx, &key, v),
                "example" => report.example = read_flag(&mut ctx, &key, v),
                "review" => report.review = read_review(&mut ctx, &key, v),
                _ => {}
            }
            continue;
        }
        match section_named(&key) {
            Some(s) => read_section(&mut ctx, s, &key, v, &mut report, &mut wrong),
            None => unknown(&mut ctx, &[&key], &key, top_names()),
        }
    }
    let Some(year) = year else {
        ctx.err(
            "website-report-year",
            &[],
            "缺少年度 `year`".into(),
            "在文件开头写上 `year: 2025`（报表所说的年度，次年 1 月 31 日前发布）。".into(),
        );
        return None;
    };
    report.year = year;
    report.title = title.unwrap_or_default();
    required(&mut ctx, &report, &wrong, &top);
    Some(report)
}

fn top_names() -> Vec<(&'static str, &'static str)> {
    META.iter()
        .map(|(k, z)| (*k, z.first().copied().unwrap_or("")))
        .chain(FORM.sections.iter().map(|s| (s.key, s.title)))
        .collect()
}

/// The error for a key that names nothing here, with the nearest one.
fn unknown(ctx: &mut Ctx, path: &[&str], key: &str, names: Vec<(&'static str, &'static str)>) {
    let candidates: Vec<&str> = names.iter().flat_map(|(k, l)| [*k, *l]).collect();
    let hint = nearest(key, candidates.iter().copied())
        .and_then(|n| names.iter().find(|(k, l)| *k == n || *l == n))
        .map_or(String::new(), |(k, l)| format!("是不是想写“{l}”（{k}）？"));
    let listed: Vec<String> = names.iter().map(|(k, l)| format!("{l}（{k}）")).collect();
    ctx.err(
        "unknown-key",
        path,
        format!("未知的键 `{key}`，它不会被使用"),
        format!(
            "{hint}这里可以写（中文名或英文键名都可以）：{}。",
            listed.join("、")
        ),
    );
}

fn read_year(ctx: &mut Ctx, key: &str, v: &Yaml) -> Option<u32> {
    let y = v
        .as_u64()
        .and_then(|y| u32::try_from(y).ok())
        .filter(|y| crate::model::report::REPORT_YEARS.contains(y));
    if y.is_none() {
        ctx.err(
            "website-report-year",
            &[key],
            format!("年度应当是四位数字年份，写的是 `{}`", scalar(v)),
            "写成 `year: 2025`。".into(),
        );
    }
    y
}

fn read_date(ctx: &mut Ctx, path: &[&str], v: &Yaml) -> Option<Date> {
    let s = scalar(v);
    let d = Date::parse(&s);
    if d.is_none() {
        ctx.err("date", path, Date::problem(&s), Date::advice(&s));
    }
    d
}

fn read_flag(ctx: &mut Ctx, key: &str, v: &Yaml) -> bool {
    v.as_bool().unwrap_or_else(|| {
        ctx.err(
            "type",
            &[key],
            format!("这里应当是 true 或 false，写的是 `{}`", scalar(v)),
            "写 true（是）或 false（否）。".into(),
        );
        false
    })
}

fn read_review(ctx: &mut Ctx, key: &str, v: &Yaml) -> Option<SignOff> {
    if let Some(m) = v.as_mapping() {
        for k in m.keys().map(scalar) {
            if !SignOff::KEYS
                .iter()
                .any(|(en, zh)| *en == k || zh.contains(&k.as_str()))
            {
                let valid: Vec<String> = SignOff::KEYS
                    .iter()
                    .map(|(en, zh)| format!("{en}（{}）", zh.join("、")))
                    .collect();
                ctx.err(
                    "unknown-key",
                    &[key, &k],
                    format!("审核签发中没有 `{k}` 这一项"),
                    format!("可以写的有：{}。", valid.join("、")),
                );
                return None;
            }
        }
    }
    match serde_yaml::from_value::<SignOff>(v.clone()) {
        Ok(r) => Some(r),
        Err(e) => {
            let (msg, fix) = crate::input::syntax::typed_message(&e.to_string());
            ctx.err(
                "review",
                &[key],
                format!("审核签发写法不对：{msg}"),
                fix.unwrap_or_else(|| "日期写成 2026-01-20，保密审查写 是 或 否。".into()),
            );
            None
        }
    }
}

fn read_section(
    ctx: &mut Ctx,
    s: &'static Section,
    key: &str,
    v: &Yaml,
    r: &mut WebsiteReport,
    wrong: &mut BTreeSet<(&'static str, &'static str)>,
) {
    let entries = match v {
        Yaml::Mapping(m) => m,
        Yaml::Null => return,
        _ => {
            ctx.err(
                "website-report",
                &[key],
                format!("“{}”下面应当是一项一行的“名称: 数值”", s.title),
                format!(
                    "在 {key}: 下面缩进两格，逐项写，如 `{}: …`。",
                    s.fields[0].label
                ),
            );
            return;
        }
    };
    for (fk, fv) in entries {
        let fkey = scalar(fk);
        let Some(f) = field_named(s, &fkey) else {
            let names = s.fields.iter().map(|f| (f.key, f.label)).collect();
            unknown(ctx, &[key, &fkey], &fkey, names);
            continue;
        };
        r.positions.insert(
            (s.key, f.key),
            ctx.map.pos(&[key.to_string(), fkey.clone()]),
        );
        match read_value(ctx, f, &[key, &fkey], fv) {
            Ok(Some(value)) => {
                r.typed.insert((s.key, f.key), value);
            }
            Ok(None) => {}
            Err(()) => {
                wrong.insert((s.key, f.key));
            }
        }
    }
}

/// A field's value, `None` when it is blank, or an error (reported) when it is not of
/// its kind.
fn read_value(ctx: &mut Ctx, f: &Field, path: &[&str], v: &Yaml) -> Result<Option<Value>, ()> {
    if v.is_null() || matches!(v, Yaml::String(s) if s.trim().is_empty()) {
        return Ok(None);
    }
    let written = ctx
        .map
        .raw(&path.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .map(str::to_string)
        .unwrap_or_else(|| scalar(v));
    let text = crate::ground::text::fold_str(scalar(v).trim());
    let value = match f.kind {
        Kind::Count => text.parse::<u64>().ok().map(Value::Count),
        Kind::Decimal => text
            .parse::<f64>()
            .ok()
            .filter(|x| *x >= 0.0 && x.is_finite())
            .map(|_| {
                let w = written.trim().trim_matches(['"', '\'']);
                Value::Decimal(if w.parse::<f64>().is_ok() {
                    w.to_string()
                } else {
                    text.clone()
                })
            }),
        Kind::YesNo => match v {
            Yaml::Bool(b) => Some(Value::YesNo(*b)),
            _ => match text.as_str() {
                "是" | "有" | "√" | "☑" | "yes" | "Yes" => Some(Value::YesNo(true)),
                "否" | "无" | "没有" | "×" | "☐" | "no" | "No" => Some(Value::YesNo(false)),
                _ => None,
            },
        },
        Kind::Text => match v {
            Yaml::Number(_) => Some(Value::Text(
                written.trim().trim_matches(['"', '\'']).to_string(),
            )),
            Yaml::String(_) | Yaml::Bool(_) => Some(Value::Text(scalar(v))),
            _ => None,
        },
        Kind::Date => Date::parse(&text).map(Value::Date),
        Kind::Choice(options) => options
            .iter()
            .find(|o| normalize_label(o) == normalize_label(&text))
            .map(|o| Value::Text(o.to_string())),
    };
    if value.is_some() {
        return Ok(value);
    }
    {
        let help = match f.kind {
            Kind::Date => Date::advice(&text),
            Kind::Count if text.starts_with('-') => "数量不能是负数。".into(),
            _ => format!("写{}。", kind_words(f.kind)),
        };
        ctx.err(
            "type",
            path,
            format!(
                "“{}”应当是{}，写的是 `{}`",
                f.label,
                kind_words(f.kind),
                scalar(v)
            ),
            help,
        );
    }
    Err(())
}

/// An error for every field the editor must type that the file leaves blank, at its
/// section (or the top of the file when the section is not written).
fn required(
    ctx: &mut Ctx,
    r: &WebsiteReport,
    wrong: &BTreeSet<(&str, &str)>,
    top: &serde_yaml::Mapping,
) {
    for s in FORM.sections {
        let written = top
            .keys()
            .map(scalar)
            .find(|k| section_named(k).is_some_and(|x| x.key == s.key));
        let blank: Vec<String> = s
            .fields
            .iter()
            // A field written with a wrong value has its own error already.
            .filter(|f| {
                f.source == Source::Typed
                    && f.required
                    && !r.typed.contains_key(&(s.key, f.key))
                    && !wrong.contains(&(s.key, f.key))
            })
            .map(|f| match f.group {
                Some(g) => format!("{g}·{}", f.label),
                None => f.label.to_string(),
            })
            .collect();
        if blank.is_empty() {
            continue;
        }
        let path: Vec<&str> = written.as_deref().into_iter().collect();
        ctx.err(
            "website-report-blank",
            &path,
            format!("“{}”还有 {} 项没有填写：{}", s.title, blank.len(), blank.join("、")),
            format!(
                "在 {}: 下逐项填写（没有发生的写 0，是否类写“是”或“否”）；还没填完就在文件开头保留 draft: true，草稿不会发布。",
                written.as_deref().unwrap_or(s.title)
            ),
        );
    }
}
