//! 索引号: the number every item of the 政府信息公开目录 carries, written to a pattern
//! the site chooses. The national directory writes `{组织机构代码}/{YYYY}-{NNNNN}`
//! (前段码 the agency's code, 后段码 the year and a sequence); sites also use their own
//! prefixes (`sggzyjyzx/{YYYY}-{NNNNN}`) or put a category code in.

/// A piece of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    /// `{组织机构代码}`: the site's `org_code`.
    Org,
    /// `{YYYY}`: the item's year.
    Year,
    /// `{NNNNN}`: a sequence number of that many digits.
    Seq(usize),
    /// `{分类}`: the code of the item's category.
    Category,
}

/// A parsed 索引号 pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    parts: Vec<Part>,
    source: String,
}

/// What an item brings to its 索引号.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ctx<'a> {
    /// The site's 组织机构代码; any letters and digits match when it is not set.
    pub org: Option<&'a str>,
    /// The code of the item's category; any letters and digits when it has none.
    pub category: Option<&'a str>,
}

/// The year and number read from a 索引号.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Parsed {
    pub year: Option<u32>,
    pub seq: Option<u64>,
}

/// The placeholders a pattern may use, as the help text lists them.
pub const PLACEHOLDERS: &str = "{组织机构代码}、{YYYY}、{NNNNN}（几个 N 就是几位流水号）、{分类}";

impl Pattern {
    /// Parses a pattern; the error names the placeholder that is not understood.
    pub fn parse(s: &str) -> Result<Pattern, String> {
        let mut parts = Vec::new();
        let mut rest = s;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let Some(close) = rest[open..].find('}') else {
                return Err(format!("“{{”没有对应的“}}”：{}", &rest[open..]));
            };
            let name = rest[open + 1..open + close].trim();
            parts.push(match name {
                "组织机构代码" | "机构代码" | "org" | "org_code" => Part::Org,
                "YYYY" | "yyyy" | "年份" | "year" => Part::Year,
                "分类" | "分类代码" | "category" => Part::Category,
                n if !n.is_empty() && n.chars().all(|c| c == 'N' || c == 'n') => {
                    Part::Seq(n.chars().count())
                }
                other => return Err(format!("不认识的占位符 {{{other}}}")),
            });
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        let count = |p: fn(&Part) -> bool| parts.iter().filter(|x| p(x)).count();
        if count(|p| matches!(p, Part::Year)) > 1 || count(|p| matches!(p, Part::Seq(_))) > 1 {
            return Err("{YYYY} 和 {NNNNN} 各只能出现一次".to_string());
        }
        if parts.is_empty() {
            return Err("格式是空的".to_string());
        }
        Ok(Pattern {
            parts,
            source: s.to_string(),
        })
    }

    /// The pattern as written in site.toml.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the pattern has a sequence number to count on.
    pub fn has_sequence(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Seq(_)))
    }

    /// Whether numbers are counted per category (the pattern has `{分类}`).
    pub fn per_category(&self) -> bool {
        self.parts.contains(&Part::Category)
    }

    /// Reads `index_no` against the pattern; the error says which part is off.
    pub fn check(&self, index_no: &str, ctx: &Ctx) -> Result<Parsed, String> {
        let mut rest = index_no;
        let mut parsed = Parsed::default();
        for part in &self.parts {
            match part {
                Part::Text(t) => {
                    rest = rest
                        .strip_prefix(t.as_str())
                        .ok_or_else(|| format!("“{}”处应为“{t}”", shown(rest)))?;
                }
                Part::Org | Part::Category => {
                    let (fixed, what) = match part {
                        Part::Org => (ctx.org, "组织机构代码"),
                        _ => (ctx.category, "分类代码"),
                    };
                    rest = match fixed {
                        Some(code) => rest
                            .strip_prefix(code)
                            .ok_or_else(|| format!("“{}”处应为{what} {code}", shown(rest)))?,
                        None => {
                            let n = rest
                                .find(|c: char| !c.is_ascii_alphanumeric())
                                .unwrap_or(rest.len());
                            if n == 0 {
                                return Err(format!("“{}”处应为{what}", shown(rest)));
                            }
                            &rest[n..]
                        }
                    };
                }
                Part::Year => {
                    let digits = leading_digits(rest);
                    let year = (digits.len() == 4)
                        .then(|| digits.parse::<u32>().ok())
                        .flatten()
                        .filter(|y| (1949..=2100).contains(y))
                        .ok_or_else(|| format!("“{}”处应为四位年份", shown(rest)))?;
                    parsed.year = Some(year);
                    rest = &rest[4..];
                }
                Part::Seq(n) => {
                    let digits = leading_digits(rest);
                    if digits.len() != *n {
                        return Err(format!("“{}”处应为 {n} 位数字的流水号", shown(rest)));
                    }
                    parsed.seq = digits.parse().ok();
                    rest = &rest[*n..];
                }
            }
        }
        if !rest.is_empty() {
            return Err(format!("结尾多出了“{rest}”"));
        }
        Ok(parsed)
    }

    /// The 索引号 of number `seq` of `year`. Placeholders the context cannot fill stay
    /// as written, for the editor to complete.
    pub fn format(&self, ctx: &Ctx, year: u32, seq: u64) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::Org => ctx.org.unwrap_or("{组织机构代码}").to_string(),
                Part::Category => ctx.category.unwrap_or("{分类}").to_string(),
                Part::Year => format!("{year:04}"),
                Part::Seq(n) => format!("{seq:0n$}"),
            })
            .collect()
    }
}

fn leading_digits(s: &str) -> &str {
    &s[..s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len())]
}

/// The start of what is left, for messages (the whole rest when it is short).
fn shown(rest: &str) -> String {
    if rest.is_empty() {
        return "结尾".to_string();
    }
    let head: String = rest.chars().take(12).collect();
    if head.len() < rest.len() {
        format!("{head}…")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_national_pattern_reads_year_and_number() {
        let p = Pattern::parse("{组织机构代码}/{YYYY}-{NNNNN}").unwrap();
        let ctx = Ctx {
            org: Some("004188527"),
            category: None,
        };
        assert_eq!(
            p.check("004188527/2024-00012", &ctx),
            Ok(Parsed {
                year: Some(2024),
                seq: Some(12)
            })
        );
        assert_eq!(p.format(&ctx, 2024, 13), "004188527/2024-00013");
        let e = p.check("004188527/2024-012", &ctx).unwrap_err();
        assert!(e.contains("5 位数字"), "{e}");
        let e = p.check("11370000/2024-00012", &ctx).unwrap_err();
        assert!(e.contains("004188527"), "{e}");
        assert!(p.check("004188527/2024-00012x", &ctx).is_err());
    }

    #[test]
    fn site_prefixes_and_category_codes_are_patterns_too() {
        let p = Pattern::parse("sggzyjyzx/{YYYY}-{NNNNN}").unwrap();
        assert!(p.check("sggzyjyzx/2024-00002", &Ctx::default()).is_ok());
        let p = Pattern::parse("{org}-{分类}-{YYYY}-{NNNN}").unwrap();
        assert!(p.per_category());
        let ctx = Ctx {
            org: None,
            category: Some("0102"),
        };
        assert!(p.check("ABC123-0102-2023-0007", &ctx).is_ok());
        assert!(p.check("ABC123-0101-2023-0007", &ctx).is_err());
        assert!(Pattern::parse("{年月}/{NNN}").is_err());
        assert!(Pattern::parse("{YYYY}-{NNN}-{NN}").is_err());
    }
}
