//! Words that stand where the editor's own go: the sample texts `gongkai init` and
//! `gongkai new` write, and stand-ins such as "说明原因". Published content must not hold
//! them: a skeleton left as it is would go live looking like a real announcement.

/// The body of a new news item's skeleton.
pub const NEWS_BODY: &str =
    "（在这里写正文。写好后删去上面标着“草稿”的一行，运行 gongkai check 检查，新闻才会发布。）";

/// The body of the sample news `gongkai init` writes.
pub const SAMPLE_NEWS: &str =
    "这是一条示例新闻。编辑 content/news/ 下的文件，或运行 `gongkai new news \"标题\"` 新建新闻。";

/// What `gongkai import` writes as the agency of a report whose text does not name it.
pub const AGENCY: &str = "（请填写机关名称）";

/// Phrases of the texts above that mark a body as not yet written.
const MARKS: &[&str] = &["在这里写正文", "这是一条示例新闻"];

/// The first place in `text` where a skeleton's words were left, with the phrase.
pub fn find(text: &str) -> Option<(usize, &'static str)> {
    MARKS
        .iter()
        .filter_map(|m| text.find(m).map(|i| (i, *m)))
        .min()
}

/// What a skeleton puts in a narrative section of a report: its hint in brackets.
pub fn report_text(hint: &str) -> String {
    format!("（{hint}）")
}

/// Whether a reason given for acknowledging a rule is a stand-in, not a reason: it would
/// be printed on the public page as "（说明：说明原因）".
pub fn is_stand_in_reason(reason: &str) -> bool {
    const STAND_INS: &[&str] = &[
        "说明原因",
        "原因",
        "写明原因",
        "填写原因",
        "原因说明",
        "待补充",
        "待填写",
        "待定",
        "略",
        "无",
        "todo",
        "tbd",
        "reason",
        "xxx",
        "...",
        "…",
        "……",
    ];
    let r: String = reason
        .trim()
        .trim_matches([
            '（', '）', '(', ')', '【', '】', '[', ']', '“', '”', '"', '。', '.',
        ])
        .to_lowercase();
    r.is_empty()
        || STAND_INS.contains(&r.as_str())
        || r.chars()
            .all(|c| matches!(c, 'x' | '×' | '…' | '.' | '?' | '？' | '*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stand_ins_are_told_from_reasons() {
        for r in ["说明原因", "（说明原因）", "TODO", "xxx", "待补充。", "……"] {
            assert!(is_stand_in_reason(r), "{r}");
        }
        assert!(!is_stand_in_reason("原报告发布时表三即如此，照原样保留"));
        assert_eq!(
            find("正文\n这是一条示例新闻。"),
            Some((7, "这是一条示例新闻"))
        );
    }
}
