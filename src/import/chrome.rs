//! What a site prints around a report, and what a capture adds to it: the page's fields
//! (当前位置, 来源, 发布时间, 索引号, 浏览次数), its article bar (分享到, 打印本页, 关闭窗口,
//! 字体大中小), its footer (主办单位, 网站标识码, ICP 备案) and a capture's notes (本页面采集于…,
//! 原文链接, `==== 正文 ====`). None of it is the report's: such lines are read as blank
//! lines (so that where things are stays as it was), and the report's text ends at the first
//! of them after its last section.

use super::{Cell, Line};

/// Lines longer than this are never taken for chrome: a capture that ran a page's fields
/// into the report's text keeps the text.
const LONGEST: usize = 120;

/// Fields a page or a capture prints before its value (`来源：…`).
const FIELDS: &[&str] = &[
    "当前位置",
    "您当前的位置",
    "您现在的位置",
    "您的位置",
    "所在位置",
    "来源",
    "信息来源",
    "文章来源",
    "发布时间",
    "发布日期",
    "时间",
    "日期",
    "浏览次数",
    "访问次数",
    "阅读次数",
    "点击数",
    "索引号",
    "文号",
    "发布机构",
    "主题分类",
    "栏目",
    "责任编辑",
    "主办单位",
    "承办单位",
    "协办单位",
    "技术支持",
    "网站标识码",
    "原文链接",
    "原文地址",
    "本地目录",
    "采集时间",
    "保存时间",
];

/// Words of an article bar or a footer; a line made of nothing else is chrome.
const WORDS: &[&str] = &[
    "扫一扫在手机打开当前页",
    "扫一扫在手机上查看当前页面",
    "打印本页",
    "打印此页",
    "打印页面",
    "关闭窗口",
    "关闭本页",
    "关闭页面",
    "返回顶部",
    "分享到",
    "新浪微博",
    "QQ空间",
    "网站地图",
    "联系我们",
    "关于我们",
    "大中小",
    "小中大",
    "上一篇",
    "下一篇",
    "全真版",
    "文字版",
    "文件下载",
    "字体",
    "字号",
    "分享",
    "打印",
    "关闭",
    "收藏",
    "微信",
    "微博",
    "TOP",
    "使用帮助",
    "隐私保护",
    "新媒体矩阵",
    "友情链接",
    "相关链接",
    "相关文件",
    "相关阅读",
];

/// Marks of a footer or a capture's note anywhere in a short line.
const MARKS: &[&str] = &[
    "ICP备",
    "公网安备",
    "网站标识码",
    "版权所有",
    "本页面采集于",
    "页面链接与图片详见",
    "建议您使用",
    "浏览效果",
];

/// Whether a line of the input is chrome, not the report's.
pub fn is_chrome(l: &Line) -> bool {
    let [Cell::Text(t)] = &l.cells[..] else {
        return false;
    };
    let t: String = crate::ground::text::simplify(&crate::ground::text::fold_str(t))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() || t.chars().count() > LONGEST {
        return false;
    }
    let field = FIELDS.iter().any(|f| {
        t.strip_prefix(f)
            .is_some_and(|rest| rest.starts_with([':', '：']))
    });
    let note = t.starts_with("===") && t.ends_with("===");
    field || note || MARKS.iter().any(|m| t.contains(m)) || only_words(&t)
}

/// Whether `t` is nothing but [`WORDS`], brackets and separators.
fn only_words(t: &str) -> bool {
    let mut rest = t;
    let mut words = 0;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix(|c: char| "【】[]〖〗（）()|｜/:：·-_>＞»".contains(c))
        {
            rest = r;
        } else if let Some(w) = WORDS.iter().find(|w| rest.starts_with(*w)) {
            rest = &rest[w.len()..];
            words += 1;
        } else {
            return false;
        }
    }
    words > 0
}

/// A list of links (`中国新闻网` `央视国际` `平潭网` …) a page prints after its article: this
/// many short lines in a row, none of them a sentence or holding a figure.
const LINKS: usize = 3;

/// A line of a list of links: short, no sentence, no figure.
fn is_link(l: &Line) -> bool {
    let [Cell::Text(t)] = &l.cells[..] else {
        return false;
    };
    let t = t.trim();
    let n = t.chars().count();
    (1..=16).contains(&n)
        && !t.contains(|c: char| "。；，：:;,".contains(c))
        && !crate::ground::text::fold_str(t)
            .chars()
            .any(|c| c.is_ascii_digit())
}

/// The lines with chrome blanked, and the report's text cut after `last` (where the last
/// section, a section of text, starts) at the first chrome line or list of links: what
/// follows is the page's, not the report's.
pub fn strip(lines: &[Line], last: Option<usize>) -> Vec<Line> {
    let blank = |l: &Line| Line::text_line(l.loc, "");
    let last = last.unwrap_or(lines.len());
    let filled: Vec<usize> = (last..lines.len())
        .filter(|&i| !lines[i].filled().is_empty())
        .collect();
    let links = filled
        .windows(LINKS)
        .find(|w| w.iter().all(|&i| is_link(&lines[i])))
        .map(|w| w[0]);
    let end = (last..lines.len())
        .find(|&i| is_chrome(&lines[i]))
        .into_iter()
        .chain(links)
        .min()
        .unwrap_or(lines.len());
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i >= end || is_chrome(l) {
                blank(l)
            } else {
                l.clone()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Loc;

    fn chrome(t: &str) -> bool {
        is_chrome(&Line::text_line(Loc::Line(1), t))
    }

    #[test]
    fn page_fields_bars_and_footers_are_chrome_and_report_text_is_not() {
        for t in [
            "当前位置：首页 > 政务公开 > 政府信息公开年报",
            "来源：平潭综合实验区管委会办公室",
            "发布时间: 2024-03-08 15:34",
            "【字体：大 中 小】 【打印本页】 【关闭窗口】",
            "分享到：",
            "微信 微博 QQ空间",
            "主办单位：福建省平潭综合实验区管理委员会办公室",
            "网站标识码：3590000001 闽ICP备15000000号",
            "本页面采集于 2024-03-09",
            "==================== 正文 ====================",
        ] {
            assert!(chrome(t), "{t}");
        }
        for t in [
            "本报告根据《中华人民共和国政府信息公开条例》编制。",
            "（一）主动公开方面",
            "六、其他需要报告的事项",
            "其他",
            "2023年，无收取信息处理费情况。",
            "",
        ] {
            assert!(!chrome(t), "{t}");
        }
    }
}
