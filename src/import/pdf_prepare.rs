//! A loaded PDF made safe for pdf-extract, whose walks trust the file: it follows a
//! page's `/Parent` until it finds the page size (forever, if the chain loops), draws a
//! drawing that draws itself until the stack overflows, expands a font's character map
//! range by range however large, decodes a stream again each time it is used, and clones
//! state and colour data for every operator. So before it runs:
//!
//! - the page tree is walked from the catalog (loops refused, at most [`PAGES`] pages)
//!   and flattened: every page under one node, its resources and size set on it;
//! - each page's content, and each drawing (form XObject), is decoded once within the
//!   [`Decoder`]'s caps and reduced to the operators that place text, written back
//!   without filters; images and every stream no text comes from are emptied;
//! - drawings are checked: none may contain itself, none nest deeper than
//!   [`FORM_DEPTH`]; fonts' character maps are checked for nesting and size;
//! - what the extraction goes through is counted as pdf-extract goes through it — each
//!   page's content, every drawing each time it is drawn, each font once per page it is
//!   used on — and a file over [`WORK`] is refused before extraction starts.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::pdf_load::{
    CMAP_BYTES, CMAP_ENTRIES, Cap, Decoder, FORM_DEPTH, Fault, PAGES, Parser, WORK,
};

/// How deep a character map or a Type 1 font's text may nest brackets and strings: the
/// parsers pdf-extract uses for them recurse once per level.
const NEST: usize = 32;
/// The most code ranges of a composite font's encoding: each character shown is looked up
/// in all of them.
const CODE_RANGES: usize = 1024;
/// How deep the page tree is walked, as lopdf.
const TREE_DEPTH: usize = 256;
/// How deep content operands nest, as lopdf's content parser allows.
const MAX_NESTING: usize = 100;
/// The most objects one operation of a content stream may hold (a line of text shown
/// with its spacing is a few dozen); a longer one is dropped.
const OPERANDS: usize = 1 << 16;
/// The most objects pdf-extract may hold at once for a page: the operations of its content
/// and of the drawings being drawn inside it (some 50 bytes each).
const OBJECTS: usize = 2_000_000;
/// The operators pdf-extract reads to place text; the rest (paths, colours, images,
/// graphics state) are dropped.
const TEXT_OPERATORS: &[&str] = &[
    "BT", "ET", "cm", "q", "Q", "Tc", "Tw", "Tz", "TL", "Tf", "Ts", "Tm", "Td", "TD", "T*", "Tj",
    "TJ", "Do",
];

/// Prepares `doc` for pdf-extract, as the module says.
pub fn prepare(doc: &mut Document, decoder: &mut Decoder) -> Result<(), Fault> {
    let pages = pages(doc)?;
    if pages.is_empty() {
        return Err(Fault::Broken);
    }
    let mut p = Prep {
        doc,
        decoder,
        kept: HashSet::new(),
        decoded: HashMap::new(),
        contents: HashMap::new(),
        forms: HashMap::new(),
        nodes: HashMap::new(),
        fonts: HashMap::new(),
        drawing: Vec::new(),
        work: 0,
    };
    let flat = p.doc.new_object_id();
    let mut kids = Vec::with_capacity(pages.len());
    for page in &pages {
        kids.push(Object::Reference(page.id));
        let cost = p.page(page, flat)?;
        p.spend(cost)?;
    }
    let count = kids.len() as i64;
    let mut node = Dictionary::new();
    node.set("Type", Object::Name(b"Pages".to_vec()));
    node.set("Kids", Object::Array(kids));
    node.set("Count", Object::Integer(count));
    p.doc.objects.insert(flat, Object::Dictionary(node));
    if let Ok(catalog) = p.doc.catalog_mut() {
        catalog.set("Pages", Object::Reference(flat));
    }
    let kept = std::mem::take(&mut p.kept);
    for (id, o) in p.doc.objects.iter_mut() {
        if let Object::Stream(s) = o
            && !kept.contains(id)
        {
            s.set_plain_content(Vec::new());
        }
    }
    Ok(())
}

/// A page as the page tree gives it, with what it inherits.
struct Page {
    id: ObjectId,
    resources: Option<Object>,
    media: Option<Object>,
}

/// The pages in order, as lopdf lists them (a kid is a page or a node by its `/Type`),
/// each with the resources and size it inherits through the tree (not through
/// `/Parent`, which a damaged file can point anywhere). A node inside itself is refused.
fn pages(doc: &Document) -> Result<Vec<Page>, Fault> {
    struct Frame {
        id: ObjectId,
        kids: Vec<Object>,
        next: usize,
        resources: Option<Object>,
        media: Option<Object>,
    }
    let mut out = Vec::new();
    let Ok(root) = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
    else {
        return Ok(out);
    };
    let kids_of = |d: &Dictionary| {
        d.get_deref(b"Kids", doc)
            .and_then(Object::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let inherit = |d: &Dictionary, key: &[u8], from: &Option<Object>| {
        d.get(key).ok().cloned().or_else(|| from.clone())
    };
    let Ok(top) = doc.get_dictionary(root) else {
        return Ok(out);
    };
    let mut stack = vec![Frame {
        id: root,
        kids: kids_of(top),
        next: 0,
        resources: inherit(top, b"Resources", &None),
        media: inherit(top, b"MediaBox", &None),
    }];
    let mut steps = 0usize;
    while let Some(frame) = stack.last_mut() {
        let Some(kid) = frame.kids.get(frame.next).cloned() else {
            stack.pop();
            continue;
        };
        frame.next += 1;
        steps += 1;
        if steps > PAGES * 100 {
            return Err(Fault::Over(Cap::Pages));
        }
        let Ok(id) = kid.as_reference() else {
            continue;
        };
        let Ok(d) = doc.get_dictionary(id) else {
            continue;
        };
        let (resources, media) = (
            inherit(d, b"Resources", &frame.resources),
            inherit(d, b"MediaBox", &frame.media),
        );
        match d.get_type() {
            Ok(b"Page") => {
                if out.len() == PAGES {
                    return Err(Fault::Over(Cap::Pages));
                }
                out.push(Page {
                    id,
                    resources,
                    media,
                });
            }
            Ok(b"Pages") if stack.len() < TREE_DEPTH => {
                if stack.iter().any(|f| f.id == id) {
                    return Err(Fault::Loop("页面目录"));
                }
                stack.push(Frame {
                    id,
                    kids: kids_of(d),
                    next: 0,
                    resources,
                    media,
                });
            }
            _ => {}
        }
    }
    Ok(out)
}

/// What a piece of content does that costs: its size, the objects of its operations,
/// the drawings it draws (once per `Do`), the fonts it selects.
struct Usage {
    size: usize,
    objects: usize,
    draws: Vec<Vec<u8>>,
    fonts: Vec<Vec<u8>>,
}

/// A drawing with the resources it is drawn with: what drawing it costs in all, the most
/// objects held at once while it is drawn (its own and those of the drawings inside it,
/// one inside another), and the fonts it and the drawings inside it select (by name, as
/// pdf-extract keeps them per page, each with the most its name costs).
#[derive(Default)]
struct Node {
    cost: usize,
    held: usize,
    fonts: BTreeMap<Vec<u8>, usize>,
}

/// Resources are known by the object that holds them: the dictionary's own id, or the
/// id of the page, node or drawing it is written in.
type Res = ObjectId;

struct Prep<'a> {
    doc: &'a mut Document,
    decoder: &'a mut Decoder,
    /// Streams pdf-extract reads, decoded and written back: all others are emptied.
    kept: HashSet<ObjectId>,
    decoded: HashMap<ObjectId, Rc<Vec<u8>>>,
    /// A page's content streams → the content stream made of them, and its usage.
    contents: HashMap<Vec<ObjectId>, (ObjectId, Rc<Usage>)>,
    forms: HashMap<ObjectId, Rc<Usage>>,
    nodes: HashMap<(ObjectId, Res), Rc<Node>>,
    fonts: HashMap<ObjectId, usize>,
    /// The drawings being drawn, outermost first.
    drawing: Vec<ObjectId>,
    work: usize,
}

impl Prep<'_> {
    fn spend(&mut self, n: usize) -> Result<(), Fault> {
        self.work = self.work.saturating_add(n);
        if self.work > WORK {
            return Err(Fault::Over(Cap::Work));
        }
        Ok(())
    }

    /// Sets what `page` inherits on it, under the flat node `flat`, its content made one
    /// stream of text operators; returns what extracting it goes through.
    fn page(&mut self, page: &Page, flat: ObjectId) -> Result<usize, Fault> {
        let (res, res_dict) = match &page.resources {
            Some(Object::Reference(r)) => (*r, self.doc.get_dictionary(*r).ok().cloned()),
            Some(Object::Dictionary(d)) => (page.id, Some(d.clone())),
            _ => (page.id, None),
        };
        let streams = self.doc.get_page_contents(page.id);
        let (content, usage) = self.page_content(streams)?;
        if let Ok(d) = self.doc.get_dictionary_mut(page.id) {
            d.set("Parent", Object::Reference(flat));
            d.set("Contents", Object::Reference(content));
            match &page.resources {
                Some(r) => d.set("Resources", r.clone()),
                None => {
                    d.remove(b"Resources");
                }
            }
            match &page.media {
                Some(m) => d.set("MediaBox", m.clone()),
                None => {
                    d.remove(b"MediaBox");
                }
            }
        }
        let node = self.usage_node(&usage, res, res_dict.as_ref())?;
        if node.held > OBJECTS {
            return Err(Fault::Over(Cap::Work));
        }
        Ok(node.cost.saturating_add(node.fonts.values().sum()))
    }

    /// The stream made of a page's content streams (as lopdf joins them, each followed by
    /// a line break), reduced to text operators; made once for pages that share them.
    fn page_content(&mut self, streams: Vec<ObjectId>) -> Result<(ObjectId, Rc<Usage>), Fault> {
        if let Some((id, u)) = self.contents.get(&streams) {
            return Ok((*id, u.clone()));
        }
        let mut parts = Vec::new();
        for s in &streams {
            if let Some(d) = self.decode(*s)? {
                parts.push(d);
            }
        }
        let joined: usize = parts.iter().map(|p| p.len() + 1).sum();
        self.spend(joined)?;
        let mut bytes = Vec::with_capacity(joined);
        for p in parts {
            bytes.extend_from_slice(&p);
            bytes.push(b'\n');
        }
        let (text, usage) = text_only(&bytes)?;
        let usage = Rc::new(usage);
        let id = self.doc.add_object(Stream::new(Dictionary::new(), text));
        self.kept.insert(id);
        self.contents.insert(streams, (id, usage.clone()));
        Ok((id, usage))
    }

    /// What stream `id` decodes to (once, within the caps); `None` if it is no stream.
    fn decode(&mut self, id: ObjectId) -> Result<Option<Rc<Vec<u8>>>, Fault> {
        if let Some(d) = self.decoded.get(&id) {
            return Ok(Some(d.clone()));
        }
        let Some(Object::Stream(s)) = self.doc.objects.get(&id) else {
            return Ok(None);
        };
        let data = Rc::new(self.decoder.decode(s)?.unwrap_or_else(|| s.content.clone()));
        self.decoded.insert(id, data.clone());
        Ok(Some(data))
    }

    /// Stream `id` decoded, transformed and written back without filters, for pdf-extract
    /// to read (a drawing's content, once reduced, stays as it is); returns its size.
    fn keep(
        &mut self,
        id: ObjectId,
        transform: impl FnOnce(&[u8]) -> Result<Vec<u8>, Fault>,
    ) -> Result<usize, Fault> {
        if !self.forms.contains_key(&id) {
            let Some(data) = self.decode(id)? else {
                return Ok(0);
            };
            let data = transform(&data)?;
            if let Some(Object::Stream(s)) = self.doc.objects.get_mut(&id) {
                s.set_plain_content(data);
            }
        }
        self.kept.insert(id);
        Ok(self
            .doc
            .objects
            .get(&id)
            .and_then(|o| o.as_stream().ok())
            .map_or(0, |s| s.content.len()))
    }

    /// The cost and fonts of content with `usage` drawn with resources `res`.
    fn usage_node(
        &mut self,
        usage: &Usage,
        res: Res,
        dict: Option<&Dictionary>,
    ) -> Result<Node, Fault> {
        let mut node = Node {
            cost: usage.size,
            held: usage.objects,
            fonts: BTreeMap::new(),
        };
        let Some(dict) = dict else {
            return Ok(node);
        };
        for name in &usage.fonts {
            let cost = match self.resource(dict, b"Font", name) {
                Some(font) => self.font(font)?,
                None => 0,
            };
            let e = node.fonts.entry(name.clone()).or_default();
            *e = (*e).max(cost);
        }
        for name in &usage.draws {
            let Some(Object::Reference(x)) = self.resource(dict, b"XObject", name) else {
                continue;
            };
            let child = self.form(x, res, dict)?;
            node.cost = node.cost.saturating_add(child.cost);
            node.held = node.held.max(usage.objects.saturating_add(child.held));
            for (f, c) in &child.fonts {
                let e = node.fonts.entry(f.clone()).or_default();
                *e = (*e).max(*c);
            }
            self.spend(child.fonts.len())?;
            if node.cost > WORK {
                return Err(Fault::Over(Cap::Work));
            }
        }
        Ok(node)
    }

    /// Entry `name` of resource category `kind` (`/Font`, `/XObject`) of `res`.
    fn resource(&self, res: &Dictionary, kind: &[u8], name: &[u8]) -> Option<Object> {
        let (_, cat) = self.doc.dereference(res.get(kind).ok()?).ok()?;
        cat.as_dict().ok()?.get(name).ok().cloned()
    }

    /// Drawing `id` drawn with the caller's resources `res` (used when it has none of its
    /// own): an image is emptied; a form is reduced to text operators, and what drawing it
    /// costs is reckoned with the drawings it draws.
    fn form(&mut self, id: ObjectId, res: Res, res_dict: &Dictionary) -> Result<Rc<Node>, Fault> {
        let Some(Object::Stream(s)) = self.doc.objects.get(&id) else {
            return Ok(Rc::default());
        };
        if s.dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|n| n == b"Image")
        {
            return Ok(Rc::default());
        }
        let own = match s.dict.get(b"Resources") {
            Ok(Object::Reference(r)) => self.doc.get_dictionary(*r).ok().map(|d| (*r, d.clone())),
            Ok(Object::Dictionary(d)) => Some((id, d.clone())),
            _ => None,
        };
        let (res, res_dict) = own.unwrap_or((res, res_dict.clone()));
        if let Some(n) = self.nodes.get(&(id, res)) {
            return Ok(n.clone());
        }
        if self.drawing.contains(&id) {
            return Err(Fault::Loop("图形"));
        }
        if self.drawing.len() >= FORM_DEPTH {
            return Err(Fault::Over(Cap::Forms));
        }
        let usage = match self.forms.get(&id) {
            Some(u) => u.clone(),
            None => {
                let data = self.decode(id)?.unwrap_or_default();
                let (text, u) = text_only(&data)?;
                if let Some(Object::Stream(s)) = self.doc.objects.get_mut(&id) {
                    s.set_plain_content(text);
                }
                self.kept.insert(id);
                let u = Rc::new(u);
                self.forms.insert(id, u.clone());
                u
            }
        };
        self.spend(usage.draws.len() + usage.fonts.len())?;
        self.drawing.push(id);
        let node = self.usage_node(&usage, res, Some(&res_dict));
        self.drawing.pop();
        let node = Rc::new(node?);
        self.nodes.insert((id, res), node.clone());
        Ok(node)
    }

    /// What building font `font` (a reference or a dictionary) costs pdf-extract: the
    /// streams it reads (decoded and kept for it) and the entries of its character maps,
    /// which are checked. Each font's streams are decoded once.
    fn font(&mut self, font: Object) -> Result<usize, Fault> {
        let id = font.as_reference().ok();
        if let Some(c) = id.and_then(|i| self.fonts.get(&i)) {
            return Ok(*c);
        }
        let Ok((_, Object::Dictionary(d))) =
            self.doc.dereference(&font).map(|(i, o)| (i, o.clone()))
        else {
            return Ok(0);
        };
        let mut cost = d.len();
        let subtype = d
            .get(b"Subtype")
            .and_then(|o| self.doc.dereference(o))
            .and_then(|(_, o)| o.as_name())
            .unwrap_or(b"")
            .to_vec();
        let type0 = subtype == b"Type0";
        if let Ok(Object::Reference(t)) = d.get(b"ToUnicode") {
            cost += self.cmap(*t, false)?;
        }
        if type0 {
            if let Ok(Object::Reference(e)) = d.get(b"Encoding") {
                cost += self.cmap(*e, true)?;
            }
            if let Some(Ok(Object::Dictionary(cid))) = d
                .get(b"DescendantFonts")
                .and_then(|a| self.doc.dereference(a))
                .ok()
                .and_then(|(_, a)| a.as_array().ok())
                .and_then(|a| a.first())
                .map(|f| self.doc.dereference(f).map(|(_, o)| o.clone()))
            {
                cost += self.size_of(cid.get(b"W").ok());
            }
        } else {
            cost += self.size_of(d.get(b"Widths").ok()) + self.size_of(d.get(b"Encoding").ok());
            let descriptor = d
                .get(b"FontDescriptor")
                .ok()
                .and_then(|o| self.doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_dict().ok())
                .cloned();
            if let Some(desc) = descriptor {
                if subtype == b"Type1"
                    && let Ok(Object::Reference(f)) = desc.get(b"FontFile")
                {
                    cost += self.keep(*f, |d| Ok(cleartext(d)))?;
                    let text = self.doc.objects.get(f).and_then(|o| o.as_stream().ok());
                    if text.is_some_and(|s| nesting(&s.content, true) > NEST) {
                        return Err(Fault::Over(Cap::Font));
                    }
                }
                if let Ok(Object::Reference(f)) = desc.get(b"FontFile3") {
                    cost += self.keep(*f, |d| Ok(d.to_vec()))?;
                }
            }
        }
        if let Some(i) = id {
            self.fonts.insert(i, cost);
        }
        Ok(cost)
    }

    /// How many objects pdf-extract converts of `o`: its items, and the items of each
    /// item (each followed through one reference, as its conversions do).
    fn size_of(&self, o: Option<&Object>) -> usize {
        let len = |o: &Object| match self.doc.dereference(o).map(|(_, o)| o) {
            Ok(Object::Array(a)) => a.len() + 1,
            Ok(Object::Dictionary(d)) => d.len() + 1,
            _ => 1,
        };
        match o.and_then(|o| self.doc.dereference(o).ok()).map(|(_, o)| o) {
            Some(Object::Array(a)) => a.iter().map(len).sum::<usize>() + 1,
            Some(Object::Dictionary(d)) => d.iter().map(|(_, v)| len(v)).sum::<usize>() + 1,
            Some(_) => 1,
            None => 0,
        }
    }

    /// A character map (a `/ToUnicode`, or a composite font's `/Encoding` if
    /// `encoding`) kept for pdf-extract once checked: nesting at most [`NEST`], at most
    /// [`CMAP_ENTRIES`] entries, at most [`CODE_RANGES`] code ranges. Returns its cost.
    fn cmap(&mut self, id: ObjectId, encoding: bool) -> Result<usize, Fault> {
        let len = self.keep(id, |d| Ok(d.to_vec()))?;
        if len > CMAP_BYTES {
            return Err(Fault::Over(Cap::Font));
        }
        let Some(Object::Stream(s)) = self.doc.objects.get(&id) else {
            return Ok(0);
        };
        if nesting(&s.content, false) > NEST {
            return Err(Fault::Over(Cap::Font));
        }
        let (entries, ranges) = cmap_size(&s.content);
        if entries > CMAP_ENTRIES || (encoding && ranges > CODE_RANGES) {
            return Err(Fault::Over(Cap::Font));
        }
        Ok(len + entries)
    }
}

/// Content reduced to the operators that place text, with what it draws and selects.
/// It is read as lopdf reads content (operands, then an operator; reading stops where
/// neither follows), keeping at most [`OPERANDS`] objects of one operation (lopdf holds
/// a whole stream's operations at once, some 20 times the size of the text), and written
/// back in a form lopdf reads the same.
fn text_only(data: &[u8]) -> Result<(Vec<u8>, Usage), Fault> {
    let mut p = Parser::new(data);
    let mut out = Vec::new();
    let mut draws = Vec::new();
    let mut fonts: Vec<Vec<u8>> = Vec::new();
    let mut operands: Vec<Object> = Vec::new();
    let (mut held, mut objects) = (0usize, 0usize);
    let mut i = 0;
    loop {
        i = p.ws(i)?;
        let Some(&c) = data.get(i) else {
            break;
        };
        let word_end = (i..data.len())
            .find(|j| !(data[*j].is_ascii_alphabetic() || b"*'\"".contains(&data[*j])))
            .unwrap_or(data.len());
        let word = &data[i..word_end];
        if word_end > i && !matches!(word, b"true" | b"false" | b"null") {
            let operator = String::from_utf8_lossy(word).into_owned();
            i = if operator == "BI" {
                inline_image_end(data, word_end)
            } else {
                word_end
            };
            if TEXT_OPERATORS.contains(&operator.as_str()) && held <= OPERANDS {
                match (operator.as_str(), operands.first()) {
                    ("Do", Some(Object::Name(n))) => draws.push(n.clone()),
                    ("Tf", Some(Object::Name(n))) if !fonts.contains(n) => fonts.push(n.clone()),
                    _ => {}
                }
                objects += held + 1;
                write_operation(&mut out, &operands, &operator);
            }
            operands.clear();
            held = 0;
            continue;
        }
        let Some((o, end)) = operand(&mut p, data, i, c, MAX_NESTING)? else {
            break;
        };
        held = held.saturating_add(count(&o));
        if held <= OPERANDS {
            operands.push(o);
        }
        i = end;
    }
    let usage = Usage {
        size: out.len(),
        objects,
        draws,
        fonts,
    };
    Ok((out, usage))
}

/// One operand at `i` (first byte `c`), as lopdf's content parser reads it: numbers are
/// read up to the first byte that is not part of one (`12Tf` is `12` and `Tf`).
fn operand(
    p: &mut Parser,
    data: &[u8],
    i: usize,
    c: u8,
    depth: usize,
) -> Result<Option<(Object, usize)>, Fault> {
    if depth == 0 {
        return Ok(None);
    }
    Ok(match c {
        b'0'..=b'9' | b'+' | b'-' | b'.' => number(data, i),
        b't' | b'f' | b'n' => [
            (&b"true"[..], Object::Boolean(true)),
            (b"false", Object::Boolean(false)),
            (b"null", Object::Null),
        ]
        .into_iter()
        .find(|(w, _)| data[i..].starts_with(w))
        .map(|(w, o)| (o, i + w.len())),
        b'[' => {
            let mut items = Vec::new();
            let mut j = i + 1;
            loop {
                j = p.ws(j)?;
                match data.get(j) {
                    Some(b']') => break Some((Object::Array(items), j + 1)),
                    Some(&c) => match operand(p, data, j, c, depth - 1)? {
                        Some((o, end)) => {
                            items.push(o);
                            j = end;
                        }
                        None => break None,
                    },
                    None => break None,
                }
            }
        }
        b'/' | b'(' | b'<' => p.object(i, depth)?,
        _ => None,
    })
}

/// A number as lopdf's content parser reads one: `[+-]` then digits with an optional
/// fraction, or a point and digits.
fn number(data: &[u8], i: usize) -> Option<(Object, usize)> {
    let digits = |from: usize| {
        (from..data.len())
            .find(|j| !data[*j].is_ascii_digit())
            .unwrap_or(data.len())
    };
    let start = if matches!(data[i], b'+' | b'-') {
        i + 1
    } else {
        i
    };
    let int_end = digits(start);
    let (end, real) = if data.get(int_end) == Some(&b'.') {
        let frac_end = digits(int_end + 1);
        if int_end == start && frac_end == int_end + 1 {
            return None;
        }
        (frac_end, true)
    } else if int_end > start {
        (int_end, false)
    } else {
        return None;
    };
    let text = std::str::from_utf8(&data[i..end]).ok()?;
    let o = if real {
        Object::Real(text.parse().ok()?)
    } else {
        Object::Integer(text.parse().ok()?)
    };
    Some((o, end))
}

/// Where an inline image (`BI … ID data EI`) that starts at `i` ends: after the first
/// `EI` set apart by white space, as lopdf finds it when it cannot size the data.
fn inline_image_end(data: &[u8], i: usize) -> usize {
    let id = data[i..]
        .windows(2)
        .position(|w| w == b"ID")
        .map_or(data.len(), |p| i + p + 2);
    let space = |c: u8| c == b' ' || c == b'\n' || c == b'\r';
    data[id..]
        .windows(4)
        .position(|w| space(w[0]) && &w[1..3] == b"EI" && space(w[3]))
        .map_or(data.len(), |p| id + p + 3)
}

/// How many objects `o` is, nested ones included.
fn count(o: &Object) -> usize {
    match o {
        Object::Array(a) => 1 + a.iter().map(count).sum::<usize>(),
        Object::Dictionary(d) => 1 + d.iter().map(|(_, v)| count(v)).sum::<usize>(),
        _ => 1,
    }
}

fn write_operation(out: &mut Vec<u8>, operands: &[Object], operator: &str) {
    for o in operands {
        write_object(out, o);
        out.push(b' ');
    }
    out.extend_from_slice(operator.as_bytes());
    out.push(b'\n');
}

/// An operand as content syntax.
fn write_object(out: &mut Vec<u8>, o: &Object) {
    match o {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Object::Real(r) if r.is_finite() => out.extend_from_slice(r.to_string().as_bytes()),
        Object::Real(_) => out.push(b'0'),
        Object::Name(n) => {
            out.push(b'/');
            for &c in n {
                if c.is_ascii_graphic() && !b"()<>[]{}/%#".contains(&c) {
                    out.push(c);
                } else {
                    out.extend_from_slice(format!("#{c:02X}").as_bytes());
                }
            }
        }
        Object::String(s, _) => {
            out.push(b'(');
            for &c in s {
                match c {
                    b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', c]),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(c),
                }
            }
            out.push(b')');
        }
        Object::Array(a) => {
            out.push(b'[');
            for x in a {
                write_object(out, x);
                out.push(b' ');
            }
            out.push(b']');
        }
        Object::Dictionary(d) => {
            out.extend_from_slice(b"<<");
            for (k, v) in d.iter() {
                write_object(out, &Object::Name(k.clone()));
                out.push(b' ');
                write_object(out, v);
                out.push(b' ');
            }
            out.extend_from_slice(b">>");
        }
        Object::Reference(_) | Object::Stream(_) => out.extend_from_slice(b"null"),
    }
}

/// A Type 1 font's clear-text part (up to `eexec`), all pdf-extract reads of it (the
/// encoding); the encrypted rest parses as nothing.
fn cleartext(data: &[u8]) -> Vec<u8> {
    match data.windows(5).position(|w| w == b"eexec") {
        Some(i) => data[..i + 5].to_vec(),
        None => data.to_vec(),
    }
}

/// How deep brackets (`[`, `<<`, and `{` in PostScript if `procedures`) and the
/// parentheses of strings nest in `data`, counted as the parsers pdf-extract uses read
/// them (inside a string only parentheses count; `\` escapes the next one).
fn nesting(data: &[u8], procedures: bool) -> usize {
    let (mut depth, mut max, mut string) = (0usize, 0usize, 0usize);
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        if string > 0 {
            match c {
                b'\\' => i += 1,
                b'(' => {
                    string += 1;
                    depth += 1;
                }
                b')' => {
                    string -= 1;
                    depth = depth.saturating_sub(1);
                }
                _ => {}
            }
        } else {
            match c {
                b'(' => {
                    string = 1;
                    depth += 1;
                }
                b'[' => depth += 1,
                b'{' if procedures => depth += 1,
                b']' => depth = depth.saturating_sub(1),
                b'}' if procedures => depth = depth.saturating_sub(1),
                b'<' if data.get(i + 1) == Some(&b'<') => {
                    depth += 1;
                    i += 1;
                }
                b'>' if data.get(i + 1) == Some(&b'>') => {
                    depth = depth.saturating_sub(1);
                    i += 1;
                }
                _ => {}
            }
        }
        max = max.max(depth);
        i += 1;
    }
    max
}

/// The entries a character map defines (`bfchar` codes and `bfrange` ranges expanded,
/// as adobe-cmap-parser expands them) and its code ranges (`codespacerange`,
/// `cidrange`), read with the same parser pdf-extract uses.
fn cmap_size(data: &[u8]) -> (usize, usize) {
    use adobe_cmap_parser::Value;
    let Ok(Ok(lexed)) = std::panic::catch_unwind(|| adobe_cmap_parser::parse(data)) else {
        return (0, 0);
    };
    let code = |v: &Value| match v {
        Value::LiteralString(s) => Some(s.iter().fold(0u32, |c, b| (c << 8) | u32::from(*b))),
        _ => None,
    };
    let (mut entries, mut ranges) = (0usize, 0usize);
    for (i, v) in lexed.iter().enumerate() {
        let Value::Operator(op) = v else {
            continue;
        };
        let count = match i.checked_sub(1).map(|j| &lexed[j]) {
            Some(Value::Integer(c)) => usize::try_from(*c).unwrap_or(0),
            _ => continue,
        };
        let (step, items) = match op.as_str() {
            "beginbfchar" | "begincodespacerange" => (2, lexed.len().saturating_sub(i + 1) / 2),
            "beginbfrange" | "begincidrange" => (3, lexed.len().saturating_sub(i + 1) / 3),
            _ => continue,
        };
        let count = count.min(items);
        match op.as_str() {
            "beginbfchar" => entries += count,
            "begincodespacerange" | "begincidrange" => ranges += count,
            _ => {
                for k in 0..count {
                    let at = i + 1 + k * step;
                    if let (Some(lo), Some(hi)) = (code(&lexed[at]), code(&lexed[at + 1])) {
                        entries = entries.saturating_add(hi.saturating_sub(lo) as usize + 1);
                    }
                }
            }
        }
    }
    (entries, ranges)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_text_operators_are_kept_and_read_back_the_same() {
        let (text, usage) = text_only(
            b"0.5 0 0 RG 1 w 0 0 m 10 10 l S BT /F1 12 Tf 72 720 Td (a\\)b\\\\) Tj [(x) -20 (y)] TJ ET /Im1 Do /CS0 cs 1 sc BI /W 1 /H 1 ID \x00EI\x01 EI 2.5Tz",
        )
        .unwrap();
        let ops = lopdf::content::Content::decode(&text).unwrap().operations;
        let names: Vec<&str> = ops.iter().map(|o| o.operator.as_str()).collect();
        assert_eq!(names, ["BT", "Tf", "Td", "Tj", "TJ", "ET", "Do", "Tz"]);
        assert_eq!(ops[3].operands[0].as_str().unwrap(), b"a)b\\");
        assert_eq!(usage.draws, [b"Im1".to_vec()]);
        assert_eq!(usage.fonts, [b"F1".to_vec()]);
    }

    #[test]
    fn character_maps_are_sized_as_the_parser_expands_them() {
        let cmap = b"1 begincodespacerange <0000> <FFFF> endcodespacerange 2 beginbfchar <0001> <4E00> <0002> <4E01> endbfchar 1 beginbfrange <0010> <001F> <4E10> endbfrange";
        assert_eq!(cmap_size(cmap), (2 + 16, 1));
        assert_eq!(nesting(b"[ (a(b)c) [ <<>> ] ]", false), 3);
        assert_eq!(nesting(b"( [[[[ \\( )", false), 1);
    }
}
