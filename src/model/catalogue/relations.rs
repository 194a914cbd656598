//! How disclosure items name each other: a repealed document its replacement
//! (`replaced_by`), an amending one what it amends (`amends`), a 解读 its policy
//! (`interprets`). A reference is an item's 索引号, its title (with or without 《》) or
//! its slug; each is resolved both ways so that pages link forward and back.

use std::collections::HashMap;

use crate::ground::diagnostics::{Pos, nearest};
use crate::model::content::DisclosureItem;

/// The links between the items of a site, by index into `site.disclosure`.
#[derive(Debug, Clone, Default)]
pub struct Relations {
    pub replaced_by: Vec<Option<usize>>,
    pub replaces: Vec<Vec<usize>>,
    pub amends: Vec<Vec<usize>>,
    pub amended_by: Vec<Vec<usize>>,
    pub interprets: Vec<Option<usize>>,
    pub interpretations: Vec<Vec<usize>>,
    /// References that lead to no item.
    pub broken: Vec<Broken>,
}

/// A reference that leads nowhere.
#[derive(Debug, Clone)]
pub struct Broken {
    /// The item that wrote it.
    pub item: usize,
    /// The front matter key (`replaced_by`, `amends`, `interprets`).
    pub key: &'static str,
    pub value: String,
    pub pos: Option<Pos>,
    /// The item names the reference to itself.
    pub itself: bool,
    /// The nearest 索引号 or title, when there is one.
    pub nearest: Option<String>,
}

/// Finds items by 索引号, title and slug.
struct Lookup<'a> {
    by: HashMap<&'a str, usize>,
    names: Vec<&'a str>,
}

impl<'a> Lookup<'a> {
    fn new(items: &'a [DisclosureItem]) -> Self {
        let mut by = HashMap::new();
        let mut names = Vec::new();
        // 索引号 first: they win over a title or slug that happens to be the same text.
        for (i, d) in items.iter().enumerate() {
            if let Some(n) = d.front.index_no.as_deref() {
                by.entry(n.trim()).or_insert(i);
                names.push(n.trim());
            }
        }
        for (i, d) in items.iter().enumerate() {
            by.entry(d.front.title.trim()).or_insert(i);
            names.push(d.front.title.trim());
            by.entry(d.slug()).or_insert(i);
        }
        Lookup { by, names }
    }

    fn find(&self, reference: &str) -> Option<usize> {
        let r = reference.trim();
        let r = r
            .strip_prefix('《')
            .and_then(|x| x.strip_suffix('》'))
            .unwrap_or(r);
        let r = r.trim_matches('/');
        // As written (an 索引号 holds `/`), else a page address (`/zwgk/SLUG/`, whatever
        // the column's folder) by its last part.
        self.by
            .get(r)
            .or_else(|| r.rsplit('/').next().and_then(|slug| self.by.get(slug)))
            .copied()
    }
}

/// Whether a reference is a full URL (a 解读 of a policy published elsewhere).
pub fn is_external(reference: &str) -> bool {
    let r = reference.trim();
    r.starts_with("http://") || r.starts_with("https://")
}

impl Relations {
    /// Resolves every reference of `items`.
    pub fn resolve(items: &[DisclosureItem]) -> Relations {
        let n = items.len();
        let lookup = Lookup::new(items);
        let mut r = Relations {
            replaced_by: vec![None; n],
            replaces: vec![Vec::new(); n],
            amends: vec![Vec::new(); n],
            amended_by: vec![Vec::new(); n],
            interprets: vec![None; n],
            interpretations: vec![Vec::new(); n],
            broken: Vec::new(),
        };
        let mut broken = Vec::new();
        for (i, d) in items.iter().enumerate() {
            let mut resolve =
                |key: &'static str, value: &str, pos: Option<Pos>| match lookup.find(value) {
                    Some(j) if j != i => Some(j),
                    found => {
                        broken.push(Broken {
                            item: i,
                            key,
                            value: value.to_string(),
                            pos,
                            itself: found.is_some(),
                            nearest: nearest(value.trim(), lookup.names.iter().copied())
                                .map(str::to_string),
                        });
                        None
                    }
                };
            if let Some(v) = &d.front.replaced_by {
                r.replaced_by[i] = resolve("replaced_by", v, d.keys.replaced_by);
            }
            let amends: Vec<usize> = d
                .front
                .amends
                .iter()
                .enumerate()
                .filter_map(|(k, v)| resolve("amends", v, d.keys.amends.get(k).copied().flatten()))
                .collect();
            if let Some(v) = d.front.interprets.as_deref().filter(|v| !is_external(v)) {
                r.interprets[i] = resolve("interprets", v, d.keys.interprets);
            }
            r.amends[i] = amends;
        }
        r.broken = broken;
        for i in 0..n {
            if let Some(j) = r.replaced_by[i] {
                r.replaces[j].push(i);
            }
            for j in r.amends[i].clone() {
                r.amended_by[j].push(i);
            }
            if let Some(j) = r.interprets[i] {
                r.interpretations[j].push(i);
            }
        }
        r
    }

    /// Every item linked with item `i`, either way.
    pub fn around(&self, i: usize) -> Vec<usize> {
        let mut v: Vec<usize> = self.replaced_by[i]
            .into_iter()
            .chain(self.interprets[i])
            .chain(self.replaces[i].iter().copied())
            .chain(self.amends[i].iter().copied())
            .chain(self.amended_by[i].iter().copied())
            .chain(self.interpretations[i].iter().copied())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}
