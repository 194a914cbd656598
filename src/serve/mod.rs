//! `gongkai serve`: builds the site in memory, serves it on loopback, rebuilds on every
//! save and reloads open pages.
//!
//! The site is served from an immutable snapshot of the last build, swapped whole after
//! each complete rebuild, so a request gets the old or the new site, never half of one,
//! and nothing outside the build can be reached. Pages get a small script listening on
//! a Server-Sent Events endpoint; it is added here only, never written by `build`. A
//! broken edit keeps the last good site and shows the error over every page.

mod group;
pub mod guard;
pub mod watch;

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use tiny_http::{Header, Request, Response, Server};

use anyhow::{Context as _, Result, anyhow};

use crate::build::{self, BuildOptions, OnProgress, Prepared, Summary, Update};
use crate::ground::diagnostics::Diagnostics;
use crate::model::site::LoadOptions;
use crate::output::{Body, OutFile};

/// The endpoint pages listen on for reloads.
pub const EVENTS_PATH: &str = "/__gongkai/events";

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    /// 0 picks a free port.
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
    /// Told the progress of full builds.
    pub progress: Option<OnProgress>,
}

/// What the server tells whoever started it (the command prints it).
pub enum Event<'a> {
    /// The preview is served at this URL.
    Listening(&'a str),
    /// A full build finished, or failed, with this summary.
    Built(&'a Summary),
    /// A portal group's build finished, or failed.
    GroupBuilt(&'a crate::group::build::GroupSummary),
    /// The pages of an edit were rendered and are served, after this long.
    Updated(Duration),
    /// The gate's findings changed after an edit: these are the findings now.
    Findings(&'a Diagnostics),
    /// Something went wrong that does not stop the server.
    Warning(String),
    /// Ctrl-C: the server stopped.
    Stopped,
}

/// Receives the server's [`Event`]s, from its threads.
pub type Events = Arc<dyn Fn(Event) + Send + Sync>;

/// One complete build, as served.
struct Snapshot {
    files: HashMap<String, Arc<Vec<u8>>>,
    /// The problems of the last rebuild, when it failed (shown over every page).
    errors: Option<String>,
    /// What the gate found that would stop publication (shown in a panel on every page;
    /// the preview goes on).
    findings: Option<String>,
    generation: u64,
}

/// What the request threads share with the builder.
struct Live {
    snapshot: RwLock<Arc<Snapshot>>,
    generation: Mutex<u64>,
    changed: Condvar,
    shutdown: AtomicBool,
    /// The newest search index asked for; an older one finishing later is dropped.
    search_wanted: std::sync::atomic::AtomicU64,
}

impl Live {
    fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .map(|s| s.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    fn publish(
        &self,
        files: HashMap<String, Arc<Vec<u8>>>,
        errors: Option<String>,
        findings: Option<String>,
    ) {
        let mut generation = self.generation.lock().unwrap_or_else(|e| e.into_inner());
        *generation += 1;
        let snap = Arc::new(Snapshot {
            files,
            errors,
            findings,
            generation: *generation,
        });
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = snap;
        self.changed.notify_all();
    }

    /// Replaces some files without a reload (the same pages, with fresher data behind
    /// them), unless a newer search index than `ticket` has been asked for since.
    fn update_quietly(&self, files: HashMap<String, Arc<Vec<u8>>>, ticket: u64) {
        let mut snap = self.snapshot.write().unwrap_or_else(|e| e.into_inner());
        if snap.errors.is_some() || self.search_wanted.load(Ordering::SeqCst) != ticket {
            return;
        }
        let mut all = snap.files.clone();
        all.extend(files);
        *snap = Arc::new(Snapshot {
            files: all,
            errors: None,
            findings: snap.findings.clone(),
            generation: snap.generation,
        });
    }
}

fn load_files(files: Vec<OutFile>) -> HashMap<String, Arc<Vec<u8>>> {
    files
        .into_iter()
        .filter_map(|f| {
            let bytes = match f.body {
                Body::Bytes(b) => b,
                // The preview shows a file as it is now; a save brings a new check.
                Body::Copy(p) | Body::Checked(p, _) => std::fs::read(p).ok()?,
            };
            Some((f.path, Arc::new(bytes)))
        })
        .collect()
}

fn error_text(summary: &build::Summary) -> String {
    errors_of(&summary.diagnostics)
}

/// The errors among `diagnostics`, for an overlay.
fn errors_of(diagnostics: &Diagnostics) -> String {
    diagnostics
        .sorted()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The panel text for what the gate found, when it would stop publication.
fn findings_text(findings: &Diagnostics) -> Option<String> {
    findings.has_errors().then(|| errors_of(findings))
}

/// Binds the preview's address (a clear message when the port is taken) and starts the
/// server behind the front door ([`guard`]): tiny_http on a loopback port of its own.
///
/// The sockets are made here rather than by tiny_http so that they have TCP_NODELAY,
/// which the connections accepted on them inherit: tiny_http writes a response's header
/// and body separately, and without it a response can wait some 40 ms for a delayed
/// acknowledgement (Nagle's algorithm).
pub fn bind(bind: &str, port: u16) -> Result<(Server, SocketAddr, String)> {
    use std::net::ToSocketAddrs;
    let failed = |e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            anyhow!(
                "端口 {port} 已被占用。换一个端口（例如 --port {}），或用 --port 0 自动选择空闲端口。",
                port.saturating_add(1)
            )
        } else {
            anyhow::Error::new(e).context(format!("无法在 {bind}:{port} 上启动预览服务器"))
        }
    };
    let addr = (bind, port)
        .to_socket_addrs()
        .map_err(failed)?
        .next()
        .ok_or_else(|| anyhow!("无法解析地址 {bind}"))?;
    let front = listen(addr).map_err(failed)?;
    let addr = front.local_addr().map_err(failed)?;
    let back = listen(SocketAddr::from(([127, 0, 0, 1], 0))).context("无法启动预览服务器")?;
    let server =
        Server::from_listener(back, None).map_err(|e| anyhow!("无法启动预览服务器：{e}"))?;
    let inner = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| anyhow!("预览服务器没有得到 IP 地址"))?;
    let token = guard::new_token();
    let hosts = guard::Hosts {
        bind_name: bind
            .parse::<std::net::IpAddr>()
            .is_err()
            .then(|| bind.trim_end_matches('.').to_ascii_lowercase()),
        port: addr.port(),
    };
    let front_token = token.clone();
    std::thread::spawn(move || guard::run(front, inner, hosts, front_token));
    Ok((server, addr, token))
}

fn listen(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    socket.set_tcp_nodelay(true)?;
    socket.bind(&addr.into())?;
    socket.listen(128)?;
    Ok(socket.into())
}

/// Runs the preview server until Ctrl-C.
pub fn run(mut opts: ServeOptions, events: Events) -> Result<()> {
    // Watchers report absolute paths; compare them with an absolute root (on Windows
    // without the `\\?\` prefix, which would refuse the `/` of paths joined to it).
    opts.root = dunce::canonicalize(&opts.root)
        .with_context(|| format!("找不到网站文件夹 {}", opts.root.display()))?;
    let (server, addr, token) = bind(&opts.bind, opts.port)?;
    let server = Arc::new(server);
    let host = match addr.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let url = format!("http://{host}:{}/", addr.port());
    let build_opts = BuildOptions {
        root: opts.root.clone(),
        out: None,
        load: LoadOptions {
            base_url: Some(url.clone()),
            include_drafts: opts.drafts,
            relative: false,
        },
        strict: false,
        progress: opts.progress.clone(),
        allow_empty: true,
        // The preview passes the gate as a build does: its findings are shown, never
        // blocking; `--drafts` also shows what it holds back.
        gate: crate::gate::Options {
            show_held: opts.drafts,
            ..Default::default()
        },
    };
    let live = Arc::new(Live {
        snapshot: RwLock::new(Arc::new(Snapshot {
            files: HashMap::new(),
            errors: None,
            findings: None,
            generation: 0,
        })),
        generation: Mutex::new(0),
        changed: Condvar::new(),
        shutdown: AtomicBool::new(false),
        search_wanted: std::sync::atomic::AtomicU64::new(0),
    });
    let (tx, rx) = mpsc::channel();
    let (mut builder, watcher): (Box<dyn Rebuild>, _) = if crate::group::is_group(&opts.root) {
        let group_opts = crate::group::build::GroupOptions {
            root: opts.root.clone(),
            load: build_opts.load.clone(),
            progress: opts.progress.clone(),
            allow_empty: true,
            gate: build_opts.gate.clone(),
            ..Default::default()
        };
        let mut b = group::GroupPreview::new(group_opts, live.clone(), events.clone());
        b.full();
        let root = opts.root.clone();
        let folders = group::source_folders(&opts.root);
        let w = watch::watch_with(&opts.root, folders, move |p| group::is_source(&root, p), tx);
        (Box::new(b), w)
    } else {
        let mut b = Builder {
            opts: build_opts,
            prepared: None,
            live: live.clone(),
            events: events.clone(),
            unsettled: false,
        };
        b.full();
        (Box::new(b), watch::watch(&opts.root, tx))
    };
    let mut watcher = watcher.map_err(|e| anyhow!(e))?;
    {
        let live = live.clone();
        let server = server.clone();
        let _ = ctrlc::set_handler(move || {
            live.shutdown.store(true, Ordering::SeqCst);
            live.changed.notify_all();
            server.unblock();
        });
    }
    let builder_live = live.clone();
    let builder_events = events.clone();
    let builder_thread = std::thread::spawn(move || {
        let mut last = Instant::now();
        while !builder_live.shutdown.load(Ordering::SeqCst) {
            // Quiet for half a second: the work the edits left for later is done now.
            // Saves in quick succession (an editor's autosave) come closer than that;
            // a save after a look at the page comes later than it takes.
            let Ok(mut paths) = rx.recv_timeout(Duration::from_millis(100)) else {
                if last.elapsed() >= Duration::from_millis(500) {
                    builder.settle();
                }
                continue;
            };
            while let Ok(more) = rx.try_recv() {
                paths.extend(more);
            }
            if let Err(e) = watcher.cover_new_folders(&paths) {
                builder_events(Event::Warning(e));
            }
            builder.rebuild(&paths);
            last = Instant::now();
        }
    });

    events(Event::Listening(&url));
    if opts.open {
        open_browser(&url);
    }
    for request in server.incoming_requests() {
        let live = live.clone();
        let through_guard = request
            .headers()
            .iter()
            .any(|h| h.field.equiv(guard::TOKEN_HEADER) && h.value.as_str() == token.as_str());
        if !through_guard {
            let _ = request.respond(Response::from_string("禁止访问").with_status_code(403));
            continue;
        }
        std::thread::spawn(move || handle(request, &live));
    }
    live.shutdown.store(true, Ordering::SeqCst);
    live.changed.notify_all();
    let _ = builder_thread.join();
    events(Event::Stopped);
    Ok(())
}

/// Opens `url` in the default browser ($BROWSER where set); says so when it cannot.
fn open_browser(url: &str) {
    if let Err(e) = opener::open_browser(url) {
        eprintln!("无法打开浏览器（{e}），请在浏览器中打开 {url}");
    }
}

/// What the preview rebuilds with: a site's [`Builder`], or a portal group's.
trait Rebuild: Send {
    /// Builds everything and serves it.
    fn full(&mut self);
    /// Builds again after `paths` changed, as little as it can.
    fn rebuild(&mut self, paths: &[PathBuf]);
    /// Does what the last rebuilds left for a quiet moment (nothing by default).
    fn settle(&mut self) {}
}

/// Rebuilds after changes: after edits of news and disclosure items or of the theme, the
/// pages that show them; else everything.
struct Builder {
    opts: BuildOptions,
    prepared: Option<Prepared>,
    live: Arc<Live>,
    events: Events,
    /// Items were edited on the fast path and the gate's findings and the search index
    /// are not yet brought up to date: done once the edits pause, so that a save right
    /// after another is not kept waiting for them (half a second at 10,000 items).
    unsettled: bool,
}

impl Rebuild for Builder {
    fn full(&mut self) {
        // A full build finds and indexes everything afresh.
        self.unsettled = false;
        let (prepared, summary) = build::prepare(&self.opts);
        (self.events)(Event::Built(&summary));
        match prepared {
            // The gate's findings stop publication, not the preview: they show in a panel.
            Some(mut p) if !summary.broken => {
                // The snapshot holds the pages from now on; no second copy is kept.
                let files = load_files(std::mem::take(&mut p.files));
                let findings = findings_text(&p.site.findings);
                self.prepared = Some(p);
                self.live.publish(files, None, findings);
            }
            _ => {
                self.prepared = None;
                let files = self.live.current().files.clone();
                self.live.publish(files, Some(error_text(&summary)), None);
            }
        }
    }

    fn rebuild(&mut self, paths: &[PathBuf]) {
        let start = Instant::now();
        let healthy = self.live.current().errors.is_none();
        let change = watch::classify(&self.opts.root, paths);
        let done = match (&change, healthy) {
            (watch::Change::Items(items), true) => {
                self.update(|p, existing, load| build::update_items(p, items, load, existing))
            }
            (watch::Change::Theme, true) => {
                self.update(|p, existing, _| build::update_theme(p, existing))
            }
            _ => false,
        };
        if !done {
            self.full();
        } else if self.prepared.is_some() {
            (self.events)(Event::Updated(start.elapsed()));
            // Templates do not change what is searched or what the gate finds.
            self.unsettled |= matches!(change, watch::Change::Items(_));
        }
    }

    fn settle(&mut self) {
        if std::mem::take(&mut self.unsettled) {
            self.recheck();
            self.search_index();
        }
    }
}

impl Builder {
    /// Runs the gate's findings again after a fast-path edit, once its pages are shown,
    /// and shows them (or takes the panel away) when they changed.
    fn recheck(&mut self) {
        let Some(p) = self.prepared.as_mut() else {
            return;
        };
        p.site.recheck();
        let findings = findings_text(&p.site.findings);
        let snapshot = self.live.current();
        if findings != snapshot.findings {
            (self.events)(Event::Findings(&p.site.findings));
            self.live
                .publish(snapshot.files.clone(), snapshot.errors.clone(), findings);
        }
    }

    /// Brings the search index up to date after a fast-path edit, once the page is shown,
    /// on its own thread (half a second on a 10,000-item site) so that the next save is
    /// not kept waiting. It keeps the number of shards the search page already names.
    fn search_index(&mut self) {
        let Some(p) = self.prepared.as_ref() else {
            return;
        };
        if !p.site.site().config.search.enabled {
            return;
        }
        let ticket = self.live.search_wanted.fetch_add(1, Ordering::SeqCst) + 1;
        let shards = self
            .live
            .current()
            .files
            .keys()
            .filter(|k| k.starts_with("search/p/"))
            .count();
        let docs: Vec<crate::render::search::SearchDoc<'static>> =
            crate::render::search::documents(p.site.site())
                .into_iter()
                .map(crate::render::search::SearchDoc::into_owned)
                .collect();
        let live = self.live.clone();
        std::thread::spawn(move || {
            let index =
                crate::render::search::index_files_with(&docs, (shards > 0).then_some(shards));
            live.update_quietly(load_files(index.files), ticket);
        });
    }

    /// The fast path: applies `update` to the site in memory and serves the pages it
    /// renders over the others; false when a full build is needed instead.
    fn update(
        &mut self,
        update: impl FnOnce(&mut Prepared, &BTreeSet<String>, &LoadOptions) -> Update,
    ) -> bool {
        let Some(p) = self.prepared.as_mut() else {
            return false;
        };
        let snapshot = self.live.current();
        let existing: BTreeSet<String> = snapshot.files.keys().cloned().collect();
        match update(p, &existing, &self.opts.load) {
            Update::Files { rendered, removed } => {
                let mut files = snapshot.files.clone();
                for old in &removed {
                    files.remove(old);
                }
                files.extend(load_files(rendered));
                self.live.publish(files, None, snapshot.findings.clone());
            }
            Update::Everything => return false,
            // The site in memory may now be half updated: the next change rebuilds all.
            Update::Failed(d) => self.fail(d),
        }
        true
    }

    /// Shows the problems of an edit over the last good site; the next change rebuilds
    /// everything.
    fn fail(&mut self, diagnostics: Diagnostics) {
        let summary = build::Summary {
            diagnostics,
            ..Default::default()
        };
        (self.events)(Event::Built(&summary));
        self.prepared = None;
        let files = self.live.current().files.clone();
        self.live.publish(files, Some(error_text(&summary)), None);
    }
}

/// Percent-decodes a request path; `None` for anything that is not a clean path inside
/// the site (`..`, backslashes, NUL, invalid escapes or UTF-8).
pub fn clean_path(raw: &str) -> Option<String> {
    let path = raw.split(['?', '#']).next().unwrap_or("");
    let decoded = crate::config::paths::decode_strict(path)?;
    if !decoded.starts_with('/')
        || decoded.contains('\\')
        || decoded.contains('\0')
        || decoded.starts_with("//")
        || decoded.split('/').any(|seg| seg == ".." || seg == ".")
    {
        return None;
    }
    Some(decoded)
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("static header names and values are valid")
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Adds the reload script, and the error overlay when the last rebuild failed.
fn inject(html: &[u8], snap: &Snapshot) -> Vec<u8> {
    let mut page = String::from_utf8_lossy(html).into_owned();
    let script = format!(
        "<script>(function(){{var gen={};var es=new EventSource(\"{EVENTS_PATH}\");\
es.addEventListener(\"hello\",function(e){{if(Number(e.data)!==gen)location.reload();}});\
es.addEventListener(\"reload\",function(){{location.reload();}});}})();</script>",
        snap.generation
    );
    let overlay = snap.errors.as_ref().map(|e| {
        format!(
            "<div id=\"gongkai-error\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;\
background:rgba(20,20,20,.94);color:#fff;padding:2rem;font:16px/1.6 monospace;white-space:pre-wrap\">\
<h2 style=\"color:#ff9b9b;font:bold 20px sans-serif;margin:0 0 1rem\">构建出错：下面是需要修改的地方，改好保存后页面会自动恢复。</h2>{}</div>",
            escape_html(e)
        )
    });
    let panel = snap
        .findings
        .as_ref()
        .filter(|_| snap.errors.is_none())
        .map(|f| {
            format!(
                "<div id=\"gongkai-findings\" role=\"alert\" style=\"position:fixed;left:0;right:0;bottom:0;z-index:2147483647;max-height:45vh;overflow:auto;\
background:#fff4e5;color:#222;border-top:3px solid #b00;padding:1rem 1.5rem;font:15px/1.6 sans-serif;box-shadow:0 -2px 8px rgba(0,0,0,.3)\">\
<button type=\"button\" onclick=\"this.parentNode.remove()\" style=\"float:right;font:inherit\">暂时关闭</button>\
<strong style=\"color:#b00\">发布前检查发现的问题：改好之前 gongkai build 不会生成、deploy 不会上传这个网站。预览照常显示，改好保存后这里会消失。</strong>\
<pre style=\"white-space:pre-wrap;font:14px/1.5 monospace;margin:.5rem 0 0\">{}</pre></div>",
                escape_html(f)
            )
        });
    let at = page.rfind("</body>").unwrap_or(page.len());
    page.insert_str(
        at,
        &format!(
            "{}{}{script}",
            overlay.unwrap_or_default(),
            panel.unwrap_or_default()
        ),
    );
    page.into_bytes()
}

fn handle(request: Request, live: &Live) {
    let method = request.method().as_str().to_string();
    if method != "GET" && method != "HEAD" {
        let _ = request.respond(Response::from_string("只支持 GET").with_status_code(405));
        return;
    }
    let raw = request.url().to_string();
    if raw.split('?').next() == Some(EVENTS_PATH) {
        events(request, live);
        return;
    }
    let snap = live.current();
    let Some(path) = clean_path(&raw) else {
        let _ = request.respond(Response::from_string("禁止访问").with_status_code(403));
        return;
    };
    let key = path.trim_start_matches('/');
    let key = if key.is_empty() || key.ends_with('/') {
        format!("{key}index.html")
    } else {
        key.to_string()
    };
    if snap.files.is_empty() && snap.errors.is_some() {
        let page = inject("<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>构建出错</title><body></body></html>".as_bytes(), &snap);
        let _ = request.respond(
            Response::from_data(page)
                .with_status_code(500)
                .with_header(header("Content-Type", "text/html; charset=utf-8")),
        );
        return;
    }
    if let Some(bytes) = snap.files.get(&key) {
        let ct = crate::output::mime::content_type(&key);
        let body = if ct.starts_with("text/html") {
            inject(bytes, &snap)
        } else {
            bytes.as_ref().clone()
        };
        let _ = request.respond(
            Response::from_data(body)
                .with_header(header("Content-Type", &ct))
                .with_header(header("Cache-Control", "no-cache")),
        );
        return;
    }
    if snap.files.contains_key(&format!("{key}/index.html")) {
        let query = raw
            .split_once('?')
            .map(|(_, q)| format!("?{q}"))
            .unwrap_or_default();
        let location = format!("{}/{query}", raw.split('?').next().unwrap_or(""));
        let _ = request.respond(Response::empty(301).with_header(header("Location", &location)));
        return;
    }
    let body = snap
        .files
        .get("404.html")
        .map(|b| inject(b, &snap))
        .unwrap_or_else(|| "页面不存在".as_bytes().to_vec());
    let _ = request.respond(
        Response::from_data(body)
            .with_status_code(404)
            .with_header(header("Content-Type", "text/html; charset=utf-8")),
    );
}

/// Server-Sent Events: `hello` with the current build, then `reload` after each build.
/// Written by hand on the raw connection: tiny_http's chunked responses are not flushed
/// per event.
fn events(request: Request, live: &Live) {
    let mut w = request.into_writer();
    let mut seen = live.current().generation;
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\nretry: 500\nevent: hello\ndata: {seen}\n\n"
    );
    if w.write_all(head.as_bytes())
        .and_then(|()| w.flush())
        .is_err()
    {
        return;
    }
    loop {
        let generation = {
            let g = live.generation.lock().unwrap_or_else(|e| e.into_inner());
            let (g, _) = live
                .changed
                .wait_timeout_while(g, Duration::from_secs(15), |g| {
                    *g == seen && !live.shutdown.load(Ordering::SeqCst)
                })
                .unwrap_or_else(|e| e.into_inner());
            *g
        };
        if live.shutdown.load(Ordering::SeqCst) {
            return;
        }
        let msg = if generation != seen {
            seen = generation;
            format!("event: reload\ndata: {generation}\n\n")
        } else {
            ": ping\n\n".to_string()
        };
        if w.write_all(msg.as_bytes())
            .and_then(|()| w.flush())
            .is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_never_leave_the_site() {
        assert_eq!(
            clean_path("/news/%E7%AD%BE%E8%AF%81/?q=1").as_deref(),
            Some("/news/签证/")
        );
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/b",
            "/a\\b",
            "/%5c..%5cx",
            "//etc/passwd",
            "/%00",
            "/%ff%fe",
            "etc/passwd",
            "/%2",
        ] {
            assert_eq!(clean_path(bad), None, "{bad}");
        }
    }
}
