//! The rows of a table as the template defines them, with the vocabulary that tells the
//! labels of the input apart: row and group labels (and their aliases), column and header
//! labels. Reading a table and settling its figures both name rows by it.

use super::Loc;
use super::segment::{self, Piece, Term};
use crate::model::report::schema::{RowDef, TableDef};

/// Where a run of figures goes: a row, a group printed as one row, figures printed
/// without row labels (under a header), or nowhere (labels that name no row).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Row(usize),
    Group(usize),
    Loose,
    Unplaced,
}

/// A data row of the template with what labels it.
pub struct Leaf {
    pub block: usize,
    pub key: &'static str,
    pub term: Term,
    pub aliases: Vec<Term>,
}

pub struct Group {
    pub key: &'static str,
    pub term: Term,
    /// Indexes of its leaves.
    pub leaves: Vec<usize>,
}

/// The rows of a table definition, with the vocabulary for telling labels apart.
pub struct Catalog {
    pub leaves: Vec<Leaf>,
    pub groups: Vec<Group>,
    /// Column and header labels, bands and notes: printed above the figures.
    pub headers: Vec<Term>,
    /// Column labels per block, for the order a header prints them in.
    pub columns: Vec<Vec<Term>>,
}

impl Catalog {
    pub fn new(def: &'static TableDef) -> Catalog {
        let mut c = Catalog {
            leaves: Vec::new(),
            groups: Vec::new(),
            headers: Vec::new(),
            columns: Vec::new(),
        };
        for (bi, b) in def.blocks.iter().enumerate() {
            c.walk(bi, b.rows);
            for h in b.header.iter().flat_map(|r| r.iter()) {
                c.headers.push(Term::new(h.text));
            }
            let mut cols = Vec::new();
            for col in b.columns {
                c.headers.push(Term::new(col.label));
                cols.push(Term::new(col.label));
                c.headers.extend(col.aliases.iter().map(|a| Term::new(a)));
            }
            c.columns.push(cols);
            if let Some(band) = b.band {
                c.headers.push(Term::new(band));
            }
        }
        c.headers.push(Term::new(def.caption));
        c
    }

    fn walk(&mut self, block: usize, rows: &'static [RowDef]) -> Vec<usize> {
        let mut mine = Vec::new();
        for r in rows {
            match r {
                RowDef::Row {
                    key,
                    label,
                    aliases,
                } => {
                    mine.push(self.leaves.len());
                    self.leaves.push(Leaf {
                        block,
                        key,
                        term: Term::new(label),
                        aliases: aliases.iter().map(|a| Term::new(a)).collect(),
                    });
                }
                RowDef::Group {
                    key,
                    label,
                    children,
                    ..
                } => {
                    let leaves = self.walk(block, children);
                    mine.extend(&leaves);
                    self.groups.push(Group {
                        key,
                        term: Term::new(label),
                        leaves,
                    });
                }
            }
        }
        mine
    }

    /// Every term, for cutting run-together text.
    pub fn terms(&self) -> Vec<Term> {
        let mut v: Vec<Term> = self.headers.clone();
        for l in &self.leaves {
            v.push(l.term.clone());
            v.extend(l.aliases.iter().cloned());
        }
        v.extend(self.groups.iter().map(|g| g.term.clone()));
        v
    }

    pub fn is_header(&self, text: &str) -> bool {
        let n = segment::norm(text);
        !n.is_empty()
            && segment::numbering(text).is_none()
            && self.headers.iter().any(|h| h.core == n)
    }

    pub fn group(&self, text: &str) -> Option<usize> {
        let n = segment::norm(text);
        self.groups.iter().position(|g| g.term.core == n)
    }

    /// The row a label names: exactly (its text or an alias), else the closest label whose
    /// numbering it shares, if that one is clearly the closest.
    pub fn row(&self, text: &str, fuzzy: bool) -> Option<usize> {
        let n = segment::norm(text);
        if n.is_empty() {
            return None;
        }
        let num = segment::numbering(text);
        let exact: Vec<usize> = (0..self.leaves.len())
            .filter(|i| {
                let l = &self.leaves[*i];
                l.term.core == n || l.aliases.iter().any(|a| a.core == n)
            })
            .collect();
        if let [one] = exact[..] {
            return Some(one);
        }
        if let Some(i) = exact
            .iter()
            .find(|i| num.is_some() && self.leaves[**i].term.numbering == num)
        {
            return Some(*i);
        }
        if !exact.is_empty() || !fuzzy || n.chars().count() < 3 {
            return exact.first().copied();
        }
        let mut scored: Vec<(f64, usize)> = self
            .leaves
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let same = num.is_some() && l.term.numbering == num;
                let s = segment::similarity(&n, &l.term.core) + if same { 0.2 } else { 0.0 };
                (s, i)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let (best, i) = scored[0];
        let second = scored.get(1).map_or(0.0, |s| s.0);
        (best >= 0.75 && best - second >= 0.1).then_some(i)
    }

    /// The row the labels before a run of figures name: the last label alone, else the last
    /// two or three joined (a label wrapped over lines), else the closest near miss.
    pub fn target(&self, labels: &[(String, Loc)]) -> Target {
        let last = &labels[labels.len() - 1].0;
        if self.is_header(last) {
            return Target::Loose;
        }
        let joined = |k: usize| -> String {
            labels[labels.len() - k..]
                .iter()
                .map(|(t, _)| t.as_str())
                .collect()
        };
        let most = labels.len().min(4);
        for fuzzy in [false, true] {
            for k in 1..=most {
                let t = joined(k);
                if k == 1
                    && let Some(g) = self.group(&t)
                {
                    return Target::Group(g);
                }
                if let Some(i) = self.row(&t, fuzzy) {
                    return Target::Row(i);
                }
            }
        }
        // A group's label run into its first row's (`三、本年度（一）予以公开办理结果`): the
        // one row it names.
        let pieces = segment::cut(last, &self.terms());
        let rows: Vec<usize> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Label(t) => self.row(t, false),
                Piece::Rest(_) => None,
            })
            .collect();
        if let [i] = rows[..]
            && pieces.len() > 1
        {
            return Target::Row(i);
        }
        if labels.iter().any(|(t, _)| self.is_header(t)) {
            Target::Loose
        } else {
            Target::Unplaced
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::report::national::TABLE_3;

    #[test]
    fn labels_name_rows_exactly_or_by_a_near_miss_with_their_numbering() {
        let cat = Catalog::new(&TABLE_3);
        let key = |t: &str, fuzzy| cat.row(t, fuzzy).map(|i| cat.leaves[i].key);
        assert_eq!(key("3.其他", false), Some("other"));
        assert_eq!(key("2.其他法律行政止公开", true), Some("prohibited_by_law"));
        assert_eq!(key("2.其他法律行政止公开", false), None);
        assert!(cat.is_header("其他") && !cat.is_header("3.其他"));
    }
}
