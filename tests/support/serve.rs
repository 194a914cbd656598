//! `gongkai serve` started for real on a free port of 127.0.0.1, its console read as it
//! goes; stopped when dropped.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct Served {
    pub child: Child,
    pub port: u16,
    /// The lines it printed, as they come.
    pub log: mpsc::Receiver<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// Serves the site or group at `root` with `args` besides `--root` and `--port 0`.
    pub fn start(root: &Path, args: &[&str]) -> Served {
        Served::start_with(root, |c| c.args(args))
    }

    /// As [`Served::start`], with more arguments or environment given by `more`.
    pub fn start_with(root: &Path, more: impl FnOnce(&mut Command) -> &mut Command) -> Served {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gongkai"));
        cmd.args(["serve", "--port", "0", "--root"]).arg(root);
        let mut child = more(&mut cmd)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the gongkai binary runs");
        let stderr = child.stderr.take().expect("piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        // Owned by the guard from here on, so the server is stopped whatever happens.
        let mut served = Served {
            child,
            port: 0,
            log: rx,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while served.port == 0 {
            let line = served
                .log
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("serve prints its address");
            if let Some(i) = line.find("http://127.0.0.1:") {
                let port: String = line[i + 17..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                served.port = port.parse().expect("a port number");
            }
        }
        served
    }

    /// The address of `path` (ASCII; percent-encode the rest).
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

/// Waits up to 30 seconds for `f` to hold.
pub fn until(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}
