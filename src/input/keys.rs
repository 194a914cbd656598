//! The Chinese names of the keys of site.toml and of front matter, for messages: an
//! unknown key lists the keys valid there with their Chinese names, so an editor who
//! writes in Chinese finds the one meant.
//!
//! The names are accepted through `#[serde(alias = …)]` on each field; the test below
//! checks that every alias is listed here and every name listed here is accepted, so the
//! two cannot drift apart.

/// English key → Chinese names, the usual one first.
const NAMES: &[(&str, &[&str])] = &[
    // site.toml
    ("title", &["标题", "主题", "事项名称"]),
    ("base_url", &["网址"]),
    ("description", &["描述", "说明"]),
    ("agency", &["机关"]),
    ("nav", &["导航"]),
    ("columns", &["栏目"]),
    ("news", &["新闻"]),
    ("search", &["搜索"]),
    ("deploy", &["上传"]),
    ("theme", &["主题"]),
    ("extra", &["扩展"]),
    ("paths", &["网址设置"]),
    ("name", &["名称", "机关名称", "栏目名称", "姓名"]),
    ("sponsor", &["主办单位"]),
    ("organizer", &["承办单位"]),
    ("address", &["地址"]),
    ("postcode", &["邮编"]),
    ("phone", &["电话"]),
    ("email", &["邮箱"]),
    ("site_code", &["网站标识码"]),
    ("icp", &["ICP备案号"]),
    ("police_record", &["公安备案号", "公安机关备案号"]),
    ("mark_image", &["网站标识图片"]),
    ("mark_url", &["网站标识链接"]),
    ("url", &["链接", "网址"]),
    ("slug", &["网址名"]),
    ("page_size", &["每页条数"]),
    ("feed_size", &["订阅条数"]),
    ("home_size", &["首页条数"]),
    ("enabled", &["启用"]),
    ("fonts", &["字体"]),
    ("body_chars", &["正文字数"]),
    ("style", &["网址风格"]),
    ("disclosure", &["政府信息公开"]),
    ("kind", &["类别"]),
    // front matter
    ("date", &["日期", "发布日期"]),
    ("category", &["栏目", "分类", "目录分类"]),
    ("tags", &["标签"]),
    ("summary", &["摘要"]),
    ("source", &["来源"]),
    ("author", &["作者"]),
    ("draft", &["草稿"]),
    ("example", &["示例"]),
    ("attachments", &["附件"]),
    ("file", &["文件"]),
    ("index_no", &["索引号"]),
    ("publisher", &["发布机构"]),
    ("written", &["成文日期"]),
    ("doc_no", &["文号"]),
    ("topic", &["主题分类"]),
    ("status", &["有效性"]),
    ("replaced_by", &["替代文件"]),
    ("amends", &["修改的文件"]),
    ("interprets", &["解读对象"]),
    ("normative", &["规范性文件"]),
    // the catalogue and 依申请公开 in site.toml
    ("catalogue", &["公开目录"]),
    ("application", &["依申请公开"]),
    ("org_code", &["组织机构代码"]),
    ("index_pattern", &["索引号格式"]),
    ("categories", &["分类"]),
    ("code", &["代码"]),
    ("parent", &["上级"]),
    ("office", &["受理机构"]),
    ("hours", &["办公时间"]),
    ("fax", &["传真"]),
    ("online", &["在线申请"]),
    ("post", &["信函地址"]),
    ("fees", &["收费"]),
    ("notes", &["说明"]),
    // the checks against the 检查指标 (docs/compliance.md)
    ("compliance", &["检查指标"]),
    ("allow_numbers", &["允许的号码"]),
    // 审核签发: [review] in site.toml, `review:` in front matter and report YAML
    ("review", &["审核签发"]),
    ("required", &["必须"]),
    ("written_by", &["撰稿", "拟稿"]),
    ("reviewed_by", &["审核"]),
    ("signed_by", &["签发"]),
    ("signed_on", &["签发日期"]),
    ("secrecy_checked", &["保密审查"]),
    // what a 政府网站 shows beyond the 专栏: site.toml
    ("special", &["专题"]),
    ("interaction", &["互动交流"]),
    ("unified", &["统一平台"]),
    ("channels", &["渠道"]),
    ("services", &["办事服务"]),
    ("portal", &["政务服务网"]),
    ("portal_name", &["政务服务网名称"]),
    ("media", &["政务新媒体"]),
    ("platform", &["平台"]),
    ("account", &["账号"]),
    ("qr", &["二维码"]),
    // … and its content: 留言, 办事指南, 机构职能, 领导信息
    ("received", &["来信日期"]),
    ("asker", &["来信人"]),
    ("letter", &["来信内容"]),
    ("reply_office", &["答复单位"]),
    ("replied", &["答复日期"]),
    ("department", &["实施机构"]),
    ("service_type", &["事项类型"]),
    ("item_code", &["事项编码"]),
    ("online_url", &["在线办理", "网上办理"]),
    ("fully_online", &["全程网办"]),
    ("updated", &["更新日期"]),
    ("departments", &["内设机构"]),
    ("functions", &["职责"]),
    ("position", &["职务"]),
    ("duties", &["分工"]),
    ("photo", &["照片"]),
    ("order", &["排序"]),
];

/// The usual Chinese name of an English key, if it has one.
pub fn chinese(key: &str) -> Option<&'static str> {
    NAMES
        .iter()
        .find(|(k, _)| *k == key)
        .and_then(|(_, z)| z.first().copied())
}

/// `key（中文名）`, or the key alone: how messages list valid keys.
pub fn with_chinese(key: &str) -> String {
    match chinese(key) {
        Some(z) => format!("{key}（{z}）"),
        None => key.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde::de::{self, Deserializer, Visitor};

    use super::NAMES;

    /// Gets the field names (aliases included) a derived `Deserialize` asks for.
    struct Fields<'a>(&'a mut &'static [&'static str]);

    impl<'de> Deserializer<'de> for Fields<'_> {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("only structs"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("recorded"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }

    fn fields<T: for<'de> serde::Deserialize<'de>>() -> &'static [&'static str] {
        let mut f: &'static [&'static str] = &[];
        let _ = T::deserialize(Fields(&mut f));
        f
    }

    #[test]
    fn every_chinese_key_is_listed_and_every_listed_name_accepted() {
        use crate::config::*;
        use crate::model::content::*;
        let structs: &[(&str, &[&str])] = &[
            ("Config", fields::<Config>()),
            ("Agency", fields::<Agency>()),
            ("NavLink", fields::<NavLink>()),
            ("Column", fields::<Column>()),
            ("NewsConfig", fields::<NewsConfig>()),
            ("PdfConfig", fields::<PdfConfig>()),
            ("SearchConfig", fields::<SearchConfig>()),
            ("Paths", fields::<crate::config::paths::Paths>()),
            ("NewsFront", fields::<NewsFront>()),
            ("DisclosureFront", fields::<DisclosureFront>()),
            ("AttachmentRef", fields::<AttachmentRef>()),
            ("SignOff", fields::<SignOff>()),
            ("ReviewConfig", fields::<ReviewConfig>()),
            ("InteractionConfig", fields::<InteractionConfig>()),
            ("Channel", fields::<Channel>()),
            ("ServicesConfig", fields::<ServicesConfig>()),
            ("MediaAccount", fields::<MediaAccount>()),
            (
                "MessageFront",
                fields::<crate::model::website::message::MessageFront>(),
            ),
            (
                "ServiceFront",
                fields::<crate::model::website::service::ServiceFront>(),
            ),
            (
                "OrganizationFront",
                fields::<crate::model::website::organization::OrganizationFront>(),
            ),
            (
                "Department",
                fields::<crate::model::website::organization::Department>(),
            ),
            (
                "LeaderFront",
                fields::<crate::model::website::organization::LeaderFront>(),
            ),
        ];
        for (name, fields) in structs {
            assert!(!fields.is_empty(), "{name}");
            for f in fields.iter().filter(|f| !f.is_ascii()) {
                assert!(
                    NAMES
                        .iter()
                        .any(|(k, z)| fields.contains(k) && z.contains(f)),
                    "{name}: alias {f} is not in NAMES under one of its keys"
                );
            }
            for f in fields.iter().filter(|f| f.is_ascii()) {
                if let Some((_, z)) = NAMES.iter().find(|(k, _)| k == f) {
                    assert!(
                        fields.contains(&z[0]),
                        "{name}: {f} does not accept its Chinese name {}",
                        z[0]
                    );
                }
            }
        }
    }
}
