//! The text of an Excel `.xlsx` attachment, row by row, for the personal-data check: a
//! name list published as a spreadsheet is the commonest way an ID or phone number gets
//! out. Shared strings, inline strings and numbers are read; formulas' cached values
//! too. Decompression is bounded, as for the importer's Word files.

use std::io::Read;

use roxmltree::Document;

/// The most one part of the file may hold once decompressed.
const LIMIT: u64 = 64 * 1024 * 1024;

fn part(zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str) -> Option<String> {
    let entry = zip.by_name(name).ok()?;
    if entry.size() > LIMIT {
        return None;
    }
    let mut xml = String::new();
    entry.take(LIMIT + 1).read_to_string(&mut xml).ok()?;
    (xml.len() as u64 <= LIMIT).then_some(xml)
}

/// The text of a node's `t` descendants (a rich-text string is split over runs).
fn text_of(n: roxmltree::Node) -> String {
    n.descendants()
        .filter(|d| d.is_element() && d.tag_name().name() == "t")
        .filter_map(|d| d.text())
        .collect()
}

/// (where, the row's cells joined by tabs) for every row with text, sheets in order;
/// none when the file is not a readable workbook.
pub fn rows(bytes: &[u8]) -> Option<Vec<(String, String)>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let shared: Vec<String> = match part(&mut zip, "xl/sharedStrings.xml") {
        Some(xml) => {
            let doc = Document::parse(&xml).ok()?;
            doc.root_element()
                .children()
                .filter(|n| n.is_element() && n.tag_name().name() == "si")
                .map(text_of)
                .collect()
        }
        None => Vec::new(),
    };
    let names: Vec<String> = (0..zip.len())
        .filter_map(|i| Some(zip.name_for_index(i)?.ok()?.to_string()))
        .collect();
    let mut sheets: Vec<(u32, String)> = names
        .iter()
        .filter_map(|n| {
            let k = n
                .strip_prefix("xl/worksheets/sheet")?
                .strip_suffix(".xml")?;
            Some((k.parse().ok()?, n.to_string()))
        })
        .collect();
    sheets.sort();
    let mut out = Vec::new();
    for (k, name) in sheets {
        let Some(xml) = part(&mut zip, &name) else {
            continue;
        };
        let Ok(doc) = Document::parse(&xml) else {
            continue;
        };
        for row in doc
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == "row")
        {
            let cells: Vec<String> = row
                .children()
                .filter(|c| c.is_element() && c.tag_name().name() == "c")
                .map(|c| {
                    let value = c
                        .children()
                        .find(|v| v.is_element() && v.tag_name().name() == "v")
                        .and_then(|v| v.text())
                        .unwrap_or("");
                    match c.attribute("t") {
                        Some("s") => value
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| shared.get(i).cloned())
                            .unwrap_or_default(),
                        Some("inlineStr") => text_of(c),
                        _ => value.to_string(),
                    }
                })
                .collect();
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let r = row.attribute("r").unwrap_or("?");
            out.push((format!("第 {k} 个工作表第 {r} 行"), cells.join("\t")));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn rows_read_shared_and_inline_strings_and_numbers() {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let o = zip::write::SimpleFileOptions::default();
            z.start_file("xl/sharedStrings.xml", o).unwrap();
            z.write_all(r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>姓名</t></si><si><r><t>3702021985</t></r><r><t>06123010</t></r></si></sst>"#.as_bytes()).unwrap();
            z.start_file("xl/worksheets/sheet1.xml", o).unwrap();
            z.write_all(r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>王某</t></is></c><c r="B2" t="s"><v>1</v></c><c r="C2"><v>13912345678</v></c></row></sheetData></worksheet>"#.as_bytes()).unwrap();
            z.finish().unwrap();
        }
        let read = rows(buf.get_ref()).unwrap();
        assert_eq!(
            read[0],
            ("第 1 个工作表第 1 行".to_string(), "姓名".to_string())
        );
        assert_eq!(read[1].1, "王某\t370202198506123010\t13912345678");
        assert!(rows(b"not a zip").is_none());
    }
}
