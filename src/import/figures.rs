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
}

impl Fig {
    pub fn loc(&self) -> Loc {
        match self {
            Fig::Num { loc, .. } | Fig::Empty(loc, _) | Fig::Bad(_, loc) => *loc,
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
}
