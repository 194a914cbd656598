//! Small trend charts of the reports overview, as inline SVG made at build time: no
//! JavaScript, readable in print, and each with a text alternative (the overview table
//! beside it holds the same figures).

/// A bar chart of one figure over the years. `points` are (year, value as published);
/// a year whose report format does not have the figure shows `—` and no bar.
pub fn bar_chart(id: &str, title: &str, points: &[(u32, Option<String>)]) -> String {
    const W: f64 = 320.0;
    const H: f64 = 180.0;
    // Room for the title and, below it, the value over the tallest bar.
    const TOP: f64 = 44.0;
    const BOTTOM: f64 = 28.0;
    let values: Vec<f64> = points
        .iter()
        .map(|(_, v)| {
            v.as_deref()
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        })
        .collect();
    let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let max = values.iter().copied().fold(0.0_f64, f64::max);
    let n = points.len().max(1) as f64;
    let slot = (W - 20.0) / n;
    let bar = (slot * 0.6).min(48.0);
    let plot = H - TOP - BOTTOM;
    let desc = points
        .iter()
        .map(|(y, v)| format!("{y}年：{}", shown(v)))
        .collect::<Vec<_>>()
        .join("；");
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\">\
<title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>\
<text x=\"10\" y=\"18\" class=\"chart-title\">{}</text>\
<line x1=\"10\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" class=\"chart-axis\"/>",
        escape(title),
        escape(&desc),
        escape(title),
        H - BOTTOM,
        W - 10.0,
        H - BOTTOM
    );
    for (i, ((year, label), value)) in points.iter().zip(&values).enumerate() {
        let h = if max > 0.0 { value / max * plot } else { 0.0 };
        let x = 10.0 + slot * i as f64 + (slot - bar) / 2.0;
        let y = H - BOTTOM - h;
        if label.is_some() {
            svg.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\" class=\"chart-bar\"/>"
            ));
        }
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"chart-value\" text-anchor=\"middle\">{}</text>\
<text x=\"{:.1}\" y=\"{:.1}\" class=\"chart-label\" text-anchor=\"middle\">{year}</text>",
            x + bar / 2.0,
            (y - 4.0).max(TOP - 2.0),
            escape(&shown(label)),
            x + bar / 2.0,
            H - 10.0,
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// A horizontal bar chart of one figure across named things (the members of a portal
/// group in one year). `points` are (name, value as published), drawn in that order.
pub fn hbar_chart(id: &str, title: &str, points: &[(String, String)]) -> String {
    const W: f64 = 560.0;
    const TOP: f64 = 30.0;
    const ROW: f64 = 22.0;
    const LABEL: f64 = 210.0;
    const LABEL_CHARS: usize = 16;
    let values: Vec<f64> = points
        .iter()
        .map(|(_, v)| v.parse::<f64>().unwrap_or(0.0))
        .collect();
    let max = values.iter().copied().fold(0.0_f64, f64::max);
    let h = TOP + ROW * points.len().max(1) as f64 + 8.0;
    let plot = W - LABEL - 70.0;
    let desc = points
        .iter()
        .map(|(n, v)| format!("{n}：{v}"))
        .collect::<Vec<_>>()
        .join("；");
    let mut svg = format!(
        "<svg class=\"chart chart-h\" viewBox=\"0 0 {W} {h}\" width=\"{W}\" height=\"{h}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\">\
<title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>\
<text x=\"10\" y=\"18\" class=\"chart-title\">{}</text>",
        escape(title),
        escape(&desc),
        escape(title),
    );
    for (i, ((name, label), value)) in points.iter().zip(&values).enumerate() {
        let w = if max > 0.0 { value / max * plot } else { 0.0 };
        // What fits left of the bars at 12px; the full name is in the description.
        let name = if name.chars().count() > LABEL_CHARS {
            let cut: String = name.chars().take(LABEL_CHARS - 1).collect();
            format!("{cut}…")
        } else {
            name.clone()
        };
        let y = TOP + ROW * i as f64;
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"chart-label\" text-anchor=\"end\">{}</text>\
<rect x=\"{LABEL:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" class=\"chart-bar\"/>\
<text x=\"{:.1}\" y=\"{:.1}\" class=\"chart-value\">{}</text>",
            LABEL - 6.0,
            y + ROW * 0.65,
            escape(&name),
            y + 3.0,
            ROW - 6.0,
            LABEL + w + 4.0,
            y + ROW * 0.65,
            escape(label),
        ));
    }
    svg.push_str("</svg>");
    svg
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::{bar_chart, hbar_chart};

    #[test]
    fn charts_carry_their_figures_as_text() {
        let svg = bar_chart(
            "c1",
            "本年新收申请",
            &[(2022, Some("3".into())), (2023, Some("8".into()))],
        );
        assert!(svg.contains("<title id=\"c1-t\">本年新收申请</title>"));
        assert!(svg.contains("2022年：3；2023年：8"));
        assert_eq!(svg.matches("<rect").count(), 2);
        assert_eq!(
            svg,
            bar_chart(
                "c1",
                "本年新收申请",
                &[(2022, Some("3".into())), (2023, Some("8".into()))]
            )
        );
        let svg = bar_chart("c2", "收费", &[(2020, None), (2021, Some("1.5".into()))]);
        assert!(svg.contains("2020年：—；2021年：1.5"));
        assert_eq!(svg.matches("<rect").count(), 1);
    }

    #[test]
    fn member_charts_name_each_bar_and_escape_names() {
        let svg = hbar_chart(
            "m1",
            "本年新收申请",
            &[
                ("某市<外办>".into(), "3".into()),
                ("教育局".into(), "0".into()),
            ],
        );
        assert!(svg.contains("某市&lt;外办&gt;：3；教育局：0"));
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains("width=\"0.0\""), "a zero is an empty bar");
    }
}
