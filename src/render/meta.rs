//! The meta tags government-site monitoring reads in every page's `<head>`: the site
//! (SiteName, SiteDomain, SiteIDCode), the column a page belongs to (ColumnName,
//! ColumnType — 信息发布, 解读回应 or 办事服务, the functions 《政府网站发展指引》 names) and,
//! on an article's page, the article (ArticleTitle, PubDate, ContentSource, Keywords,
//! Author, Description, Url).

use serde::Serialize;

use super::Renderer;
use super::plan::Spec;
use crate::ground::date::Date;
use crate::model::content::DisclosureKind;

/// One `<meta name content>`.
#[derive(Serialize)]
pub(super) struct Tag {
    name: &'static str,
    content: String,
}

/// What templates get as `meta`.
#[derive(Serialize, Default)]
pub(super) struct MetaCtx {
    tags: Vec<Tag>,
    /// The page is an article (its own Description replaces the site's).
    article: bool,
}

/// What an article's tags are made of.
struct Article<'a> {
    title: &'a str,
    date: Option<Date>,
    source: String,
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

impl Renderer<'_> {
    /// The meta tags of a page.
    pub(super) fn meta(&self, spec: &Spec, path: &str) -> MetaCtx {
        let s = self.site;
        let mut tags = vec![Tag {
            name: "SiteName",
            content: s.config.title.clone(),
        }];
        let host = self.base_url.split("://").nth(1).unwrap_or("");
        tags.push(Tag {
            name: "SiteDomain",
            content: host.split('/').next().unwrap_or("").to_string(),
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
                content: code.trim().to_string(),
            });
        }
        if let Some((name, kind)) = self.column_of(spec) {
            tags.push(Tag {
                name: "ColumnName",
                content: name,
            });
            tags.push(Tag {
                name: "ColumnType",
                content: kind.to_string(),
            });
        }
        let article = self.article_of(spec);
        if let Some(a) = &article {
            let mut add = |name: &'static str, content: String| {
                if !content.trim().is_empty() {
                    tags.push(Tag { name, content });
                }
            };
            add("ArticleTitle", a.title.to_string());
            add("PubDate", a.date.as_ref().map(pub_date).unwrap_or_default());
            add("ContentSource", a.source.clone());
            add("Keywords", a.keywords.join(","));
            add("Author", a.author.unwrap_or_default().to_string());
            add("Description", a.description.to_string());
            add("Url", self.permalink(path));
        }
        MetaCtx {
            tags,
            article: article.is_some(),
        }
    }

    /// The column a page belongs to and its type.
    fn column_of(&self, spec: &Spec) -> Option<(String, &'static str)> {
        let s = self.site;
        let tree = &s.catalogue.tree;
        let disclosure = || ("政府信息公开".to_string(), INFORMATION);
        Some(match spec {
            Spec::NewsList { .. } => ("新闻动态".to_string(), INFORMATION),
            Spec::Column { index, .. } => (s.config.columns[*index].name.clone(), INFORMATION),
            Spec::News(i) => {
                let n = &s.news[*i];
                let column = n.column_slug.as_ref().and(n.front.category.clone());
                (
                    column.unwrap_or_else(|| "新闻动态".to_string()),
                    INFORMATION,
                )
            }
            Spec::Disclosure { .. } => disclosure(),
            Spec::Category { index, .. } => {
                let name = &tree.nodes[*index].name;
                let kind = if name.contains("解读") {
                    INTERPRETATION
                } else {
                    INFORMATION
                };
                (name.clone(), kind)
            }
            Spec::Catalogue { .. } => ("政府信息公开目录".to_string(), INFORMATION),
            Spec::Application | Spec::ApplicationForm => ("依申请公开".to_string(), SERVICE),
            Spec::DisclosureItem(i) => {
                let d = &s.disclosure[*i];
                let kind = if d.front.kind == DisclosureKind::Interpretation {
                    INTERPRETATION
                } else {
                    INFORMATION
                };
                match d.category_index {
                    Some(c) => (tree.nodes[c].name.clone(), kind),
                    None => ("政府信息公开".to_string(), kind),
                }
            }
            Spec::Reports | Spec::Report(_) => {
                ("政府信息公开工作年度报告".to_string(), INFORMATION)
            }
            Spec::WebsiteReports | Spec::WebsiteReport(_) => {
                ("政府网站工作年度报表".to_string(), INFORMATION)
            }
            Spec::Interaction { .. } => ("互动交流".to_string(), INTERACTION),
            Spec::Services | Spec::Service(_) => ("办事服务".to_string(), SERVICE),
            Spec::Organization => ("机构职能".to_string(), INFORMATION),
            Spec::Leaders | Spec::Leader(_) => ("领导信息".to_string(), INFORMATION),
            Spec::Media => ("政务新媒体".to_string(), INFORMATION),
            _ => return None,
        })
    }

    /// The article a page shows, if it is one.
    fn article_of(&self, spec: &Spec) -> Option<Article<'_>> {
        let s = self.site;
        let agency = &s.config.agency.name;
        match spec {
            Spec::News(i) => {
                let n = &s.news[*i];
                Some(Article {
                    title: &n.front.title,
                    date: Some(n.front.date),
                    source: n.front.source.clone().unwrap_or_else(|| agency.clone()),
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
                    source: d.front.publisher.clone().unwrap_or_else(|| agency.clone()),
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
                    source: r.agency.clone(),
                    keywords: vec!["政府信息公开工作年度报告".to_string()],
                    author: None,
                    description: &r.title,
                })
            }
            _ => None,
        }
    }
}
