//! HTML assertions through a parser (scraper, on html5ever) rather than by cutting
//! strings: what a browser would see.

#![allow(dead_code)]

use scraper::{Html, Selector};

/// The text of every element matching a CSS selector, whitespace collapsed.
pub fn texts(html: &str, selector: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(selector).unwrap_or_else(|e| panic!("{selector}: {e:?}"));
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The value of attribute `attr` of every element matching a CSS selector.
pub fn attrs(html: &str, selector: &str, attr: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(selector).unwrap_or_else(|e| panic!("{selector}: {e:?}"));
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// Every data cell of the tables: (texts of the header cells its `headers` names, text).
pub fn table_cells(html: &str) -> Vec<(Vec<String>, String)> {
    let doc = Html::parse_document(html);
    let th = Selector::parse("th[id]").unwrap();
    let td = Selector::parse("td[headers]").unwrap();
    let text = |e: scraper::ElementRef| e.text().collect::<String>().trim().to_string();
    let names: std::collections::HashMap<&str, String> = doc
        .select(&th)
        .filter_map(|e| Some((e.value().attr("id")?, text(e))))
        .collect();
    doc.select(&td)
        .map(|cell| {
            let heads = cell
                .value()
                .attr("headers")
                .unwrap_or("")
                .split_whitespace()
                .map(|id| names.get(id).cloned().unwrap_or_default())
                .collect();
            (heads, text(cell))
        })
        .collect()
}
