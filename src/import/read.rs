//! The report in its lines: which sections start where (titles matched by their number and
//! wording, also when the capture ran them into the text around), the title with the year
//! and the agency, and the narrative sections as Markdown.

use super::{Cell, Format, ImportError, Imported, Line, chrome, segment, solve, table};
use crate::model::report::schema::{ReportType, RowDef, SectionContent, normalize_label};

/// Reads a report from its lines, as the report type whose tables it shows.
pub fn import(
    format: Format,
    lines: &[Line],
    name: &str,
    prior: Option<super::Prior>,
) -> Result<Imported, ImportError> {
    let kind = report_kind(lines);
    let lines = split_sections(kind, lines);
    let starts = section_starts(kind, &lines);
    let found_tables = starts
        .iter()
        .filter(|(_, s)| matches!(kind.sections[*s].content, SectionContent::Table(_)))
        .count();
    if starts.len() < 2 || found_tables == 0 {
        let year = lines
            .iter()
            .take(40)
            .find_map(|l| year_and_agency(&l.text()).0)
            .or_else(|| year_in_name(name));
        if let Some(y) = year.filter(|y| *y < 2019) {
            return Err(ImportError(format!(
                "{name} 是 {y} 年度的报告，用的是 2019 年以前的旧格式（没有现行的三张统计表），gongkai 不导入这种格式。可以把原文作为附件发布在政府信息公开年报栏目中。没有写入文件。"
            )));
        }
        return Err(ImportError(format!(
            "{name} 中没有找到{}的章节标题（如“{}”“{}”），这个文件看来不是一份年度报告。没有写入文件。",
            kind.name, kind.sections[0].title, kind.sections[2].title
        )));
    }
    // The page around the report ends it only after a last section of text (a table's
    // labels a cell a line look like a list of links).
    let (at, last) = starts[starts.len() - 1];
    let tail = matches!(kind.sections[last].content, SectionContent::Text).then_some(at + 1);
    let lines = chrome::strip(&lines, tail);
    let mut out = Imported::new(kind, format);
    out.prior = prior;
    let mut budget = solve::SearchBudget::for_import();
    let first = starts[0].0;
    title(&lines[..first], &mut out);
    for (n, &(i, s)) in starts.iter().enumerate() {
        let end = starts.get(n + 1).map_or(lines.len(), |(j, _)| *j);
        let body: Vec<&Line> = lines[i + 1..end].iter().collect();
        let sec = &kind.sections[s];
        match sec.content {
            SectionContent::Text => {
                out.texts.insert(sec.key, markdown(&body));
            }
            SectionContent::Table(def) => {
                table::read(kind, sec.key, def, &body, &mut budget, &mut out)
            }
        }
    }
    if out.year.is_none() {
        out.year = period_year(&lines);
    }
    if out.agency.is_none() {
        let all: Vec<String> = lines.iter().map(|l| l.text()).collect();
        out.agency = signed_agency(&all.join("\n"), out.year);
        out.agency_signed = out.agency.is_some();
    }
    truncated(kind, &starts, &lines, &out)?;
    let locs: Vec<_> = starts.iter().map(|(i, s)| (lines[*i].loc, *s)).collect();
    table::absent_tables(kind, &locs, &mut out);
    Ok(out)
}

/// The report type the lines are written in: the one with the most labels of its own (a
/// column, row or header no other type prints) in the text; on a tie the type of the
/// year the text names first, else the newest.
pub fn report_kind(lines: &[Line]) -> &'static ReportType {
    let types = crate::model::report::TYPES;
    let text: String = lines.iter().map(|l| segment::norm(&l.text())).collect();
    let labels: Vec<Vec<String>> = types.iter().map(|t| own_labels(t)).collect();
    let scores: Vec<usize> = (0..types.len())
        .map(|i| {
            labels[i]
                .iter()
                .filter(|l| {
                    text.contains(l.as_str())
                        && (0..types.len())
                            .filter(|j| *j != i)
                            .all(|j| labels[j].iter().all(|o| !o.contains(l.as_str())))
                })
                .count()
        })
        .collect();
    let best = scores.iter().copied().max().unwrap_or(0);
    let leaders: Vec<usize> = (0..types.len()).filter(|i| scores[*i] == best).collect();
    if let [one] = leaders[..] {
        return types[one];
    }
    let year = lines
        .iter()
        .take(40)
        .find_map(|l| year_and_agency(&l.text()).0)
        .or_else(|| period_year(lines));
    match year.map(crate::model::report::type_for_year) {
        Some(t) if leaders.iter().any(|i| types[*i].id == t.id) => t,
        _ => types[leaders[0]],
    }
}

/// Every label of a report type's tables, normalised: bands, headers, columns, rows.
fn own_labels(kind: &ReportType) -> Vec<String> {
    fn rows(rs: &[RowDef], out: &mut Vec<String>) {
        for r in rs {
            out.push(segment::norm(r.label()));
            out.extend(r.aliases().iter().map(|a| segment::norm(a)));
            if let RowDef::Group { children, .. } = r {
                rows(children, out);
            }
        }
    }
    let mut out = Vec::new();
    for (_, def) in crate::model::report::table_sections(kind) {
        for b in def.blocks {
            out.extend(b.band.map(segment::norm));
            out.extend(
                b.header
                    .iter()
                    .flat_map(|r| r.iter())
                    .map(|h| segment::norm(h.text)),
            );
            for c in b.columns {
                out.push(segment::norm(c.label));
                out.extend(c.aliases.iter().map(|a| segment::norm(a)));
            }
            rows(b.rows, &mut out);
        }
    }
    out.retain(|l| l.chars().count() >= 2);
    out.sort();
    out.dedup();
    out
}

/// Input that stops inside a table (the later sections missing, the table short of rows)
/// was cut off: importing half a table would only hide that.
fn truncated(
    kind: &ReportType,
    starts: &[(usize, usize)],
    lines: &[Line],
    out: &Imported,
) -> Result<(), ImportError> {
    let Some(&(_, last)) = starts.last() else {
        return Ok(());
    };
    let SectionContent::Table(def) = kind.sections[last].content else {
        return Ok(());
    };
    if last + 1 >= kind.sections.len() {
        return Ok(());
    }
    let key = kind.sections[last].key;
    let all: usize = def
        .blocks
        .iter()
        .map(|b| crate::model::report::leaf_rows(b.rows).len())
        .sum();
    let found = out
        .rows
        .iter()
        .filter(|((t, _), f)| *t == key && f.iter().any(|f| matches!(f, super::Figure::Value(_))))
        .count();
    if found < all {
        let end = lines.last().map(|l| l.loc.to_string()).unwrap_or_default();
        return Err(ImportError(format!(
            "输入在“{}”的表格中途结束（{end}），只找到 {found} 行，表格应有 {all} 行，其后的章节也没有。文件可能不完整，请取得完整的报告再导入。没有写入文件。",
            kind.sections[last].title,
        )));
    }
    Ok(())
}

/// Where each section starts: `(line index, section index)`, in the order of the input.
fn section_starts(kind: &ReportType, lines: &[Line]) -> Vec<(usize, usize)> {
    let mut starts: Vec<(usize, usize)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let f = l.filled();
        if f.len() == 1
            && let Some(s) = section_of(kind, f[0])
            && !starts.iter().any(|(_, k)| *k == s)
            && starts.last().is_none_or(|(_, k)| *k < s)
        {
            starts.push((i, s));
        }
    }
    starts
}

/// The Chinese numbers of the six sections.
pub(super) const NUMBERS: [&str; 9] = ["一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// The section a heading names: its title or an alias, or its number (`四、`) followed by
/// wording close to the title (published headings have typos and older wordings).
pub fn section_of(kind: &ReportType, text: &str) -> Option<usize> {
    let (_, t) = heading(text);
    let t = crate::ground::text::simplify(t);
    let n = normalize_label(&t);
    if n.is_empty() || n.chars().count() > 40 {
        return None;
    }
    if let Some(i) = kind.sections.iter().position(|s| {
        normalize_label(s.title) == n || s.aliases.iter().any(|a| normalize_label(a) == n)
    }) {
        return Some(i);
    }
    let folded: String = crate::ground::text::fold_str(&t)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let i = NUMBERS
        .iter()
        .position(|num| folded.starts_with(&format!("{num}、")))?;
    let sec = kind.sections.get(i)?;
    let similar = super::segment::similarity(&n, &normalize_label(sec.title)) >= 0.6
        || sec
            .aliases
            .iter()
            .any(|a| super::segment::similarity(&n, &normalize_label(a)) >= 0.6);
    similar.then_some(i)
}

/// Lines split where a numbered section title (`二、主动公开政府信息情况`) runs on into the
/// text or table that follows it, as captures with their line breaks removed show it.
fn split_sections(kind: &ReportType, lines: &[Line]) -> Vec<Line> {
    let mut titles: Vec<String> = kind
        .sections
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            std::iter::once(s.title)
                .chain(s.aliases.iter().copied())
                .map(move |t| format!("{}、{}", NUMBERS[i], normalize_label(t)))
        })
        .collect();
    titles.sort_by_key(|t| std::cmp::Reverse(t.len()));
    let mut out = Vec::with_capacity(lines.len());
    for l in lines {
        let [Cell::Text(t)] = &l.cells[..] else {
            out.push(l.clone());
            continue;
        };
        let mut rest: &str = t;
        'cut: loop {
            let squeezed: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
            for title in &titles {
                // A title that starts the line, with more after it.
                if squeezed.starts_with(title.as_str()) && squeezed.len() > title.len() {
                    let cut = byte_after_chars(rest, title.chars().count());
                    if section_of(kind, &rest[..cut]).is_some() {
                        out.push(Line::text_line(l.loc, rest[..cut].trim()));
                        rest = &rest[cut..];
                        continue 'cut;
                    }
                }
            }
            if let Some((0, end)) = fuzzy_title(kind, rest, true)
                && end < rest.len()
            {
                out.push(Line::text_line(l.loc, rest[..end].trim()));
                rest = &rest[end..];
                continue 'cut;
            }
            // The first title after the end of a sentence or a table's last figure.
            let first = titles
                .iter()
                .filter_map(|title| {
                    rest.match_indices(title.as_str())
                        .map(|(p, _)| p)
                        .find(|&p| {
                            p > 0
                                && rest[..p].trim_end().ends_with(|c: char| {
                                    "。；)）”元".contains(c) || c.is_ascii_digit()
                                })
                        })
                })
                .min();
            let first = match (first, fuzzy_title(kind, rest, false).map(|t| t.0)) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            match first {
                Some(p) => {
                    out.push(Line::text_line(l.loc, rest[..p].trim()));
                    rest = &rest[p..];
                }
                None => break,
            }
        }
        out.push(Line::text_line(l.loc, rest.trim()));
    }
    out
}

/// A numbered section title with a typo (`四、政府信息公开行政法复议、行政诉讼情况`) inside
/// run-together text, as byte positions `(start, end)`: at the start of `rest` when
/// `at_start`, else the first one after the end of a sentence or a figure. It is the
/// number of a section followed by the wording closest to the section's title.
fn fuzzy_title(kind: &ReportType, rest: &str, at_start: bool) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for (i, sec) in kind.sections.iter().enumerate() {
        let mark = format!("{}、", NUMBERS[i]);
        let want = normalize_label(sec.title);
        let len = want.chars().count();
        for (p, _) in rest.match_indices(mark.as_str()) {
            let after_end = p > 0
                && rest[..p]
                    .trim_end()
                    .ends_with(|c: char| "。；)）”元".contains(c) || c.is_ascii_digit());
            if (at_start && p != 0) || (!at_start && !after_end) || best.is_some_and(|b| b.0 <= p) {
                continue;
            }
            let tail = &rest[p + mark.len()..];
            let words: String = tail
                .chars()
                .filter(|c| !c.is_whitespace())
                .take(len + 3)
                .collect();
            let scored = (len.saturating_sub(3)..=len + 3)
                .map(|n| {
                    let head: String = words.chars().take(n).collect();
                    (
                        super::segment::similarity(&normalize_label(&head), &want),
                        n,
                        head,
                    )
                })
                .filter(|(sim, _, head)| {
                    *sim >= 0.8 && section_of(kind, &format!("{mark}{head}")) == Some(i)
                })
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((_, n, _)) = scored {
                best = Some((p, p + mark.len() + byte_after_chars(tail, n)));
            }
        }
    }
    best
}

/// The byte index after `n` non-space characters of `s`.
fn byte_after_chars(s: &str, n: usize) -> usize {
    let mut seen = 0;
    for (i, c) in s.char_indices() {
        if seen == n {
            return i;
        }
        if !c.is_whitespace() {
            seen += 1;
        }
    }
    s.len()
}

/// Leading `#` marks of a Markdown heading, removed; and the level.
pub fn heading(text: &str) -> (usize, &str) {
    let level = text.chars().take_while(|c| *c == '#').count();
    if level > 0 && text[level..].starts_with(' ') {
        (level, text[level..].trim())
    } else {
        (0, text)
    }
}

/// The title, year and agency from the lines before the first section (a title with a
/// year before one without: a page's menu may hold `政府工作报告`); what follows the title
/// is the preamble (what stands above it is the page's: its menus and header).
fn title(lines: &[Line], out: &mut Imported) {
    let is_title = |l: &Line| {
        let t = crate::ground::text::simplify(&l.text());
        let t = heading(&t).1;
        let n = t.chars().count();
        (4..=80).contains(&n)
            && t.contains("报告")
            && !t.ends_with(['。', '；', '，'])
            && (heading(&l.text()).0 > 0 || !t.contains('。'))
    };
    let dated = |l: &Line| is_title(l) && year_and_agency(&l.text()).0.is_some();
    let at = lines
        .iter()
        .position(|l| heading(&l.text()).0 > 0 && !heading(&l.text()).1.is_empty() && is_title(l))
        .or_else(|| lines.iter().position(dated))
        .or_else(|| lines.iter().position(is_title));
    let mut used = Vec::new();
    if let Some(i) = at {
        let t = without_site(field_value(heading(&lines[i].text()).1)).to_string();
        used.push(i);
        let (y, a) = year_and_agency(&t);
        let mut full = t.clone();
        let mut agency = a;
        // A title printed over two lines: the agency above, `2023 年…报告` below.
        if agency.is_none()
            && let Some(j) = (0..i).rev().find(|j| !lines[*j].filled().is_empty())
        {
            let above = heading(&lines[j].text()).1.to_string();
            if (2..=30).contains(&above.chars().count())
                && !above.contains(['。', '，', '：'])
                && y.is_some()
            {
                full = format!("{above}{t}");
                agency = Some(above);
                used.push(j);
            }
        }
        out.year = y;
        out.agency = agency;
        out.title = Some(full);
    }
    // The title printed again (a page's own title, then its article's) is the title too,
    // and what stands between them is the page's.
    let again = |l: &Line| out.title.as_deref() == Some(without_site(heading(&l.text()).1));
    let from = used
        .iter()
        .copied()
        .chain(lines.iter().rposition(again))
        .max()
        .map_or(0, |i| i + 1);
    let pre: Vec<&Line> = lines[from..].iter().collect();
    out.preamble = markdown(&pre);
}

/// A page's title without the site's name a web page adds to it
/// (`…年度报告_政府信息公开年报_某县人民政府`, `…年度报告 - 某局`).
fn without_site(title: &str) -> &str {
    let Some(end) = title.rfind("报告").or_else(|| title.rfind("報告")) else {
        return title;
    };
    let end = end + "报告".len();
    let rest = title[end..].trim_start();
    if rest.starts_with(['_', '-', '－', '—', '–', '|', '｜'])
        && !rest
            .trim_start_matches(['_', '-', '－', '—', '–', '|', '｜'])
            .trim()
            .is_empty()
    {
        &title[..end]
    } else {
        title
    }
}

/// A line of a saved page's metadata (`标题: …`, `题名：…`) without its field name.
fn field_value(line: &str) -> &str {
    for name in ["标题", "题名", "标  题"] {
        if let Some(rest) = line.strip_prefix(name) {
            let rest = rest.trim_start();
            if let Some(v) = rest.strip_prefix([':', '：']) {
                return v.trim();
            }
        }
    }
    line
}

/// The year and the agency in a title such as `威海市人民政府外事办公室 2023 年政府信息…`.
pub fn year_and_agency(title: &str) -> (Option<u32>, Option<String>) {
    let t = crate::ground::text::fold_str(title);
    let chars: Vec<char> = t.chars().collect();
    for i in 0..chars.len().saturating_sub(3) {
        let window: String = chars[i..i + 4].iter().collect();
        if window.chars().all(|c| c.is_ascii_digit())
            && (i == 0 || !chars[i - 1].is_ascii_digit())
            && chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
            && chars[i + 4..].iter().find(|c| !c.is_whitespace()) == Some(&'年')
            && let Ok(y) = window.parse::<u32>()
            && (1990..=2100).contains(&y)
        {
            let mut agency: String = chars[..i].iter().collect::<String>().trim().to_string();
            if agency.is_empty() {
                // `2019年上海市人民政府办公厅政府信息公开工作年度报告`: the agency after the year.
                let after: String = chars[i + 4..].iter().collect();
                let after = after
                    .trim_start()
                    .trim_start_matches('年')
                    .trim_start_matches('度');
                let simple = crate::ground::text::simplify(after);
                if let Some(end) = simple.find("政府信息公开") {
                    let n = simple[..end].chars().count();
                    agency = after.chars().take(n).collect::<String>().trim().to_string();
                }
            }
            return (Some(y), (!agency.is_empty()).then_some(agency));
        }
    }
    (None, None)
}

/// How far from the end of a report its signature (`河北省教育厅2024年1月26日`) or its
/// attachments' names stand, in characters: only there is a name before a date the
/// agency's, not a sentence's subject.
const SIGNED_WITHIN: usize = 400;

/// Words an agency's name ends with.
const AGENCY_ENDS: &[&str] = &[
    "厅",
    "局",
    "委员会",
    "委",
    "办公室",
    "政府",
    "院",
    "中心",
    "署",
    "会",
    "所",
    "站",
    "馆",
    "处",
    "部",
    "办",
];

/// The agency of a report printed without it in its title, from the report's end: its
/// signature (`河北省教育厅2024年1月26日`) or its attachments' names
/// (`附件：河北省科学技术厅2023年政府信息公开工作年度报告.pdf`), the last of them.
fn signed_agency(text: &str, year: Option<u32>) -> Option<String> {
    let t = crate::ground::text::fold_str(text);
    let chars: Vec<char> = t.chars().collect();
    let from = chars.len().saturating_sub(SIGNED_WITHIN);
    let mut found = None;
    for i in from..chars.len().saturating_sub(4) {
        let digits = &chars[i..i + 4];
        if !digits.iter().all(char::is_ascii_digit)
            || chars.get(i + 4) != Some(&'年')
            || (i > 0 && chars[i - 1].is_ascii_digit())
        {
            continue;
        }
        let rest: String = chars[i + 5..chars.len().min(i + 30)].iter().collect();
        let Ok(y) = digits.iter().collect::<String>().parse::<u32>() else {
            continue;
        };
        let dated = {
            let r = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            rest.len() != r.len() && r.starts_with('月')
        };
        let titled = year == Some(y)
            && crate::ground::text::simplify(&rest)
                .trim_start_matches('度')
                .starts_with("政府信息公开");
        if !dated && !titled {
            continue;
        }
        // The name may stand on the line above the date.
        let end = chars[..i]
            .iter()
            .rposition(|c| !c.is_whitespace())
            .map_or(0, |p| p + 1);
        let start = chars[..end]
            .iter()
            .rposition(|c| !crate::ground::text::is_cjk(*c))
            .map_or(0, |p| p + 1);
        let name: String = chars[start..end].iter().collect();
        let n = name.chars().count();
        if (4..=30).contains(&n) && AGENCY_ENDS.iter().any(|e| name.ends_with(e)) {
            found = Some(name);
        }
    }
    found
}

/// The year of the statistics period (`统计期限从2023年1月1日…`), for reports printed
/// without a title.
fn period_year(lines: &[Line]) -> Option<u32> {
    lines.iter().find_map(|l| {
        let t = crate::ground::text::fold_str(&l.text()).replace(' ', "");
        let p = t.find("1月1日")?;
        let before = &t[..p];
        let y = before.strip_suffix('年')?;
        let digits: String = y
            .chars()
            .rev()
            .take(4)
            .collect::<String>()
            .chars()
            .rev()
            .collect();
        digits.parse().ok().filter(|y| (1990..=2100).contains(y))
    })
}

/// A year in a file name such as `报告-2023.pdf` or `hzq2023_working.pdf`.
pub fn year_in_name(name: &str) -> Option<u32> {
    let base = std::path::Path::new(name)
        .file_name()?
        .to_string_lossy()
        .into_owned();
    let chars: Vec<char> = base.chars().collect();
    let mut found = None;
    for i in 0..chars.len().saturating_sub(3) {
        let w: String = chars[i..i + 4].iter().collect();
        if w.chars().all(|c| c.is_ascii_digit())
            && (i == 0 || !chars[i - 1].is_ascii_digit())
            && chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
            && let Ok(y) = w.parse::<u32>()
            && (2008..=2100).contains(&y)
        {
            if found.is_some() {
                return None;
            }
            found = Some(y);
        }
    }
    found
}

/// Running text as Markdown: paragraphs, and sub-headings such as `（一）主动公开方面` as
/// `###` headings. A paragraph cut in two by the capture (no closing punctuation, the next
/// starting with a Han character) is joined again.
pub fn markdown(lines: &[&Line]) -> String {
    let mut blocks: Vec<(bool, String)> = Vec::new();
    let mut para = String::new();
    let flush = |para: &mut String, blocks: &mut Vec<(bool, String)>| {
        let p = para.trim().to_string();
        if !p.is_empty() {
            if let Some((false, prev)) = blocks.last_mut()
                && !prev.ends_with(|c: char| "。！？；：”」）)….!?;:".contains(c))
                && p.starts_with(crate::ground::text::is_cjk)
            {
                prev.push_str(&p);
            } else {
                blocks.push((false, p));
            }
        }
        para.clear();
    };
    for l in lines {
        let t = l.text();
        let t = t.trim();
        if t.is_empty() {
            flush(&mut para, &mut blocks);
            continue;
        }
        let (level, rest) = heading(t);
        // `（一）主动公开方面` or `（三）政府信息管理情况。`, not a paragraph's first line
        // (`（一）主动公开情况。主要通过…`).
        let sentence = rest
            .trim_end_matches(['。', '；', '：', ':'])
            .contains(['。', '；', '！', '？']);
        let sub = (rest.starts_with('（') || rest.starts_with('(')) && !sentence;
        if level > 0 || (sub && rest.chars().count() <= 30 && para.is_empty()) {
            flush(&mut para, &mut blocks);
            blocks.push((true, format!("### {rest}")));
            continue;
        }
        if !para.is_empty() {
            para.push('\n');
        }
        para.push_str(t);
    }
    flush(&mut para, &mut blocks);
    blocks
        .into_iter()
        .map(|(_, b)| b)
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real reports print the agency only at their end: as the signature, on the line
    /// above the date or beside it, or in their attachments' names.
    #[test]
    fn a_report_without_its_agency_in_the_title_is_signed_at_its_end() {
        let body = "一、总体情况。".repeat(200);
        let signed = |tail: &str, year| signed_agency(&format!("{body}{tail}"), year);
        assert_eq!(
            signed("账号。\r\r河北省教育厅\r2024年1月26日", Some(2023)).as_deref(),
            Some("河北省教育厅")
        );
        assert_eq!(
            signed(
                "处理费。河北省人力资源和社会保障厅2024年1月29日更多信息请关注官方微信",
                Some(2023)
            )
            .as_deref(),
            Some("河北省人力资源和社会保障厅")
        );
        assert_eq!(
            signed(
                "附件：1、河北省科学技术厅2023年政府信息公开工作年度报告.doc",
                Some(2023)
            )
            .as_deref(),
            Some("河北省科学技术厅")
        );
        // A sentence's subject before a year, an attachment of another year, a name
        // before a date far from the end: none is the agency.
        assert_eq!(
            signed("一年来，省教育厅2023年共发布信息。", Some(2023)),
            None
        );
        assert_eq!(
            signed(
                "附件：河北省科学技术厅2022年政府信息公开工作年度报告.doc",
                Some(2023)
            ),
            None
        );
        let far = format!("河北省教育厅2024年1月26日印发。{body}");
        assert_eq!(signed_agency(&far, Some(2023)), None);
    }

    #[test]
    fn the_title_gives_year_and_agency() {
        let (y, a) = year_and_agency("威海市人民政府外事办公室 2023 年政府信息公开工作年度报告");
        assert_eq!(
            (y, a.as_deref()),
            (Some(2023), Some("威海市人民政府外事办公室"))
        );
        let (y, a) = year_and_agency("某县教育局２０２２年政府信息公开工作年度报告");
        assert_eq!((y, a.as_deref()), (Some(2022), Some("某县教育局")));
        let (y, a) = year_and_agency("2019年上海市人民政府办公厅政府信息公开工作年度报告");
        assert_eq!(
            (y, a.as_deref()),
            (Some(2019), Some("上海市人民政府办公厅"))
        );
        assert_eq!(field_value("标题: 某局2020年报告"), "某局2020年报告");
        assert_eq!(
            without_site("某县2023年政府信息公开工作年度报告_政府信息公开年报_某县人民政府"),
            "某县2023年政府信息公开工作年度报告"
        );
        assert_eq!(
            without_site("某局2023年政府信息公开工作年度报告 - 某县自然资源局"),
            "某局2023年政府信息公开工作年度报告"
        );
        assert_eq!(
            without_site("某局2023年度报告（更正）"),
            "某局2023年度报告（更正）"
        );
        let (_, a) = year_and_agency("2019年上海市人民政府辦公廳政府信息公開工作年度報告");
        assert_eq!(a.as_deref(), Some("上海市人民政府辦公廳"));
        assert_eq!(year_in_name("dir/hzq2023_working.pdf"), Some(2023));
        assert_eq!(year_in_name("2022-2023.pdf"), None);
    }

    #[test]
    fn a_numbered_label_is_a_heading_and_a_paragraph_it_begins_is_not() {
        let lines: Vec<Line> = [
            "（一）主动公开方面",
            "全年主动公开政府信息1136条。",
            "",
            "（二）依申请公开情况。进一步规范依申请公开流程，畅通",
            "依申请公开受理渠道。",
        ]
        .iter()
        .enumerate()
        .map(|(i, t)| Line::text_line(super::super::Loc::Line(i + 1), *t))
        .collect();
        let refs: Vec<&Line> = lines.iter().collect();
        assert_eq!(
            markdown(&refs),
            "### （一）主动公开方面\n\n全年主动公开政府信息1136条。\n\n\
             （二）依申请公开情况。进一步规范依申请公开流程，畅通\n依申请公开受理渠道。"
        );
    }

    #[test]
    fn headings_match_by_number_and_wording() {
        let k = &crate::model::report::national::NATIONAL_2021;
        assert_eq!(
            section_of(k, "三、收到和处理    政府信息公开申请情况"),
            Some(2)
        );
        assert_eq!(
            section_of(k, "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"),
            Some(3)
        );
        assert_eq!(section_of(k, "三、收到和處理政府信息公開申請情況"), Some(2));
        assert_eq!(section_of(k, "四、结转下年度继续办理"), None);
        assert_eq!(section_of(k, "三、本年度办理结果"), None);
    }
}
