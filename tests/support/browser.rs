//! A real headless Chromium for tests, driven through chromedriver over the WebDriver
//! HTTP protocol (Debian's `chromium` and `chromium-driver`, installed by `.ci/run`).
//! Requests go through the tests' one HTTP client (`support/http.rs`), which the test
//! file that uses this must also include as `mod http`.

#![allow(dead_code)]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let body = body.map(|b| b.to_string());
    let r = super::http::request(
        method,
        &format!("http://127.0.0.1:{port}{path}"),
        &[("Content-Type", "application/json; charset=utf-8")],
        body.as_deref().map(str::as_bytes),
    )?;
    let v: Value = serde_json::from_slice(&r.body).map_err(|e| format!("{e}: {}", r.text()))?;
    if r.status != 200 {
        return Err(format!("{method} {path}: {} {v}", r.status));
    }
    Ok(v["value"].clone())
}

impl Browser {
    /// Starts chromedriver on a free loopback port and a headless Chromium session.
    pub fn start() -> Browser {
        Browser::start_with(true)
    }

    /// A session whose pages run no JavaScript (what a visitor with it turned off sees);
    /// WebDriver's own commands still work.
    pub fn without_javascript() -> Browser {
        Browser::start_with(false)
    }

    fn start_with(javascript: bool) -> Browser {
        for bin in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
            assert!(
                std::path::Path::new(bin).exists(),
                "{bin} is missing: install Debian's chromium and chromium-driver (.ci/run does)"
            );
        }
        let port = free_port();
        let driver = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let deadline = Instant::now() + Duration::from_secs(20);
        while http(port, "GET", "/status", None)
            .map(|v| v["ready"] != true)
            .unwrap_or(true)
        {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not become ready"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": {
                    "profile.managed_default_content_settings.javascript": if javascript { 1 } else { 2 }
                }
            }
        }}});
        let v = http(port, "POST", "/session", Some(&caps)).expect("a Chromium session starts");
        Browser {
            driver,
            port,
            session: v["sessionId"].as_str().unwrap().to_string(),
            _profile: profile,
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let full = format!("/session/{}{path}", self.session);
        http(self.port, method, &full, body).unwrap_or_else(|e| panic!("WebDriver: {e}"))
    }

    /// Opens `url` and waits until its page has loaded.
    ///
    /// chromedriver can answer before the new document has replaced the old one: on a
    /// loaded two-core machine a test's next script ran in the page before and found
    /// nothing. So the old window is marked first, and the wait is for a window without
    /// the mark whose document has loaded (a reload of the same address is a new window
    /// too, and a redirect lands in one).
    pub fn goto(&self, url: &str) {
        self.eval("window.__gongkaiLeft = true; return null;");
        self.call("POST", "/url", Some(&json!({ "url": url })));
        let loaded = self.wait_for(
            "return window.__gongkaiLeft === undefined && document.readyState === 'complete';",
            Duration::from_secs(30),
        );
        assert!(
            loaded,
            "{url} did not load within 30 s; the browser is at {}",
            self.eval("return location.href + ' (' + document.readyState + ')';")
        );
    }

    /// Runs a synchronous script (`return ...;`) and gives its JSON result.
    pub fn eval(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(&json!({"script": script, "args": []})),
        )
    }

    /// Polls `eval(script)` until it returns true, up to `timeout`; returns whether it did.
    pub fn wait_for(&self, script: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if self.eval(script) == Value::Bool(true) {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn element(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(&json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT].as_str().unwrap().to_string()
    }

    fn elements(&self, css: &str) -> Vec<String> {
        let v = self.call(
            "POST",
            "/elements",
            Some(&json!({"using": "css selector", "value": css})),
        );
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| e[ELEMENT].as_str().unwrap().to_string())
            .collect()
    }

    /// The rendered text of every element matching a CSS selector (through WebDriver, so
    /// it works on pages that run no JavaScript).
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.elements(css)
            .iter()
            .map(|id| {
                self.call("GET", &format!("/element/{id}/text"), None)
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    }

    /// Clicks the first element matching a CSS selector, as a user would.
    pub fn click(&self, css: &str) {
        let id = self.element(css);
        self.call("POST", &format!("/element/{id}/click"), Some(&json!({})));
    }

    /// The address of the current page.
    pub fn current_url(&self) -> String {
        self.call("GET", "/url", None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// The browser's back button.
    pub fn back(&self) {
        self.call("POST", "/back", Some(&json!({})));
    }

    /// Types text into the first element matching a CSS selector.
    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            Some(&json!({ "text": text })),
        );
    }

    /// Presses a key (e.g. "\u{E007}" Enter, "\u{E004}" Tab) in the focused element.
    pub fn press(&self, key: &str) {
        let v = self.call("GET", "/element/active", None);
        let id = v[ELEMENT].as_str().unwrap().to_string();
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            Some(&json!({ "text": key })),
        );
    }

    /// Sets the window size (e.g. 375 wide for mobile checks).
    pub fn resize(&self, width: u32, height: u32) {
        self.call(
            "POST",
            "/window/rect",
            Some(&json!({"width": width, "height": height})),
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = http(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
