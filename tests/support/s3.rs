//! moto's S3 server (from PyPI, installed by scripts/test) on a free loopback port, a
//! look at its bucket, and a proxy in front of it that counts the uploads a deploy makes.
//! The test file that uses this must also include `support/http.rs` as `mod http`.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The server; stopped when dropped.
pub struct Moto {
    child: Child,
    pub port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "moto_server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
}

impl Moto {
    /// Starts the server with an empty bucket `bucket`.
    pub fn start(bucket: &str) -> Moto {
        let port = free_port();
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server runs (pip install 'moto[server]'; scripts/test does)");
        let moto = Moto { child, port };
        wait_for_port(port);
        super::http::request(
            "PUT",
            &format!("http://127.0.0.1:{port}/{bucket}"),
            &[],
            Some(b""),
        )
        .unwrap();
        moto
    }

    /// Every object of `bucket` whose key starts with `prefix`, with its bytes.
    pub fn objects(&self, bucket: &str, prefix: &str) -> BTreeMap<String, Vec<u8>> {
        use rusty_s3::S3Action;
        let b = rusty_s3::Bucket::new(
            url::Url::parse(&format!("http://127.0.0.1:{}", self.port)).unwrap(),
            rusty_s3::UrlStyle::Path,
            bucket.to_string(),
            "us-east-1",
        )
        .unwrap();
        let creds = rusty_s3::Credentials::new("test-key", "test-secret");
        let hour = Duration::from_secs(3600);
        let mut list = b.list_objects_v2(Some(&creds));
        list.with_prefix(prefix);
        let xml = super::http::request("GET", list.sign(hour).as_str(), &[], None)
            .unwrap()
            .text();
        rusty_s3::actions::ListObjectsV2::parse_response(&xml)
            .unwrap()
            .contents
            .into_iter()
            .map(|c| {
                let url = b.get_object(Some(&creds), &c.key).sign(hour);
                let body = super::http::request("GET", url.as_str(), &[], None)
                    .unwrap()
                    .body;
                (c.key, body)
            })
            .collect()
    }
}

/// The keys a deploy reads (moto does not check them).
pub fn keys() -> Vec<(&'static str, &'static str)> {
    vec![
        ("AWS_ACCESS_KEY_ID", "test-key"),
        ("AWS_SECRET_ACCESS_KEY", "test-secret"),
    ]
}

/// A proxy on a free port that forwards to `to` and counts the PUT requests (uploads of
/// objects and of manifests) that go through it.
pub struct Counting {
    pub port: u16,
    puts: Arc<AtomicUsize>,
}

impl Counting {
    pub fn start(to: u16) -> Counting {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let puts = Arc::new(AtomicUsize::new(0));
        let count = puts.clone();
        std::thread::spawn(move || {
            for c in l.incoming() {
                let Ok(client) = c else { continue };
                let server = TcpStream::connect(("127.0.0.1", to)).unwrap();
                let (mut c_r, mut s_w) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                let count = count.clone();
                std::thread::spawn(move || {
                    let mut buf = [0u8; 8192];
                    // The last bytes of the previous read, so a request line split
                    // between two reads is still seen.
                    let mut tail: Vec<u8> = Vec::new();
                    while let Ok(n) = c_r.read(&mut buf) {
                        if n == 0 {
                            let _ = s_w.shutdown(std::net::Shutdown::Write);
                            return;
                        }
                        let mut seen = tail.clone();
                        seen.extend_from_slice(&buf[..n]);
                        let starts = seen.windows(5).filter(|w| *w == b"PUT /").count()
                            - tail.windows(5).filter(|w| *w == b"PUT /").count();
                        count.fetch_add(starts, Ordering::SeqCst);
                        tail = seen[seen.len().saturating_sub(4)..].to_vec();
                        if s_w.write_all(&buf[..n]).is_err() {
                            return;
                        }
                    }
                });
                let (mut s_r, mut c_w) = (server, client);
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut s_r, &mut c_w);
                    let _ = c_w.shutdown(std::net::Shutdown::Both);
                });
            }
        });
        Counting { port, puts }
    }

    /// The PUT requests so far.
    pub fn puts(&self) -> usize {
        self.puts.load(Ordering::SeqCst)
    }
}
