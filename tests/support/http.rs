//! The tests' one HTTP client (ureq, already gongkai's own dependency): no redirects
//! followed and no error for a 4xx or 5xx answer, so a test sees exactly what a server
//! answered.

#![allow(dead_code)]

use std::time::Duration;

pub struct Reply {
    pub status: u16,
    /// `name: value` lines, names lower-cased.
    pub headers: String,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(": ")?;
            (k == name).then_some(v)
        })
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// Sends a request; `Err` only when no answer came (refused, reset, timed out).
pub fn request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Result<Reply, String> {
    let mut req = ureq::http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req
        .body(body.map(<[u8]>::to_vec).unwrap_or_default())
        .map_err(|e| e.to_string())?;
    let mut r = agent().run(req).map_err(|e| e.to_string())?;
    let headers = r
        .headers()
        .iter()
        .map(|(k, v)| format!("{}: {}", k.as_str(), v.to_str().unwrap_or("")))
        .collect::<Vec<_>>()
        .join("\n");
    let status = r.status().as_u16();
    let body = r
        .body_mut()
        .with_config()
        .limit(1 << 30)
        .read_to_vec()
        .map_err(|e| e.to_string())?;
    Ok(Reply {
        status,
        headers,
        body,
    })
}

/// A GET that must be answered.
pub fn get(url: &str) -> Reply {
    request("GET", url, &[], None).unwrap_or_else(|e| panic!("GET {url}: {e}"))
}
