//! `gongkai deploy` against real targets started on loopback: a folder, an S3-compatible
//! server (moto's server, from PyPI) and an OpenSSH server with a throw-away key.

#[path = "support/http.rs"]
mod http;
#[path = "support/tree.rs"]
mod tree;

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tree::{copy_dir, repo};

fn gongkai(root: &Path, args: &[&str], env: &[(&str, String)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    c.args(args).arg("--root").arg(root);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn ok(o: Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    err
}

/// The numbers of the summary line: uploaded, deleted, unchanged.
fn counts(summary: &str) -> (usize, usize, usize) {
    let line = summary.lines().find(|l| l.contains("发布到")).unwrap();
    let nums: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    // 上传 N 个文件（S KB），删除 D 个文件，U 个文件没有变化
    (nums[0], nums[nums.len() - 2], nums[nums.len() - 1])
}

/// Every file of a folder with its bytes; in an output folder, what a deploy publishes
/// (not the build's own list of files).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != ".gongkai-build.json")
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// A site with the search fixture's content and the given deploy targets.
fn site(targets: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&repo().join("tests/fixtures/search"), &root);
    let config = fs::read_to_string(root.join("site.toml")).unwrap();
    fs::write(root.join("site.toml"), format!("{config}\n{targets}")).unwrap();
    ok(gongkai(&root, &["build"], &[]));
    (dir, root)
}

/// The files an edit changed in the output, counted by comparing two builds: what a
/// deploy after that edit must send.
fn changed_by(root: &Path, edit: impl FnOnce()) -> usize {
    let before = snapshot(&root.join("public"));
    edit();
    ok(gongkai(root, &["build"], &[]));
    let after = snapshot(&root.join("public"));
    after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(v))
        .count()
}

fn edit_news(root: &Path) {
    let f = root.join("content/news/2024/领事认证.md");
    let text = fs::read_to_string(&f).unwrap();
    fs::write(
        &f,
        text.replace(
            "认证材料的要求不变。",
            "认证材料的要求不变，办理时间延长至下午五点。",
        ),
    )
    .unwrap();
}

#[test]
fn a_folder_gets_everything_then_only_what_changed() {
    let (dir, root) = site("[deploy.web]\nkind = \"folder\"\npath = \"../www\"\n");
    let www = dir.path().join("www");
    let built = snapshot(&root.join("public"));
    let (up, del, same) = counts(&ok(gongkai(&root, &["deploy", "web"], &[])));
    assert_eq!((up, del, same), (built.len(), 0, 0));
    let mut held = snapshot(&www);
    assert!(held.remove(".gongkai-manifest.json").is_some());
    assert_eq!(held, built);

    let changed = changed_by(&root, || edit_news(&root));
    assert!(
        changed >= 2,
        "the item, lists and the search index: {changed}"
    );
    // A dry run says so and changes nothing.
    let before = snapshot(&www);
    let (up, _, _) = counts(&ok(gongkai(&root, &["deploy", "--dry-run"], &[])));
    assert_eq!(up, changed);
    assert_eq!(snapshot(&www), before);
    let (up, del, _) = counts(&ok(gongkai(&root, &["deploy", "web"], &[])));
    assert_eq!((up, del), (changed, 0));

    // A deleted page goes only with --delete.
    fs::remove_file(root.join("content/news/2022/因公护照.md")).unwrap();
    ok(gongkai(&root, &["build"], &[]));
    let (_, del, _) = counts(&ok(gongkai(&root, &["deploy", "web"], &[])));
    assert_eq!(del, 0);
    assert!(www.join("news/2022/因公护照/index.html").exists());
    let (_, del, _) = counts(&ok(gongkai(&root, &["deploy", "web", "--delete"], &[])));
    assert!(del >= 1);
    assert!(!www.join("news/2022/因公护照").exists());
    let mut held = snapshot(&www);
    held.remove(".gongkai-manifest.json");
    assert_eq!(held, snapshot(&root.join("public")));
}

#[test]
fn a_windows_path_in_double_quotes_is_refused_with_the_fix() {
    // In TOML's double quotes "D:\new" holds a line break: not the folder meant.
    let (dir, root) = site("[deploy.d]\nkind = \"folder\"\npath = \"D:\\new\\t\"\n");
    let o = gongkai(&root, &["deploy", "d"], &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("[deploy.d] 的 path 含有换行或制表符")
            && err.contains("path = 'D:\\网站\\发布'"),
        "{err}"
    );
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing written"
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for_port(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "{what} did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// moto's S3 server on a free port, with an empty bucket `site`.
fn s3_server() -> (Killed, u16) {
    let port = free_port();
    let child = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto_server runs (pip install 'moto[server]'; .ci/run does)");
    let server = Killed(child);
    wait_for_port(port, "moto_server");
    http(port, "PUT", "/site", b"");
    (server, port)
}

/// A request to moto's server; moto does not check signatures, so the test can look.
fn http(port: u16, method: &str, path: &str, body: &[u8]) -> (String, Vec<u8>) {
    let r = http::request(
        method,
        &format!("http://127.0.0.1:{port}{path}"),
        &[],
        Some(body),
    )
    .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    (format!("HTTP/1.1 {}\n{}", r.status, r.headers), r.body)
}

/// A path and query signed (SigV4, as any S3 client does) for the test's look at the bucket.
fn signed(port: u16, method: &str, key: Option<&str>) -> String {
    use rusty_s3::S3Action;
    let bucket = rusty_s3::Bucket::new(
        url::Url::parse(&format!("http://127.0.0.1:{port}")).unwrap(),
        rusty_s3::UrlStyle::Path,
        "site",
        "us-east-1",
    )
    .unwrap();
    let creds = rusty_s3::Credentials::new("test-key", "test-secret");
    let hour = Duration::from_secs(3600);
    let url = match (method, key) {
        ("GET", None) => {
            let mut a = bucket.list_objects_v2(Some(&creds));
            a.with_prefix("wb/");
            a.sign(hour)
        }
        ("GET" | "HEAD", Some(k)) => bucket.get_object(Some(&creds), k).sign(hour),
        ("PUT", Some(k)) => bucket.put_object(Some(&creds), k).sign(hour),
        _ => unreachable!(),
    };
    format!("{}?{}", url.path(), url.query().unwrap_or(""))
}

/// The objects under `wb/` with their bytes.
fn bucket(port: u16) -> BTreeMap<String, Vec<u8>> {
    let (_, list) = http(port, "GET", &signed(port, "GET", None), b"");
    let xml = String::from_utf8(list).unwrap();
    rusty_s3::actions::ListObjectsV2::parse_response(&xml)
        .unwrap()
        .contents
        .into_iter()
        .map(|c| c.key)
        .map(|k| {
            let (_, body) = http(port, "GET", &signed(port, "GET", Some(&k)), b"");
            (k.trim_start_matches("wb/").to_string(), body)
        })
        .collect()
}

/// Forwards to `to`, and cuts every connection once `budget` bytes have gone up (a
/// connection lost mid-upload); later connections are refused.
fn proxy(to: u16, budget: usize) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let sent = Arc::new(AtomicUsize::new(0));
    let dead = Arc::new(AtomicBool::new(false));
    std::thread::spawn(move || {
        for c in l.incoming() {
            let Ok(client) = c else { continue };
            if dead.load(Ordering::SeqCst) {
                continue;
            }
            let server = TcpStream::connect(("127.0.0.1", to)).unwrap();
            let (mut c_r, mut s_w) = (client.try_clone().unwrap(), server.try_clone().unwrap());
            let (sent2, dead2) = (sent.clone(), dead.clone());
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = c_r.read(&mut buf) {
                    if n == 0 {
                        let _ = s_w.shutdown(std::net::Shutdown::Write);
                        return;
                    }
                    if sent2.fetch_add(n, Ordering::SeqCst) + n > budget {
                        dead2.store(true, Ordering::SeqCst);
                        let _ = c_r.shutdown(std::net::Shutdown::Both);
                        let _ = s_w.shutdown(std::net::Shutdown::Both);
                        return;
                    }
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
    port
}

fn s3_target(name: &str, port: u16) -> String {
    format!(
        "[deploy.{name}]\nkind = \"s3\"\nbucket = \"site\"\nendpoint = \"http://127.0.0.1:{port}\"\nprefix = \"wb\"\n"
    )
}

fn keys() -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID", "test-key".to_string()),
        ("AWS_SECRET_ACCESS_KEY", "test-secret".to_string()),
    ]
}

#[test]
fn s3_storage_gets_only_what_changed_with_types_and_survives_a_cut() {
    let (_moto, port) = s3_server();
    let cut = proxy(port, 50_000);
    let (_dir, root) = site(&format!(
        "{}\n{}",
        s3_target("oss", port),
        s3_target("flaky", cut)
    ));
    let env = keys();
    // No credentials: a clear message, nothing sent.
    let o = gongkai(
        &root,
        &["deploy", "oss"],
        &[
            ("AWS_ACCESS_KEY_ID", String::new()),
            ("HOME", "/nonexistent".into()),
        ],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("AWS_ACCESS_KEY_ID"));
    assert!(bucket(port).is_empty());

    // The connection is cut mid-upload: the deploy fails, the manifest is not written.
    let o = gongkai(&root, &["deploy", "flaky"], &env);
    assert!(!o.status.success(), "the cut is reported");
    let partial = bucket(port);
    let built = snapshot(&root.join("public"));
    assert!(
        !partial.is_empty() && partial.len() < built.len(),
        "{} of {}",
        partial.len(),
        built.len()
    );
    assert!(!partial.contains_key(".gongkai-manifest.json"));
    // Run again: it finishes the job.
    ok(gongkai(&root, &["deploy", "oss"], &env));
    let mut held = bucket(port);
    assert!(held.remove(".gongkai-manifest.json").is_some());
    assert!(held == built, "the bucket holds the built site");
    let (head, _) = http(
        port,
        "GET",
        &signed(port, "GET", Some("wb/index.html")),
        b"",
    );
    let lower = head.to_ascii_lowercase();
    assert!(
        lower.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(lower.contains("cache-control: no-cache"), "{head}");

    // One news item edited: only the files that changed are sent.
    let changed = changed_by(&root, || edit_news(&root));
    let dry = ok(gongkai(&root, &["deploy", "oss", "--dry-run"], &env));
    assert_eq!(counts(&dry).0, changed);
    assert!(dry.contains("上传 news/2024/领事认证/index.html"), "{dry}");
    assert_eq!(
        bucket(port).len(),
        built.len() + 1,
        "a dry run sends nothing"
    );
    let (up, del, same) = counts(&ok(gongkai(&root, &["deploy", "oss"], &env)));
    assert_eq!((up, del), (changed, 0));
    assert_eq!(up + same, snapshot(&root.join("public")).len());

    // --delete removes a deleted page, and nothing outside the prefix.
    http(
        port,
        "PUT",
        &signed(port, "PUT", Some("other/keep.txt")),
        b"not ours",
    );
    fs::remove_file(root.join("content/news/2022/因公护照.md")).unwrap();
    ok(gongkai(&root, &["build"], &[]));
    let (_, del, _) = counts(&ok(gongkai(&root, &["deploy", "oss", "--delete"], &env)));
    assert!(del >= 1);
    let mut held = bucket(port);
    held.remove(".gongkai-manifest.json");
    assert!(
        held == snapshot(&root.join("public")),
        "the bucket holds the built site"
    );
    assert_eq!(
        http(
            port,
            "GET",
            &signed(port, "GET", Some("other/keep.txt")),
            b""
        )
        .1,
        b"not ours"
    );
}

/// An OpenSSH server on a free port that lets in a throw-away key.
struct Sshd {
    _child: Killed,
    port: u16,
    env: Vec<(&'static str, String)>,
}

fn sshd(dir: &Path) -> Sshd {
    let sshd = Path::new("/usr/sbin/sshd");
    assert!(
        sshd.exists(),
        "/usr/sbin/sshd is missing: install openssh-server (.ci/run does)"
    );
    let keygen = |path: &Path| {
        let o = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-f"])
            .arg(path)
            .output()
            .unwrap();
        assert!(o.status.success());
    };
    let (host, user) = (dir.join("host_key"), dir.join("user_key"));
    keygen(&host);
    keygen(&user);
    fs::copy(dir.join("user_key.pub"), dir.join("authorized_keys")).unwrap();
    let port = free_port();
    let config = dir.join("sshd_config");
    fs::write(
        &config,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nAuthorizedKeysFile {}\nPidFile {}\nStrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nSubsystem sftp internal-sftp\n",
            host.display(),
            dir.join("authorized_keys").display(),
            dir.join("sshd.pid").display()
        ),
    )
    .unwrap();
    fs::create_dir_all("/run/sshd").ok();
    let child = Command::new(sshd)
        .args(["-D", "-e", "-f"])
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let child = Killed(child);
    wait_for_port(port, "sshd");
    let command = format!(
        "ssh -i {} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR",
        user.display()
    );
    Sshd {
        _child: child,
        port,
        env: vec![("GONGKAI_SSH", command)],
    }
}

fn whoami() -> String {
    String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout)
        .unwrap()
        .trim()
        .to_string()
}

#[test]
fn an_ssh_server_gets_only_what_changed_by_rsync_or_sftp() {
    let keys = tempfile::tempdir().unwrap();
    let server = sshd(keys.path());
    let web = keys.path().join("网站根目录");
    let target = |name: &str, port: u16| {
        format!(
            "[deploy.{name}]\nkind = \"ssh\"\nhost = \"127.0.0.1\"\nuser = \"{}\"\nport = {port}\npath = \"{}\"\n",
            whoami(),
            web.display()
        )
    };
    let cut = proxy(server.port, 70_000);
    let (_dir, root) = site(&format!(
        "{}\n{}",
        target("server", server.port),
        target("flaky", cut)
    ));
    let built = snapshot(&root.join("public"));
    // The connection is cut mid-upload: the deploy fails and no manifest claims anything.
    let o = gongkai(&root, &["deploy", "flaky"], &server.env);
    assert!(!o.status.success(), "the cut is reported");
    assert!(!web.join(".gongkai-manifest.json").exists());
    // Run again: it finishes the job.
    let (up, _, _) = counts(&ok(gongkai(&root, &["deploy", "server"], &server.env)));
    assert!(
        up > 0 && up < built.len(),
        "what arrived before the cut is not sent again: {up} of {}",
        built.len()
    );
    let mut held = snapshot(&web);
    assert!(held.remove(".gongkai-manifest.json").is_some());
    assert_eq!(held, built);

    let changed = changed_by(&root, || edit_news(&root));
    let before = snapshot(&web);
    let (up, _, _) = counts(&ok(gongkai(
        &root,
        &["deploy", "server", "--dry-run"],
        &server.env,
    )));
    assert_eq!(up, changed);
    assert_eq!(snapshot(&web), before, "a dry run changes nothing");
    let (up, _, _) = counts(&ok(gongkai(&root, &["deploy", "server"], &server.env)));
    assert_eq!(up, changed);

    // Without rsync on the path, SFTP does the same.
    let no_rsync = tempfile::tempdir().unwrap();
    for tool in ["ssh", "sftp", "ssh-keygen", "id"] {
        let real = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .unwrap();
        let real = String::from_utf8(real.stdout).unwrap();
        std::os::unix::fs::symlink(real.trim(), no_rsync.path().join(tool)).unwrap();
    }
    let mut env = server.env.clone();
    env.push(("PATH", no_rsync.path().display().to_string()));
    let changed = changed_by(&root, || {
        let f = root.join("content/news/2024/商务旅行卡.md");
        let t = fs::read_to_string(&f).unwrap();
        fs::write(&f, t.replace("二十个工作日", "十五个工作日")).unwrap();
    });
    let (up, _, _) = counts(&ok(gongkai(&root, &["deploy", "server"], &env)));
    assert_eq!(up, changed);

    fs::remove_file(root.join("content/news/2022/因公护照.md")).unwrap();
    ok(gongkai(&root, &["build"], &[]));
    let (_, del, _) = counts(&ok(gongkai(
        &root,
        &["deploy", "server", "--delete"],
        &server.env,
    )));
    assert!(del >= 1);
    let mut held = snapshot(&web);
    held.remove(".gongkai-manifest.json");
    assert_eq!(held, snapshot(&root.join("public")));
}
