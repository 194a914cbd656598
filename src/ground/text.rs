//! Small text helpers shared by search, import and the memos: UTF-8 checked with SIMD,
//! full-width folding, the CJK test, and traditional characters of the report's labels
//! folded to simplified ones.

/// `bytes` as text, borrowed when they are UTF-8 (as every page made here is), else with
/// U+FFFD for what is not. Checked with SIMD (simdutf8): `str::from_utf8` goes a byte at
/// a time through Chinese, and every page and every text of a build is checked.
pub fn utf8(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// `bytes` read as JSON into a `T`; none when they are not UTF-8 or not such JSON. The
/// text is checked once, with SIMD: `serde_json::from_slice` checks each string a byte at
/// a time, a fifth of the time of reading back the load memo of 11,000 Chinese items.
pub fn from_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    serde_json::from_str(simdutf8::basic::from_utf8(bytes).ok()?).ok()
}

/// Full-width ASCII to half-width and the ideographic space to a space; other characters
/// unchanged.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// [`fold_width`] over a string.
pub fn fold_str(s: &str) -> String {
    s.chars().map(fold_width).collect()
}

/// Han characters (with 〇), kana and hangul: scripts written without spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3007 | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// Traditional forms of the characters in the report template's titles and labels, with
/// their simplified forms, sorted by the traditional character. Enough to read a 繁體 report's headings and table labels; the
/// narrative is kept as written.
const TRADITIONAL: &[(char, char)] = &[
    ('並', '并'),
    ('來', '来'),
    ('係', '系'),
    ('個', '个'),
    ('們', '们'),
    ('傳', '传'),
    ('億', '亿'),
    ('內', '内'),
    ('則', '则'),
    ('動', '动'),
    ('務', '务'),
    ('勢', '势'),
    ('區', '区'),
    ('問', '问'),
    ('單', '单'),
    ('國', '国'),
    ('圖', '图'),
    ('執', '执'),
    ('報', '报'),
    ('壞', '坏'),
    ('實', '实'),
    ('審', '审'),
    ('將', '将'),
    ('專', '专'),
    ('對', '对'),
    ('導', '导'),
    ('層', '层'),
    ('屬', '属'),
    ('廢', '废'),
    ('廣', '广'),
    ('廳', '厅'),
    ('強', '强'),
    ('後', '后'),
    ('復', '复'),
    ('態', '态'),
    ('應', '应'),
    ('戶', '户'),
    ('採', '采'),
    ('據', '据'),
    ('數', '数'),
    ('於', '于'),
    ('時', '时'),
    ('書', '书'),
    ('會', '会'),
    ('東', '东'),
    ('査', '查'),
    ('條', '条'),
    ('業', '业'),
    ('構', '构'),
    ('樣', '样'),
    ('機', '机'),
    ('檔', '档'),
    ('檢', '检'),
    ('欄', '栏'),
    ('權', '权'),
    ('歲', '岁'),
    ('歸', '归'),
    ('決', '决'),
    ('沒', '没'),
    ('況', '况'),
    ('滿', '满'),
    ('漢', '汉'),
    ('濟', '济'),
    ('為', '为'),
    ('無', '无'),
    ('營', '营'),
    ('獲', '获'),
    ('現', '现'),
    ('環', '环'),
    ('產', '产'),
    ('當', '当'),
    ('發', '发'),
    ('監', '监'),
    ('確', '确'),
    ('祕', '秘'),
    ('稅', '税'),
    ('種', '种'),
    ('稱', '称'),
    ('穩', '稳'),
    ('範', '范'),
    ('簡', '简'),
    ('籌', '筹'),
    ('糾', '纠'),
    ('紀', '纪'),
    ('納', '纳'),
    ('級', '级'),
    ('組', '组'),
    ('結', '结'),
    ('統', '统'),
    ('經', '经'),
    ('維', '维'),
    ('網', '网'),
    ('編', '编'),
    ('縣', '县'),
    ('總', '总'),
    ('織', '织'),
    ('繳', '缴'),
    ('繼', '继'),
    ('續', '续'),
    ('罰', '罚'),
    ('聯', '联'),
    ('職', '职'),
    ('聽', '听'),
    ('臺', '台'),
    ('與', '与'),
    ('舉', '举'),
    ('華', '华'),
    ('萬', '万'),
    ('處', '处'),
    ('號', '号'),
    ('補', '补'),
    ('製', '制'),
    ('複', '复'),
    ('覆', '复'),
    ('見', '见'),
    ('規', '规'),
    ('視', '视'),
    ('覽', '览'),
    ('訂', '订'),
    ('計', '计'),
    ('訊', '讯'),
    ('訟', '讼'),
    ('訪', '访'),
    ('設', '设'),
    ('許', '许'),
    ('訴', '诉'),
    ('詢', '询'),
    ('該', '该'),
    ('說', '说'),
    ('請', '请'),
    ('證', '证'),
    ('議', '议'),
    ('護', '护'),
    ('讀', '读'),
    ('讓', '让'),
    ('責', '责'),
    ('費', '费'),
    ('資', '资'),
    ('購', '购'),
    ('轉', '转'),
    ('辦', '办'),
    ('這', '这'),
    ('進', '进'),
    ('運', '运'),
    ('過', '过'),
    ('鄉', '乡'),
    ('錄', '录'),
    ('鎮', '镇'),
    ('長', '长'),
    ('門', '门'),
    ('開', '开'),
    ('間', '间'),
    ('關', '关'),
    ('陝', '陕'),
    ('陽', '阳'),
    ('際', '际'),
    ('險', '险'),
    ('頁', '页'),
    ('項', '项'),
    ('須', '须'),
    ('預', '预'),
    ('領', '领'),
    ('頻', '频'),
    ('題', '题'),
    ('額', '额'),
    ('類', '类'),
    ('體', '体'),
    ('黃', '黄'),
    ('點', '点'),
];

/// Folds the traditional characters of [`TRADITIONAL`] to simplified ones.
pub fn simplify(s: &str) -> String {
    s.chars()
        .map(|c| {
            TRADITIONAL
                .binary_search_by_key(&c, |(t, _)| *t)
                .map_or(c, |i| TRADITIONAL[i].1)
        })
        .collect()
}

/// Whether a text is written in traditional characters: several characters of
/// [`TRADITIONAL`] that differ from their simplified forms.
pub fn looks_traditional(s: &str) -> bool {
    s.chars()
        .filter(|c| TRADITIONAL.binary_search_by_key(c, |(t, _)| *t).is_ok())
        .take(5)
        .count()
        >= 5
}

/// Characters no text of a site may hold: the C0 controls but tab and line breaks, DEL,
/// the C1 controls and the two non-characters XML forbids. They are invisible, come in
/// with text pasted from Word or PDF, and one of them makes atom.xml or sitemap.xml
/// unreadable to every feed reader.
pub fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// `U+0001`, for messages.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_text_borrowed_when_utf8_and_marked_where_not() {
        let page = "<p>政府信息公开</p>".as_bytes();
        assert!(matches!(
            utf8(page),
            std::borrow::Cow::Borrowed("<p>政府信息公开</p>")
        ));
        assert_eq!(utf8(b"<p>\xe6\x94</p>"), "<p>\u{fffd}</p>");
    }

    #[test]
    fn the_character_table_is_sorted_for_binary_search() {
        assert!(TRADITIONAL.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn widths_fold_and_traditional_labels_read_as_simplified() {
        assert_eq!(fold_str("２０２３　年"), "2023 年");
        assert!(is_cjk('〇') && is_cjk('公') && !is_cjk('a'));
        assert_eq!(
            simplify("三、收到和處理政府信息公開申請情況"),
            "三、收到和处理政府信息公开申请情况"
        );
        assert!(looks_traditional(
            "武漢市黃陂區2022年政府信息公開工作年度報告"
        ));
        assert!(!looks_traditional(
            "武汉市黄陂区2022年政府信息公开工作年度报告"
        ));
    }
}
