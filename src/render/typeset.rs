//! The PDFs of a build (each report's, each 报表's, the 申请表's), each typeset again only
//! when what it is made from changed: its layout, its data, its day, the fonts' files and
//! the program. Typesetting hashes the fonts whole (about 46 MB) and lays every page out;
//! a build after a news item was edited needs none of it. A PDF whose key is the last
//! build's is read back from the output, which the output's fingerprint vouches for
//! ([`super::Memo::Reuse`]); the fonts are then never loaded.

use std::sync::{Mutex, OnceLock};

use super::Engine;
use super::memo::PageMemo;
use super::search::patch::Read;
use crate::ground::date::Date;
use crate::ground::diagnostics::Diagnostics;
use crate::ground::digest::{Hasher, Key};
use crate::model::site::Site;
use crate::render::theme::Theme;

/// Makes the build's PDFs, loading the engine the first time one must be typeset.
pub(super) struct Typesetter<'a> {
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    site: &'a Site,
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    theme: &'a Theme,
    /// What every PDF is made from besides its own layout and data (none: PDFs are off).
    shared: Option<Hasher>,
    engine: OnceLock<Option<Engine>>,
    /// Why the engine could not be loaded (no Chinese font, a font file unreadable).
    problems: Mutex<Diagnostics>,
    last: Option<(&'a PageMemo, Read<'a>)>,
    /// Each PDF's path and key, as made or kept.
    keys: Mutex<Vec<(String, Key)>>,
}

/// What the typesetter leaves: the problems of loading the engine, which fonts the PDFs
/// were set in, and each PDF's key.
pub(super) struct Typeset {
    pub(super) problems: Diagnostics,
    pub(super) fonts: Option<String>,
    pub(super) keys: Vec<(String, Key)>,
}

impl<'a> Typesetter<'a> {
    /// A typesetter for `site`'s PDFs, taking those of `last` (read with `read` from the
    /// output it made) whose key is unchanged.
    pub(super) fn new(
        site: &'a Site,
        theme: &'a Theme,
        last: Option<(&'a PageMemo, Read<'a>)>,
    ) -> Self {
        let wanted = !site.reports.is_empty()
            || !site.website_reports.is_empty()
            || site.config.application.is_some();
        let on = cfg!(feature = "pdf") && site.config.pdf.enabled && wanted;
        Typesetter {
            site,
            theme,
            shared: on.then(|| shared(site)),
            engine: OnceLock::new(),
            problems: Mutex::new(Diagnostics::new()),
            last,
            keys: Mutex::new(Vec::new()),
        }
    }

    /// The engine, loaded on first use; none when PDFs are off or no font can set them.
    pub(super) fn engine(&self) -> Option<&Engine> {
        self.shared.as_ref()?;
        self.engine.get_or_init(|| self.load()).as_ref()
    }

    #[cfg(feature = "pdf")]
    fn load(&self) -> Option<Engine> {
        let (name, template) = self
            .theme
            .pdf
            .get("report.typ")
            .map(|f| {
                (
                    crate::render::theme::origin_name(&self.site.root, "report.typ", &f.origin)
                        .replace("templates/", "pdf/"),
                    String::from_utf8_lossy(&f.bytes).into_owned(),
                )
            })
            .unwrap_or_default();
        crate::render::pdf::Engine::load(&self.site.root, &self.site.config.pdf, &template, &name)
            .map_err(|d| lock(&self.problems).push(*d))
            .ok()
    }

    #[cfg(not(feature = "pdf"))]
    fn load(&self) -> Option<Engine> {
        None
    }

    /// The PDF at `path`, laid out by `layout` from the data `data` makes given the
    /// fonts' families (body, headings), dated `day`: the last build's when it was made
    /// from the same, else typeset by `typeset` (given the engine and the data). None
    /// when PDFs are not made.
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    pub(super) fn pdf<E>(
        &self,
        path: &str,
        layout: &str,
        day: Option<Date>,
        data: impl Fn((&str, &str)) -> Vec<u8>,
        typeset: impl FnOnce(&Engine, Vec<u8>) -> Result<Vec<u8>, E>,
    ) -> Option<Result<Vec<u8>, E>> {
        let mut h = self.shared.clone()?;
        h.piece(path.as_bytes());
        h.piece(layout.as_bytes());
        h.piece(format!("{day:?}").as_bytes());
        // The families follow from the fonts' files, which the shared key holds.
        h.piece(&data(("", "")));
        let key = h.finish();
        let kept = self
            .last
            .filter(|(memo, _)| memo.get(path) == Some(key))
            .and_then(|(_, read)| read(path));
        let made = match kept {
            Some(bytes) => Ok(bytes),
            None => {
                let engine = self.engine()?;
                typeset(engine, data(engine_fonts(engine)))
            }
        };
        if made.is_ok() {
            lock(&self.keys).push((path.to_string(), key));
        }
        Some(made)
    }

    /// Done: frees the engine and says what it did. `last_fonts`: which fonts the kept
    /// PDFs were set in, when none was typeset now.
    pub(super) fn finish(self, last_fonts: Option<String>) -> Typeset {
        // The engine goes here, with the fonts it holds. Asked for, it names its fonts, or
        // none when it could not be loaded (no PDF is made then); never asked for, every
        // PDF was kept and the last build's fonts set them.
        let fonts = match (self.shared.is_some(), self.engine.into_inner()) {
            (false, _) => None,
            (true, Some(engine)) => fonts_used(engine.as_ref()),
            (true, None) => last_fonts,
        };
        // Typst memoises layout work in a global cache; the PDFs are done, so free it
        // before the pages are rendered (most of a build's peak memory otherwise).
        #[cfg(feature = "pdf")]
        typst::comemo::evict(0);
        let mut keys = self.keys.into_inner().unwrap_or_else(|e| e.into_inner());
        keys.sort();
        Typeset {
            problems: self
                .problems
                .into_inner()
                .unwrap_or_else(|e| e.into_inner()),
            fonts,
            keys,
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(feature = "pdf")]
fn engine_fonts(engine: &Engine) -> (&str, &str) {
    engine.fonts()
}

#[cfg(not(feature = "pdf"))]
fn engine_fonts(_: &Engine) -> (&str, &str) {
    ("", "")
}

#[cfg(feature = "pdf")]
fn fonts_used(engine: Option<&Engine>) -> Option<String> {
    engine.map(|e| e.used.clone())
}

#[cfg(not(feature = "pdf"))]
fn fonts_used(_: Option<&Engine>) -> Option<String> {
    None
}

/// What every PDF of `site` is made from besides its layout and data: the program, the
/// `[pdf]` settings and the files of the fonts (their paths, sizes and times).
fn shared(site: &Site) -> Hasher {
    let mut h = Hasher::default();
    h.piece(crate::ground::digest::program().as_bytes());
    h.piece(format!("{:?}", site.config.pdf).as_bytes());
    #[cfg(feature = "pdf")]
    for path in crate::render::pdf::font_files(&site.root, &site.config.pdf) {
        h.piece(path.to_string_lossy().as_bytes());
        let stamp = std::fs::metadata(&path)
            .ok()
            .map(|m| crate::ground::digest::stamp_of(&m));
        h.piece(format!("{stamp:?}").as_bytes());
    }
    h
}
