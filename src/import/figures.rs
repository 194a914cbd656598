//! Figures as read from the input, before the rules settle them: each a number as written,
//! an empty cell or something else in a figure's place ([`Fig`]), and the figures of one
//! table put with the rows their labels name ([`TableRead`]).

use std::collections::BTreeMap;

use super::Loc;

/// A figure token as read.
#[derive(Debug, Clone)]
pub enum Fig {
    /// A number as written (full-width folded); `joined` when it ran into the text around
    /// it with no separator, so that it may hold several cells.
    Num {
        text: String,
        loc: Loc,
        joined: bool,
    },
    /// An empty cell of a real table; `true` when only the columns of the rows around
    /// say that it is one ([`super::Cell::Blank`]).
    Empty(Loc, bool),
    /// Something in a figure's place that is not a number.
    Bad(String, Loc),
    /// The figures of a row whose columns the page leaves open ([`super::Cell::Placements`]):
    /// every placement of them, each the row's cells (a figure as written, or `None` for a
    /// blank), and the figures as printed.
    Placed {
        rows: Vec<Vec<Option<String>>>,
        text: String,
        loc: Loc,
    },
}

impl Fig {
    /// The figure as the input shows it, for messages.
    pub fn shown(&self) -> String {
        match self {
            Fig::Num { text, .. } | Fig::Bad(text, _) | Fig::Placed { text, .. } => text.clone(),
            Fig::Empty(..) => "（空白）".into(),
        }
    }

    /// The figure as one cell of a reading: an empty cell is 0; anything but a number
    /// (placements included) is no figure.
    pub fn val(&self) -> Val {
        match self {
            Fig::Num { text, .. } => Val::Known(text.clone()),
            Fig::Empty(..) => Val::Known("0".into()),
            Fig::Bad(text, _) | Fig::Placed { text, .. } => Val::Bad(text.clone()),
        }
    }

    pub fn loc(&self) -> Loc {
        match self {
            Fig::Num { loc, .. }
            | Fig::Empty(loc, _)
            | Fig::Bad(_, loc)
            | Fig::Placed { loc, .. } => *loc,
        }
    }
}

/// A token of a table's section: a label, or a figure.
pub enum Tok {
    Label(String),
    Fig(Fig),
}

/// A cell as one reading of the input takes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Val {
    Known(String),
    /// A cell the input does not have.
    Missing,
    /// Not a number.
    Bad(String),
}

impl Val {
    pub fn count(&self) -> Option<u64> {
        match self {
            Val::Known(s) => s.parse().ok(),
            _ => None,
        }
    }
}

/// What was read of one table, before the figures are settled.
pub struct TableRead {
    pub rows: BTreeMap<usize, (Loc, Vec<Fig>)>,
    pub groups: BTreeMap<usize, (Loc, Vec<Fig>)>,
    pub loose: Vec<Fig>,
    /// Per block: 总计 printed before the other columns.
    pub total_first: Vec<bool>,
    /// Rows rebuilt from the order of their figures (a table printed a cell a line, block
    /// by block), instead of by their labels.
    pub spans: Vec<Span>,
}

/// Rows rebuilt from the order of their figures (a table printed a cell a line): the cells they fill
/// (`(leaf, column)`), every reading of them that the order and the rules within each row
/// allow, and the groups printed as one row among them (the group's figures in its first
/// row's cells, its other rows 0 in every reading).
pub struct Span {
    pub cells: Vec<(usize, usize)>,
    pub readings: Vec<Vec<Val>>,
    pub groups: Vec<usize>,
    pub loc: Loc,
    pub raw: String,
}
