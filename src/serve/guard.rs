//! The preview server's front door: reads each request's head within fixed limits,
//! answers only requests addressed to this machine by name, and hands the rest to the
//! HTTP server behind it.
//!
//! tiny_http reads header lines without any limit (a 300 MB line costs 300 MB) and
//! answers whatever `Host` a request names. The second lets a web page the editor visits
//! read the preview through DNS rebinding: its own domain, re-pointed at 127.0.0.1, is
//! same-origin to the browser, so drafts would be readable by any site. Here a request
//! whose `Host` is not `localhost`, an IP address or the `--bind` name is refused, and a
//! head over [`MAX_HEAD`] bytes, a line over [`MAX_LINE`] or more than [`MAX_HEADERS`]
//! headers gets 431 without being kept.
//!
//! Accepted requests go to tiny_http on a second loopback socket, one request per
//! connection (`Connection: close`), carrying a per-process token that the server
//! behind checks, so the inner socket cannot be used to go around these checks.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

/// The most bytes of request line and headers together.
pub const MAX_HEAD: usize = 64 * 1024;
/// The longest request line or header line.
pub const MAX_LINE: usize = 16 * 1024;
/// The most headers in a request.
pub const MAX_HEADERS: usize = 100;
/// The largest request body passed on (the preview answers only GET and HEAD).
const MAX_BODY: usize = 64 * 1024;
/// How long a client may take to send its request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// The header that proves a request came through the front door.
pub const TOKEN_HEADER: &str = "X-Gongkai-Guard";

/// A fresh secret for [`TOKEN_HEADER`]: std's hasher keys come from the operating
/// system's random source, and nothing outside this process can see them.
pub fn new_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let part = || {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(0x676f_6e67_6b61_6921);
        h.finish()
    };
    format!("{:016x}{:016x}", part(), part())
}

/// Which `Host` values the front door answers.
#[derive(Debug, Clone)]
pub struct Hosts {
    /// The `--bind` name, lower-cased, when it is a name rather than an address.
    pub bind_name: Option<String>,
    pub port: u16,
}

impl Hosts {
    /// Whether a request's `Host` header names this server: `localhost`, any IP address
    /// (rebinding needs a domain name) or the `--bind` name, with our port or none.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let (name, port) = split_host(&host);
        if port.is_some_and(|p| p != self.port) {
            return false;
        }
        let name = name.trim_end_matches('.');
        name == "localhost"
            || name.ends_with(".localhost")
            || name
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<IpAddr>()
                .is_ok()
            || self.bind_name.as_deref() == Some(name)
    }
}

/// `name` and port of a Host header value (`[::1]:8080`, `localhost`, `a.b:80`).
fn split_host(host: &str) -> (&str, Option<u16>) {
    let split = if host.starts_with('[') {
        host.find("]:").map(|i| i + 1)
    } else if host.matches(':').count() == 1 {
        host.find(':')
    } else {
        None
    };
    match split {
        Some(i) => match host[i + 1..].parse() {
            Ok(p) => (&host[..i], Some(p)),
            // An unparsable port never matches ours.
            Err(_) => (&host[..i], Some(0)),
        },
        None => (host, None),
    }
}

/// Accepts connections on `listener` for ever, each on its own thread.
pub fn run(listener: TcpListener, inner: SocketAddr, hosts: Hosts, token: String) {
    for conn in listener.incoming() {
        let Ok(conn) = conn else { continue };
        let (hosts, token) = (hosts.clone(), token.clone());
        std::thread::spawn(move || {
            let _ = serve_connection(conn, inner, &hosts, &token);
        });
    }
}

/// What reading a request head found.
enum Head {
    /// The head (through the blank line) and any body bytes read after it.
    Complete {
        head: Vec<u8>,
        rest: Vec<u8>,
    },
    TooLarge,
}

fn read_head(conn: &mut TcpStream) -> io::Result<Head> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let n = conn.read(&mut chunk)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            let rest = buf.split_off(end + 4);
            if buf.len() > MAX_HEAD || longest_line(&buf) > MAX_LINE {
                return Ok(Head::TooLarge);
            }
            return Ok(Head::Complete { head: buf, rest });
        }
        if buf.len() > MAX_HEAD || longest_line(&buf) > MAX_LINE {
            return Ok(Head::TooLarge);
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn longest_line(buf: &[u8]) -> usize {
    buf.split(|b| *b == b'\n')
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0)
}

fn refuse(conn: &mut TcpStream, status: &str, text: &str) -> io::Result<()> {
    let body = format!("{text}\n");
    write!(
        conn,
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    conn.flush()?;
    let _ = conn.shutdown(Shutdown::Write);
    Ok(())
}

fn serve_connection(
    mut conn: TcpStream,
    inner: SocketAddr,
    hosts: &Hosts,
    token: &str,
) -> io::Result<()> {
    conn.set_nodelay(true)?;
    conn.set_read_timeout(Some(HEAD_TIMEOUT))?;
    let (head, rest) = match read_head(&mut conn)? {
        Head::Complete { head, rest } => (head, rest),
        Head::TooLarge => {
            return refuse(
                &mut conn,
                "431 Request Header Fields Too Large",
                "请求头过大",
            );
        }
    };
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(&head) {
        // A request target is ASCII (a browser percent-encodes the rest); tiny_http would
        // drop the connection without an answer.
        Ok(httparse::Status::Complete(_)) if req.path.is_some_and(str::is_ascii) => {}
        Err(httparse::Error::TooManyHeaders) => {
            return refuse(
                &mut conn,
                "431 Request Header Fields Too Large",
                "请求头过多",
            );
        }
        _ => return refuse(&mut conn, "400 Bad Request", "请求格式不正确"),
    }
    // Exactly one Host (RFC 9112 §3.2): with two, the inner server and a proxy in front
    // could each believe another.
    let named: Vec<String> = req
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("host"))
        .map(|h| String::from_utf8_lossy(h.value).into_owned())
        .collect();
    if named.len() > 1 {
        return refuse(&mut conn, "400 Bad Request", "请求中有多个 Host 请求头");
    }
    if !named.first().is_some_and(|h| hosts.allows(h)) {
        return refuse(
            &mut conn,
            "403 Forbidden",
            "预览服务器只回应发给本机的请求（localhost 或 IP 地址）。",
        );
    }
    let length: usize = req
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-length"))
        .and_then(|h| std::str::from_utf8(h.value).ok()?.trim().parse().ok())
        .unwrap_or(0);
    if length > MAX_BODY {
        return refuse(&mut conn, "413 Content Too Large", "请求内容过大");
    }
    let mut forward = format!(
        "{} {} HTTP/1.1\r\n",
        req.method.unwrap_or("GET"),
        req.path.unwrap_or("/")
    )
    .into_bytes();
    for h in req.headers.iter() {
        let name = h.name.to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "connection" | "keep-alive" | "transfer-encoding"
        ) || name.eq_ignore_ascii_case(TOKEN_HEADER)
        {
            continue;
        }
        forward.extend_from_slice(h.name.as_bytes());
        forward.extend_from_slice(b": ");
        forward.extend_from_slice(h.value);
        forward.extend_from_slice(b"\r\n");
    }
    forward.extend_from_slice(
        format!("Connection: close\r\n{TOKEN_HEADER}: {token}\r\n\r\n").as_bytes(),
    );
    let mut body = rest;
    body.truncate(length);
    if body.len() < length {
        let mut more = vec![0; length - body.len()];
        conn.read_exact(&mut more)?;
        body.extend(more);
    }
    forward.extend(body);

    let mut upstream = TcpStream::connect(inner)?;
    upstream.set_nodelay(true)?;
    upstream.write_all(&forward)?;
    conn.set_read_timeout(None)?;
    // The response (an endless one for the reload events) goes back until either side
    // closes; a closed browser tab ends the copy at the next write.
    let copied = io::copy(&mut upstream, &mut conn);
    let _ = upstream.shutdown(Shutdown::Both);
    let _ = conn.shutdown(Shutdown::Both);
    copied.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machine_by_name_or_address_is_answered() {
        let hosts = Hosts {
            bind_name: Some("preview.local".into()),
            port: 1111,
        };
        for ok in [
            "localhost:1111",
            "LOCALHOST",
            "127.0.0.1:1111",
            "[::1]:1111",
            "192.168.1.20:1111",
            "preview.local:1111",
            "localhost.:1111",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "evil.example",
            "127.0.0.1.evil.example:1111",
            "localhost:1112",
            "localhost:abc",
            "",
            "[::1]:80",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
    }

    #[test]
    fn tokens_differ() {
        assert_ne!(new_token(), new_token());
        assert_eq!(new_token().len(), 32);
    }
}
