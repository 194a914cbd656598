//! The vocabulary in which a report type is described: sections, tables laid out in
//! blocks of header rows, row trees and columns, and the arithmetic rules that tie the
//! cells together. A report type is a value of these types (see `national.rs`), so the
//! loader, the rule checker and the renderer work for any of them.

/// A kind of yearly report, e.g. the 2021 national template.
#[derive(Debug)]
pub struct ReportType {
    /// What a report file's `type:` says, e.g. `national-2021`.
    pub id: &'static str,
    /// Other values `type:` may take for this type, e.g. `2019`.
    pub aliases: &'static [&'static str],
    pub name: &'static str,
    /// The number of the document that prescribes the format.
    pub basis: &'static str,
    /// Its title, as a report's preamble cites it.
    pub document: &'static str,
    /// The report years written in this format (first, last): a report file that does not
    /// say its type is read as the type of its year.
    pub years: (u32, u32),
    /// Top-level keys besides the sections, in the order a skeleton lists them.
    pub sections: &'static [SectionDef],
    pub rules: &'static [Rule],
    /// The figures compared across years (overview page, reports.csv).
    pub key_figures: &'static [KeyFigure],
}

/// A figure of a report compared across years: the sum of some cells.
#[derive(Debug)]
pub struct KeyFigure {
    pub key: &'static str,
    pub label: &'static str,
    pub table: &'static str,
    /// Rows or groups summed (a group counts every row under it).
    pub rows: &'static [&'static str],
    pub col: &'static str,
    /// Drawn as a small chart on the overview page.
    pub chart: bool,
}

/// One numbered section of the report: narrative text, or an official table.
#[derive(Debug)]
pub struct SectionDef {
    pub key: &'static str,
    pub title: &'static str,
    pub aliases: &'static [&'static str],
    pub content: SectionContent,
    /// What the editor writes here, for skeletons and docs.
    pub hint: &'static str,
}

#[derive(Debug)]
pub enum SectionContent {
    /// Markdown text (sub-headings allowed).
    Text,
    Table(&'static TableDef),
}

#[derive(Debug)]
pub struct TableDef {
    /// Short name used in messages, e.g. `表三`.
    pub name: &'static str,
    pub caption: &'static str,
    /// How many label columns stand left of the data columns.
    pub label_cols: usize,
    pub layout: Layout,
    pub blocks: &'static [Block],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One table row per data row (tables 2 and 3).
    Rows,
    /// All data rows side by side in a single table row (table 4).
    OneRow,
}

/// A part of a table with its own header and columns (table 2 has four).
#[derive(Debug)]
pub struct Block {
    /// A row spanning the whole table above the block, e.g. `第二十条第（一）项`.
    pub band: Option<&'static str>,
    pub header: &'static [&'static [Head]],
    pub columns: &'static [Col],
    pub rows: &'static [RowDef],
}

/// A header cell as printed, with its spans.
#[derive(Debug)]
pub struct Head {
    pub text: &'static str,
    pub rowspan: usize,
    pub colspan: usize,
}

pub const fn h(text: &'static str) -> Head {
    Head {
        text,
        rowspan: 1,
        colspan: 1,
    }
}

pub const fn hs(text: &'static str, rowspan: usize, colspan: usize) -> Head {
    Head {
        text,
        rowspan,
        colspan,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// A non-negative whole number (件, 个).
    Count,
    /// A non-negative decimal kept exactly as written (万元).
    Amount,
    /// A whole number that may be negative: a change from last year (`本年增/减`).
    Change,
    /// A sum of money with its unit as published (`251000元`, `25.1万元`); a bare number
    /// is taken as written.
    Money,
}

#[derive(Debug)]
pub struct Col {
    pub key: &'static str,
    pub label: &'static str,
    pub aliases: &'static [&'static str],
    pub kind: CellKind,
}

/// A row, or a group of rows under a spanning label (`（三）不予公开` over its eight).
#[derive(Debug)]
pub enum RowDef {
    Row {
        key: &'static str,
        label: &'static str,
        aliases: &'static [&'static str],
    },
    Group {
        key: &'static str,
        label: &'static str,
        aliases: &'static [&'static str],
        children: &'static [RowDef],
    },
}

impl RowDef {
    pub fn key(&self) -> &'static str {
        match self {
            RowDef::Row { key, .. } | RowDef::Group { key, .. } => key,
        }
    }
    pub fn label(&self) -> &'static str {
        match self {
            RowDef::Row { label, .. } | RowDef::Group { label, .. } => label,
        }
    }
    pub fn aliases(&self) -> &'static [&'static str] {
        match self {
            RowDef::Row { aliases, .. } | RowDef::Group { aliases, .. } => aliases,
        }
    }
}

/// An arithmetic rule (勾稽关系) between cells of one report, or of two years.
#[derive(Debug)]
pub struct Rule {
    /// Stable name used in messages and in `acknowledged:`, e.g. `T3-A`.
    pub id: &'static str,
    /// The section key of the table it applies to.
    pub table: &'static str,
    pub kind: RuleKind,
    /// The rule in words, as the template states it.
    pub text: &'static str,
}

#[derive(Debug)]
pub enum RuleKind {
    /// For every column: Σ `lhs` rows = Σ `rhs` rows.
    Balance {
        lhs: &'static [&'static str],
        rhs: &'static [&'static str],
    },
    /// For every column: row `total` = Σ of every row under `parts` (groups count all
    /// their rows). An omitted `total` is computed.
    RowSum {
        total: &'static str,
        parts: &'static [&'static str],
    },
    /// For each row in `rows` (every row when empty): column `total` = Σ `parts` columns.
    /// An omitted `total` is computed.
    ColSum {
        rows: &'static [&'static str],
        total: &'static str,
        parts: &'static [&'static str],
    },
    /// Across years, for every column: this year's row `this` = last year's row `prev`.
    /// A warning: a legitimate exception is possible.
    CrossYear {
        this: &'static str,
        prev: &'static str,
    },
}

/// Normalises a label or key for matching: no white space, full-width forms folded,
/// leading list numbering (`一、` `（一）` `1.`) and quotes removed, ASCII lower-cased.
pub fn normalize_label(s: &str) -> String {
    let folded: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '“' | '”' | '"' | '\'' => '\u{0}',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c.to_ascii_lowercase(),
        })
        .filter(|c| *c != '\u{0}')
        .collect();
    strip_numbering(&folded).to_string()
}

fn strip_numbering(s: &str) -> &str {
    const CN: &str = "一二三四五六七八九十";
    let mut rest = s;
    // `(一)` or `(1)`
    if let Some(r) = rest.strip_prefix('(')
        && let Some(end) = r.find(')')
        && r[..end]
            .chars()
            .all(|c| CN.contains(c) || c.is_ascii_digit())
        && end > 0
    {
        rest = &r[end + 1..];
    }
    // `一、` or `1.` / `1、`
    let n = rest
        .char_indices()
        .take_while(|(_, c)| CN.contains(*c) || c.is_ascii_digit())
        .last()
        .map(|(i, c)| i + c.len_utf8());
    if let Some(n) = n {
        let after = &rest[n..];
        for sep in ["、", ".", "．"] {
            if let Some(a) = after.strip_prefix(sep)
                && !a.is_empty()
            {
                return a;
            }
        }
    }
    rest
}

#[cfg(test)]
mod tests {
    use super::normalize_label;

    #[test]
    fn labels_match_across_published_variants() {
        assert_eq!(
            normalize_label("三、本 年 度 办 理 结 果"),
            "本年度办理结果"
        );
        assert_eq!(normalize_label("（一）予以公开"), "予以公开");
        assert_eq!(normalize_label("(二) 部分公开"), "部分公开");
        assert_eq!(normalize_label("3. 危及“三安全一稳定”"), "危及三安全一稳定");
        assert_eq!(normalize_label("1、属于国家秘密"), "属于国家秘密");
        assert_eq!(normalize_label("Natural_Person"), "natural_person");
        assert_eq!(normalize_label("２０２３"), "2023");
    }
}
