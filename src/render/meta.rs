//! The meta tags government-site monitoring reads in every page's `<head>`: the site
//! (SiteName, SiteDomain, SiteIDCode), the column a page belongs to (ColumnName,
//! ColumnType — 信息发布, 解读回应 or 办事服务, the functions 《政府网站发展指引》 names) and,
//! on an article's page, the article (ArticleTitle, PubDate, ContentSource, Keywords,
//! Author, Description, Url).

use std::borrow::Cow;

use serde::Serialize;

use super::Renderer;
use super::plan::Spec;
use crate::ground::date::Date;
use crate::model::content::DisclosureKind;

/// One `<meta name content>`. Its words are borrowed from the site where they are
/// its: a rebuild makes the tags of every page to key it.
#[derive(Serialize)]
pub(super) struct Tag<'a> {
    name: &'static str,
    content: Cow<'a, str>,
}

/// What templates get as `meta`.
#[derive(Serialize, Default)]
pub(super) struct MetaCtx<'a> {
    tags: Vec<Tag<'a>>,
    /// The page is an article (its own Description replaces the site's).
    article: bool,
}

/// What an article's tags are made of.
struct Article<'a> {
    title: &'a str,
    date: Option<Date>,
    source: &'a str,
    keywords: Vec<String>,
    author: Option<&'a str>,
    description: &'a str,
}

const INFORMATION: &str = "信息发布";
const INTERPRETATION: &str = "解读回应";
const SERVICE: &str = "办事服务";
const INTERACTION: &str = "互动交流";

/// `2024-01-31 09:30`, or the date alone when no time was written.
fn pub_date(d: &Date) -> String {
    match d.time {
        Some(t) => format!("{} {:02}:{:02}", d.ymd(), t / 3600, t / 60 % 60),
        None => d.ymd(),
    }
}

impl<'s> Renderer<'s> {
    /// The meta tags of a page.
    pub(super) fn meta(&self, spec: &Spec, path: &str) -> MetaCtx<'_> {
        let s = self.site;
        let mut tags = Vec::with_capacity(12);
        tags.push(Tag {
            name: "SiteName",
            content: Cow::Borrowed(&s.config.title),
        });
        let host = self.base_url.split("://").nth(1).unwrap_or("");
        tags.push(Tag {
            name: "SiteDomain",
            content: Cow::Borrowed(host.split('/').next().unwrap_or("")),
        });
        if let Some(code) = s
            .config
            .agency
            .site_code
            .as_deref()
            .filter(|c| !c.trim().is_empty())
        {
            tags.push(Tag {
                name: "SiteIDCode",
                content: Cow::Borrowed(code.trim()),
            });
        }
        if let Some((name, kind)) = self.column_of(spec) {
            tags.push(Tag {
                name: "ColumnName",
                content: name,
            });
            tags.push(Tag {
                name: "ColumnType",
                content: Cow::Borrowed(kind),
            });
        }
        let article = self.article_of(spec);
        if let Some(a) = &article {
            let mut add = |name: &'static str, content: Cow<'s, str>| {
                if !content.trim().is_empty() {
                    tags.push(Tag { name, content });
                }
            };
            add("ArticleTitle", Cow::Borrowed(a.title));
            let date = a.date.as_ref().map(pub_date).unwrap_or_default();
            add("PubDate", Cow::Owned(date));
            add("ContentSource", Cow::Borrowed(a.source));
            add("Keywords", Cow::Owned(a.keywords.join(",")));
            add("Author", Cow::Borrowed(a.author.unwrap_or_default()));
            add("Description", Cow::Borrowed(a.description));
            add("Url", Cow::Owned(self.permalink(path)));
        }
        MetaCtx {
            tags,
            article: article.is_some(),
        }
    }

    /// The column a page belongs to and its type.
    fn column_of(&self, spec: &Spec) -> Option<(Cow<'s, str>, &'static str)> {
        let s = self.site;
        let tree = &s.catalogue.tree;
        let disclosure = || (Cow::Borrowed("政府信息公开"), INFORMATION);
        Some(match spec {
            Spec::NewsList { .. } => (Cow::Borrowed("新闻动态"), INFORMATION),
            Spec::Column { index, .. } => (
                Cow::Borrowed(&s.config.columns[*index].name[..]),
                INFORMATION,
            ),
            Spec::News(i) => {
                let n = &s.news[*i];
                let column = n.column_slug.as_ref().and(n.front.category.as_deref());
                (Cow::Borrowed(column.unwrap_or("新闻动态")), INFORMATION)
            }
            Spec::Disclosure { .. } => disclosure(),
            Spec::Category { index, .. } => {
                let name = &tree.nodes[*index].name;
                let kind = if name.contains("解读") {
                    INTERPRETATION
                } else {
                    INFORMATION
                };
                (Cow::Borrowed(&name[..]), kind)
            }
            Spec::Catalogue { .. } => (Cow::Borrowed("政府信息公开目录"), INFORMATION),
            Spec::Application | Spec::ApplicationForm => (Cow::Borrowed("依申请公开"), SERVICE),
            Spec::DisclosureItem(i) => {
                let d = &s.disclosure[*i];
                let kind = if d.front.kind == DisclosureKind::Interpretation {
                    INTERPRETATION
                } else {
                    INFORMATION
                };
                match d.category_index {
                    Some(c) => (Cow::Borrowed(&tree.nodes[c].name[..]), kind),
                    None => (Cow::Borrowed("政府信息公开"), kind),
                }
            }
            Spec::Reports | Spec::Report(_) => {
                (Cow::Borrowed("政府信息公开工作年度报告"), INFORMATION)
            }
            Spec::WebsiteReports | Spec::WebsiteReport(_) => {
                (Cow::Borrowed("政府网站工作年度报表"), INFORMATION)
            }
            Spec::Interaction { .. } => (Cow::Borrowed("互动交流"), INTERACTION),
            Spec::Services | Spec::Service(_) => (Cow::Borrowed("办事服务"), SERVICE),
            Spec::Organization => (Cow::Borrowed("机构职能"), INFORMATION),
            Spec::Leaders | Spec::Leader(_) => (Cow::Borrowed("领导信息"), INFORMATION),
            Spec::Media => (Cow::Borrowed("政务新媒体"), INFORMATION),
            _ => return None,
        })
    }

    /// The article a page shows, if it is one.
    fn article_of(&self, spec: &Spec) -> Option<Article<'s>> {
        let s = self.site;
        let agency = &s.config.agency.name;
        match spec {
            Spec::News(i) => {
                let n = &s.news[*i];
                Some(Article {
                    title: &n.front.title,
                    date: Some(n.front.date),
                    source: n.front.source.as_deref().unwrap_or(agency),
                    keywords: n.front.tags.clone(),
                    author: n.front.author.as_deref(),
                    description: &n.summary_text,
                })
            }
            Spec::DisclosureItem(i) => {
                let d = &s.disclosure[*i];
                let category = d
                    .category_index
                    .map(|c| s.catalogue.tree.nodes[c].name.clone());
                Some(Article {
                    title: &d.front.title,
                    date: Some(d.front.date),
                    source: d.front.publisher.as_deref().unwrap_or(agency),
                    keywords: category.into_iter().chain(d.front.topic.clone()).collect(),
                    author: None,
                    description: &d.summary_text,
                })
            }
            Spec::Report(i) => {
                let r = &s.reports[*i];
                Some(Article {
                    title: &r.title,
                    date: r.published,
                    source: &r.agency,
                    keywords: vec!["政府信息公开工作年度报告".to_string()],
                    author: None,
                    description: &r.title,
                })
            }
            _ => None,
        }
    }
}
