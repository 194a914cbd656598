//! A PDF as published, read directly: the text of each page with the position of every
//! character (pdf-extract on lopdf). Characters become runs (set apart by a gap), runs
//! become lines (by baseline), and a table row is rebuilt from positions rather than from
//! one reading order: label lines above and below a row of figures, within a line's
//! height, are its label (a label wrapped over lines, a group label centred on its rows, a
//! label printed vertically). Page numbers go; paragraphs wrapped over lines are joined.
//! The file is read and checked by [`super::pdf_load`] and [`super::pdf_prepare`]
//! before pdf-extract sees it; a page or a file with more characters than the layout
//! here is meant for ([`PAGE_GLYPHS`], [`FILE_GLYPHS`]) is refused.

use std::sync::Once;

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use super::pdf_load::{Cap, Decoder, FILE_GLYPHS, Fault, PAGE_GLYPHS};
use super::{ImportError, Line, Loc, readings};

/// One character on a page: position (from the top), advance, size.
#[derive(Debug, Clone)]
pub(super) struct Glyph {
    pub x: f64,
    pub y: f64,
    pub adv: f64,
    pub size: f64,
    pub ch: String,
}

#[derive(Default)]
struct Collect {
    pages: Vec<(f64, Vec<Glyph>)>,
    glyphs: usize,
    /// Stopped at [`PAGE_GLYPHS`] or [`FILE_GLYPHS`].
    over: bool,
}

impl OutputDev for Collect {
    fn begin_page(
        &mut self,
        _n: u32,
        media: &MediaBox,
        _art: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.pages.push((media.ury - media.lly, Vec::new()));
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        ch: &str,
    ) -> Result<(), OutputError> {
        let size = (font_size * trm.m11)
            .abs()
            .max(font_size * trm.m22.abs())
            .max(1.0);
        // White space places nothing: the layout drops it.
        if ch.trim().is_empty() {
            return Ok(());
        }
        if let Some((h, g)) = self.pages.last_mut() {
            self.glyphs += 1;
            if g.len() >= PAGE_GLYPHS || self.glyphs > FILE_GLYPHS {
                self.over = true;
                return Err(OutputError::FormatError(std::fmt::Error));
            }
            g.push(Glyph {
                x: trm.m31,
                y: *h - trm.m32,
                adv: (width * size).max(size * 0.3),
                size,
                ch: ch.to_string(),
            });
        }
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

thread_local! {
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs the PDF library with its panics caught and kept off the terminal: a malformed
/// file is an error message, not a crash.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    r.ok()
}

/// The lines of a PDF, or `None` for one with no text layer (a scan).
pub fn lines(bytes: &[u8], name: &str) -> Result<Option<Vec<Line>>, ImportError> {
    let refused = |f: Fault| ImportError(format!("{}没有写入文件。", f.message(name)));
    let mut decoder = Decoder::default();
    let mut doc = super::pdf_load::load(bytes, &mut decoder).map_err(refused)?;
    super::pdf_prepare::prepare(&mut doc, &mut decoder).map_err(refused)?;
    let pages = guarded(move || {
        let mut c = Collect::default();
        match pdf_extract::output_doc(&doc, &mut c) {
            Ok(()) => Ok(c.pages),
            Err(_) if c.over => Err(Fault::Over(Cap::Glyphs)),
            Err(_) => Err(Fault::Broken),
        }
    })
    .unwrap_or(Err(Fault::Broken))
    .map_err(refused)?;
    let chars: usize = pages
        .iter()
        .flat_map(|(_, g)| g)
        .filter(|g| !g.ch.trim().is_empty())
        .count();
    if chars < 20 && decoder.damaged() {
        return Err(refused(Fault::Damaged));
    }
    if chars < 20 {
        return Ok(None);
    }
    Ok(Some(positioned(pages, |page, _, line| Loc::Page {
        page,
        line,
    })))
}

/// The lines of pages of placed characters `(height, glyphs)`: a PDF's, or text laid out
/// in columns (`pdftotext -layout`, an OCR engine's words). `loc` names a line by its
/// page, its distance from the top and its place on the page (all 1-based but `y`).
pub(super) fn positioned(
    pages: Vec<(f64, Vec<Glyph>)>,
    loc: fn(usize, f64, usize) -> Loc,
) -> Vec<Line> {
    let mut out = Vec::new();
    let mut columns = None;
    for (i, (height, glyphs)) in pages.into_iter().enumerate() {
        page(i + 1, height, glyphs, loc, &mut columns, &mut out);
    }
    paragraphs(out)
}

/// A line of a page, before paragraphs are joined: running text with where it starts and
/// ends (and the page's margins), or the cells of a table line.
enum Entry {
    Text {
        loc: Loc,
        text: String,
        indented: bool,
        short: bool,
        size: f64,
    },
    Cells(Loc, Vec<super::Cell>),
}

/// A run of characters on one baseline with no gap.
#[derive(Debug, Clone)]
struct Run {
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    text: String,
}

/// A line of runs on one baseline, with the label runs merged into it from other lines.
struct PLine {
    y: f64,
    size: f64,
    runs: Vec<Run>,
    figures: bool,
}

/// The lines of one page.
fn page(
    no: usize,
    height: f64,
    mut glyphs: Vec<Glyph>,
    loc: fn(usize, f64, usize) -> Loc,
    columns: &mut Option<Vec<f64>>,
    out: &mut Vec<Entry>,
) {
    glyphs.retain(|g| !g.ch.trim().is_empty());
    let mut runs = vertical(&mut glyphs);
    let mut lines = baselines(glyphs);
    lines.retain(|l| {
        let text: String = l.runs.iter().map(|r| r.text.as_str()).collect();
        let edge = l.y < height * 0.1 || l.y > height * 0.88;
        !(edge && super::plain::is_page_number(&text))
    });
    // Label lines join the row of figures they sit beside: left of where its figures
    // start (kept per line, as labels join).
    let mut merged: Vec<bool> = vec![false; lines.len()];
    let mut first_figs: Vec<f64> = lines.iter().map(first_figure).collect();
    runs.extend(
        lines
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.figures)
            .flat_map(|(i, l)| l.runs.iter().map(move |r| (i, r.clone())))
            .map(|(i, r)| Run {
                text: format!("{i}\u{0}{}", r.text),
                ..r
            }),
    );
    for r in runs {
        let (from, text) = match r.text.split_once('\u{0}') {
            Some((i, t)) => (i.parse::<usize>().ok(), t.to_string()),
            None => (None, r.text.clone()),
        };
        let near = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.figures)
            .filter(|(i, l)| {
                r.x1 <= first_figs[*i] + 1.0
                    && (l.y - r.y).abs() <= 1.15 * l.size.max(r.size)
                    && !starts_another(l, &r, &text)
            })
            .min_by(|a, b| (a.1.y - r.y).abs().total_cmp(&(b.1.y - r.y).abs()))
            .map(|(i, _)| i);
        match (near, from) {
            (Some(t), from) => {
                if let Some(f) = from {
                    merged[f] = true;
                }
                label_into(&mut lines[t], Run { text, ..r });
                first_figs[t] = first_figure(&lines[t]);
            }
            (None, None) => {
                lines.push(PLine {
                    y: r.y,
                    size: r.size,
                    runs: vec![Run { text, ..r }],
                    figures: false,
                });
                first_figs.push(f64::MAX);
            }
            (None, Some(_)) => {}
        }
    }
    let keep: Vec<bool> = (0..lines.len())
        .map(|i| !merged.get(i).copied().unwrap_or(false))
        .collect();
    let mut lines: Vec<PLine> = lines
        .into_iter()
        .zip(keep)
        .filter_map(|(l, k)| k.then_some(l))
        .collect();
    lines.sort_by(|a, b| a.y.total_cmp(&b.y));
    let text_lines = lines.iter().filter(|l| l.runs.len() == 1 && !l.figures);
    let margin = text_lines
        .clone()
        .map(|l| l.runs[0].x0)
        .fold(f64::MAX, f64::min);
    let right = text_lines.map(|l| l.runs[0].x1).fold(0.0, f64::max);
    let placed: Vec<super::columns::Placed> = lines
        .iter()
        .map(|l| super::columns::Placed {
            size: l.size,
            runs: l
                .runs
                .iter()
                .map(|r| (r.x0, r.x1, r.text.as_str()))
                .collect(),
        })
        .collect();
    let blanks = super::columns::blanks(&placed, columns);
    for (i, (l, filled)) in lines.iter().zip(blanks).enumerate() {
        let loc = loc(no, l.y, i + 1);
        let text = |r: &Run| super::Cell::Text(r.text.clone());
        if let Some(cells) = filled {
            out.push(Entry::Cells(loc, cells));
        } else if l.runs.len() == 1 && !l.figures {
            let r = &l.runs[0];
            out.push(Entry::Text {
                loc,
                text: r.text.clone(),
                indented: r.x0 > margin + r.size * 0.9,
                short: r.x1 < right - r.size * 1.5,
                size: r.size,
            });
        } else {
            out.push(Entry::Cells(loc, l.runs.iter().map(text).collect()));
        }
    }
}

/// A numbered label (`（二）部分公开…`) under or over a row whose own label in its place is
/// numbered too starts a row of its own: it is no part of that row's label.
fn starts_another(row: &PLine, r: &Run, text: &str) -> bool {
    let numbered = |t: &str| super::segment::numbering(t).is_some();
    numbered(text)
        && row.runs.iter().any(|c| {
            readings::number(&c.text).is_none() && r.x0 < c.x1 && c.x0 < r.x1 && numbered(&c.text)
        })
}

/// Where the first figure of a line starts.
fn first_figure(l: &PLine) -> f64 {
    l.runs
        .iter()
        .filter(|x| readings::number(&x.text).is_some())
        .map(|x| x.x0)
        .fold(f64::MAX, f64::min)
}

/// A label run put into a row: into the label cell it overlaps (text above first), else
/// as a cell of its own, in the order of the row.
fn label_into(line: &mut PLine, r: Run) {
    if let Some(c) = line
        .runs
        .iter_mut()
        .filter(|c| readings::number(&c.text).is_none())
        .find(|c| r.x0 < c.x1 && c.x0 < r.x1)
    {
        if r.y < c.y {
            c.text = format!("{}{}", r.text, c.text);
        } else {
            c.text.push_str(&r.text);
        }
        c.x0 = c.x0.min(r.x0);
        c.x1 = c.x1.max(r.x1);
        c.y = c.y.min(r.y);
        return;
    }
    line.runs.push(r);
    line.runs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
}

/// Characters stacked one under another at one x (three or more): a label printed
/// vertically, taken out of `glyphs` as one run placed at its middle.
fn vertical(glyphs: &mut Vec<Glyph>) -> Vec<Run> {
    let mut used = vec![false; glyphs.len()];
    let mut out = Vec::new();
    let index = Index::new(glyphs);
    let order = &index.by_x;
    let max_adv = glyphs.iter().map(|g| g.adv).fold(0.0, f64::max);
    let alone: Vec<bool> = glyphs
        .iter()
        .map(|g| {
            let reach = g.size * 0.6;
            let half = g.size * 0.5;
            g.ch.chars()
                .all(|c| crate::ground::text::is_cjk(c) || "、（）()".contains(c))
                && !index
                    .near(
                        (g.x - reach - max_adv, g.x + g.adv + reach),
                        (g.y - half, g.y + half),
                    )
                    .iter()
                    .any(|&o| {
                        let o = &glyphs[o];
                        (o.y - g.y).abs() < half && o.x > g.x && o.x - (g.x + g.adv) < reach
                            || (o.y - g.y).abs() < half && o.x < g.x && g.x - (o.x + o.adv) < reach
                    })
        })
        .collect();
    let mut in_chain = vec![false; glyphs.len()];
    for &start in order {
        if used[start] || !alone[start] {
            continue;
        }
        let mut chain = vec![start];
        in_chain[start] = true;
        loop {
            let last = &glyphs[*chain.last().unwrap_or(&start)];
            let below = |j: usize| {
                !used[j]
                    && !in_chain[j]
                    && (glyphs[j].x - last.x).abs() < 1.0
                    && glyphs[j].y > last.y
                    && glyphs[j].y - last.y < last.size * 1.6
                    && alone[j]
            };
            // The first in order of x, then y.
            let next = index
                .near(
                    (last.x - 1.0, last.x + 1.0),
                    (last.y, last.y + last.size * 1.6),
                )
                .iter()
                .copied()
                .filter(|&j| below(j))
                .min_by_key(|&j| index.rank[j]);
            match next {
                Some(j) => {
                    in_chain[j] = true;
                    chain.push(j);
                }
                None => break,
            }
        }
        for &j in &chain {
            in_chain[j] = false;
        }
        if chain.len() >= 3 {
            for &j in &chain {
                used[j] = true;
            }
            let g: Vec<&Glyph> = chain.iter().map(|&j| &glyphs[j]).collect();
            out.push(Run {
                x0: g[0].x,
                x1: g[0].x + g[0].adv,
                y: (g[0].y + g[g.len() - 1].y) / 2.0,
                size: g[0].size,
                text: g.iter().map(|x| x.ch.as_str()).collect(),
            });
        }
    }
    let mut i = 0;
    glyphs.retain(|_| {
        i += 1;
        !used[i - 1]
    });
    out
}

/// A page's glyphs sorted by x (then y) and by y, so that what lies near a place is found
/// among the fewer of those in reach across and those in reach down, not among all.
struct Index {
    by_x: Vec<usize>,
    by_y: Vec<usize>,
    /// Each glyph's place in `by_x`.
    rank: Vec<usize>,
    xs: Vec<f64>,
    ys: Vec<f64>,
}

impl Index {
    fn new(glyphs: &[Glyph]) -> Index {
        let mut by_x: Vec<usize> = (0..glyphs.len()).collect();
        by_x.sort_by(|&a, &b| {
            glyphs[a]
                .x
                .total_cmp(&glyphs[b].x)
                .then(glyphs[a].y.total_cmp(&glyphs[b].y))
        });
        let mut by_y: Vec<usize> = (0..glyphs.len()).collect();
        by_y.sort_by(|&a, &b| glyphs[a].y.total_cmp(&glyphs[b].y));
        let mut rank = vec![0; glyphs.len()];
        for (r, &i) in by_x.iter().enumerate() {
            rank[i] = r;
        }
        Index {
            xs: by_x.iter().map(|&i| glyphs[i].x).collect(),
            ys: by_y.iter().map(|&i| glyphs[i].y).collect(),
            by_x,
            by_y,
            rank,
        }
    }

    /// Glyphs that may lie within `x` or within `y` (open ranges, widened a little for
    /// rounding): whichever list is shorter, for the caller to test exactly.
    fn near(&self, x: (f64, f64), y: (f64, f64)) -> &[usize] {
        let within = |sorted: &[f64], (lo, hi): (f64, f64)| {
            let pad = |v: f64| 1e-6 * (1.0 + v.abs());
            let a = sorted.partition_point(|v| *v <= lo - pad(lo));
            let b = sorted.partition_point(|v| *v < hi + pad(hi));
            (a, b.max(a))
        };
        let (xa, xb) = within(&self.xs, x);
        let (ya, yb) = within(&self.ys, y);
        if xb - xa <= yb - ya {
            &self.by_x[xa..xb]
        } else {
            &self.by_y[ya..yb]
        }
    }
}

/// Glyphs grouped into lines by baseline, and each line into runs set apart by a gap.
fn baselines(mut glyphs: Vec<Glyph>) -> Vec<PLine> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y));
    let mut groups: Vec<Vec<Glyph>> = Vec::new();
    for g in glyphs {
        match groups.last_mut() {
            Some(l) if (g.y - l[0].y).abs() <= (l[0].size * 0.3).max(2.0) => l.push(g),
            _ => groups.push(vec![g]),
        }
    }
    groups
        .into_iter()
        .map(|mut l| {
            l.sort_by(|a, b| a.x.total_cmp(&b.x));
            let size = l.iter().map(|g| g.size).fold(0.0, f64::max);
            let mut runs: Vec<Run> = Vec::new();
            // A gap wider than most of a character's advance sets runs apart (a digit
            // is half as wide as a Han character).
            let mut last_adv = 0.0f64;
            for g in l {
                match runs.last_mut() {
                    Some(r) if g.x - r.x1 < (last_adv.min(g.adv) * 0.6).max(1.0) => {
                        r.text.push_str(&g.ch);
                        r.x1 = r.x1.max(g.x + g.adv);
                    }
                    _ => runs.push(Run {
                        x0: g.x,
                        x1: g.x + g.adv,
                        y: g.y,
                        size: g.size,
                        text: g.ch.clone(),
                    }),
                }
                last_adv = g.adv;
            }
            // A bare item number (`6.`, `（三）`) set apart from its label by a space.
            let mut i = 0;
            while i + 1 < runs.len() {
                let t = runs[i].text.trim();
                let bare = super::segment::numbering(&format!("{t}项"))
                    .is_some_and(|n| n.chars().count() == t.chars().count());
                let close = runs[i + 1].x0 - runs[i].x1 < runs[i].size;
                if bare && close && readings::number(&runs[i + 1].text).is_none() {
                    let next = runs.remove(i + 1);
                    runs[i].text.push_str(&next.text);
                    runs[i].x1 = next.x1;
                } else {
                    i += 1;
                }
            }
            let figures =
                runs.len() >= 2 && runs.iter().any(|r| readings::number(&r.text).is_some());
            PLine {
                y: runs[0].y,
                size,
                runs,
                figures,
            }
        })
        .collect()
}

/// Running text joined into paragraphs: a line that is not indented continues the line
/// before it unless that one stopped short of the margin or is set in another size (a
/// title above the first paragraph); a blank line between paragraphs, also before an
/// indented line after one that ends short of the margin, so that `（一）` … `（五）` stay
/// paragraphs of their own.
fn paragraphs(entries: Vec<Entry>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    let mut open = false;
    let mut after_text = false;
    let mut last_size = 0.0f64;
    for e in entries {
        match e {
            Entry::Text {
                loc,
                text,
                indented,
                short,
                size,
            } => {
                let same_size = (size - last_size).abs() <= size.max(last_size) * 0.1;
                last_size = size;
                let joined = open
                    && same_size
                    && !indented
                    && out
                        .last_mut()
                        .map(|l| {
                            if let Some(super::Cell::Text(t)) = l.cells.first_mut() {
                                t.push_str(&text);
                            }
                        })
                        .is_some();
                if !joined {
                    if open || (after_text && indented) {
                        out.push(Line::text_line(loc, ""));
                    }
                    out.push(Line::text_line(loc, text));
                }
                open = !short;
                after_text = true;
            }
            Entry::Cells(loc, cells) => {
                if open {
                    out.push(Line::text_line(loc, ""));
                }
                open = false;
                after_text = false;
                out.push(Line { loc, cells });
            }
        }
    }
    out
}
