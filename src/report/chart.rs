//! Small trend charts of the reports overview, as inline SVG made at build time: no
//! JavaScript, readable in print, and each with a text alternative (the overview table
//! beside it holds the same figures).

/// A bar chart of one figure over the years. `points` are (year, value as published);
/// a year whose report format does not have the figure shows `—` and no bar.
pub fn bar_chart(id: &str, title: &str, points: &[(u32, Option<String>)]) -> String {
    const W: f64 = 320.0;
    const H: f64 = 180.0;
    const TOP: f64 = 28.0;
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

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::bar_chart;

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
}
