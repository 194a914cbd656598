//! A 报表 as data files: `报表.json` (every field with its value and where it came from)
//! and a CSV that opens in Excel, for the 全国政府网站信息报送系统 and for checking.

use serde::Serialize;

use super::{SectionRows, WebsiteReport, form::FORM};

#[derive(Serialize)]
struct Json<'a> {
    form: &'static str,
    basis: &'static str,
    site: &'a str,
    year: u32,
    title: &'a str,
    published: Option<String>,
    sections: &'a [SectionRows],
}

/// The 报表 as JSON.
pub fn json(site: &str, r: &WebsiteReport, sections: &[SectionRows]) -> Vec<u8> {
    let j = Json {
        form: FORM.name,
        basis: FORM.basis,
        site,
        year: r.year,
        title: &r.title,
        published: r.published.map(|d| d.ymd()),
        sections,
    };
    serde_json::to_vec_pretty(&j).unwrap_or_default()
}

/// The 报表 as CSV (UTF-8 with a byte-order mark, so Excel reads the Chinese right).
pub fn csv(sections: &[SectionRows]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let _ = w.write_record(["大项", "分项", "指标", "数值", "单位", "来源"]);
    for s in sections {
        for r in &s.rows {
            let _ = w.write_record([
                s.title,
                r.group.unwrap_or(""),
                r.label,
                &r.value,
                r.unit.unwrap_or(""),
                r.source,
            ]);
        }
    }
    w.into_inner().unwrap_or_default()
}
