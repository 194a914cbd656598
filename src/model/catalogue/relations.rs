//! How disclosure items name each other: a repealed document its replacement
//! (`replaced_by`), an amending one what it amends (`amends`), a 解读 its policy
//! (`interprets`). A reference is an item's 索引号, its 文号 (`某自然资发〔2024〕12号`, the
//! way offices refer to documents, brackets written any way), its title (with or without
//! 《》) or its slug; each is resolved both ways so that pages link forward and back.

use std::collections::HashMap;

use crate::ground::diagnostics::{Pos, nearest};
use crate::model::content::{DisclosureItem, Unreadable};

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
    /// The items it could mean, when it names several (a title two items share).
    pub candidates: Vec<usize>,
    /// The item it names could not be loaded: its file.
    pub unreadable: Option<String>,
}

/// A reference as it is compared: 《》 and spaces gone, the brackets of a 文号 (`[]`,
/// `【】`, `()`, `（）`, `［］`) as `〔〕`.
fn normalize(reference: &str) -> String {
    let r = reference.trim();
    let r = r
        .strip_prefix('《')
        .and_then(|x| x.strip_suffix('》'))
        .unwrap_or(r);
    r.trim_matches('/')
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '[' | '【' | '(' | '（' | '［' => '〔',
            ']' | '】' | ')' | '）' | '］' => '〕',
            c => c,
        })
        .collect()
}

/// Finds items by 索引号, 文号, title and slug, in that order of precedence: a key one
/// kind of name claims is not taken by a later kind (an 索引号 wins over a title that
/// happens to be the same text); items sharing a name of one kind are all kept.
struct Lookup {
    by: HashMap<String, Vec<usize>>,
    names: Vec<String>,
}

/// One kind of name an item is referred to by.
type NameOf = fn(&DisclosureItem) -> Option<String>;

/// What a reference found.
enum Found {
    One(usize),
    Several(Vec<usize>),
    Nothing,
}

impl Lookup {
    fn new(items: &[DisclosureItem]) -> Self {
        let mut by: HashMap<String, Vec<usize>> = HashMap::new();
        let mut names = Vec::new();
        let kinds: [NameOf; 4] = [
            |d| d.front.index_no.clone(),
            |d| d.front.doc_no.clone(),
            |d| Some(d.front.title.clone()),
            |d| Some(d.slug().to_string()),
        ];
        for (tier, name_of) in kinds.iter().enumerate() {
            let mut claimed: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, d) in items.iter().enumerate() {
                let Some(name) = name_of(d).filter(|n| !n.trim().is_empty()) else {
                    continue;
                };
                if tier < 3 {
                    names.push(name.trim().to_string());
                }
                let key = normalize(&name);
                if !by.contains_key(&key) {
                    claimed.entry(key).or_default().push(i);
                }
            }
            by.extend(claimed);
        }
        Lookup { by, names }
    }

    fn find(&self, reference: &str) -> Found {
        let r = normalize(reference);
        // As written (an 索引号 holds `/`), else a page address (`/zwgk/SLUG/`, whatever
        // the column's folder) by its last part.
        let hit = self
            .by
            .get(&r)
            .or_else(|| r.rsplit('/').next().and_then(|slug| self.by.get(slug)));
        match hit.map(Vec::as_slice) {
            Some([one]) => Found::One(*one),
            Some(several) if !several.is_empty() => Found::Several(several.to_vec()),
            _ => Found::Nothing,
        }
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
        Relations::resolve_with(items, &[])
    }

    /// Resolves every reference of `items`, knowing the items that could not be loaded
    /// (`unreadable`: a reference to one of them is a consequence of its errors).
    pub fn resolve_with(items: &[DisclosureItem], unreadable: &[Unreadable]) -> Relations {
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
            let mut resolve = |key: &'static str, value: &str, pos: Option<Pos>| {
                let found = lookup.find(value);
                if let Found::One(j) = found
                    && j != i
                {
                    return Some(j);
                }
                let wanted = normalize(value);
                let unreadable = unreadable
                    .iter()
                    .find(|u| u.names.iter().any(|n| normalize(n) == wanted))
                    .map(|u| u.file.clone());
                broken.push(Broken {
                    item: i,
                    key,
                    value: value.to_string(),
                    pos,
                    itself: matches!(found, Found::One(_)),
                    nearest: unreadable
                        .is_none()
                        .then(|| nearest(value.trim(), lookup.names.iter().map(String::as_str)))
                        .flatten()
                        .map(str::to_string),
                    candidates: match found {
                        Found::Several(c) => c,
                        _ => Vec::new(),
                    },
                    unreadable,
                });
                None
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
