//! An S3-compatible object storage target (OSS, COS, OBS, MinIO …): signed requests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow};

use super::{MANIFEST, Remote, Target};

/// S3-compatible object storage (阿里云 OSS, 华为云 OBS, 腾讯云 COS, MinIO …), with keys
/// from the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`)
/// or the user's `~/.aws/credentials` (profile `AWS_PROFILE`, else `default`).
pub struct S3 {
    bucket: rusty_s3::Bucket,
    credentials: rusty_s3::Credentials,
    prefix: String,
    agent: ureq::Agent,
}

const SIGNED_FOR: Duration = Duration::from_secs(3600);

fn credentials(name: &str) -> Result<rusty_s3::Credentials> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    if let (Some(k), Some(s)) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
        return Ok(match env("AWS_SESSION_TOKEN") {
            Some(t) => rusty_s3::Credentials::new_with_token(k, s, t),
            None => rusty_s3::Credentials::new(k, s),
        });
    }
    let file = env("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".aws/credentials")));
    let profile = env("AWS_PROFILE").unwrap_or_else(|| "default".into());
    if let Some(text) = file.and_then(|f| std::fs::read_to_string(f).ok()) {
        let mut current = String::new();
        let (mut key, mut secret) = (None, None);
        for l in text.lines().map(str::trim) {
            if let Some(sec) = l.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                current = sec.trim().to_string();
            } else if current == profile
                && let Some((k, v)) = l.split_once('=')
            {
                match k.trim() {
                    "aws_access_key_id" => key = Some(v.trim().to_string()),
                    "aws_secret_access_key" => secret = Some(v.trim().to_string()),
                    _ => {}
                }
            }
        }
        if let (Some(k), Some(s)) = (key, secret) {
            return Ok(rusty_s3::Credentials::new(k, s));
        }
    }
    Err(anyhow!(
        "发布目标 {name} 需要对象存储的访问密钥：设置环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY，或写在 ~/.aws/credentials 的 [{profile}] 中。密钥不能写在 site.toml 里。"
    ))
}

/// Pages and data change with every build; other files may be cached a while.
fn cache_control(path: &str) -> &'static str {
    if [".html", ".xml", ".json", ".csv"]
        .iter()
        .any(|e| path.ends_with(e))
    {
        "no-cache"
    } else {
        "public, max-age=3600"
    }
}

impl S3 {
    /// Uploads one object (`path` under the prefix) with these headers.
    fn put_object(
        &self,
        path: &str,
        bytes: &[u8],
        headers: [(&str, &str); 2],
        what: &str,
    ) -> Result<()> {
        use rusty_s3::S3Action;
        let key = self.key(path);
        let url = self
            .bucket
            .put_object(Some(&self.credentials), &key)
            .sign(SIGNED_FOR);
        let mut req = self.agent.put(url.as_str());
        for (k, v) in headers {
            req = req.header(k, v);
        }
        Self::check(req.send(bytes), what)?;
        Ok(())
    }

    pub(super) fn new(
        name: &str,
        bucket: &str,
        endpoint: &str,
        region: &str,
        prefix: &str,
        virtual_host: bool,
    ) -> Result<S3> {
        let url = url::Url::parse(endpoint)
            .map_err(|e| anyhow!("发布目标 {name} 的 endpoint 不是有效的网址：{e}"))?;
        let style = if virtual_host {
            rusty_s3::UrlStyle::VirtualHost
        } else {
            rusty_s3::UrlStyle::Path
        };
        let bucket = rusty_s3::Bucket::new(url, style, bucket.to_string(), region.to_string())
            .map_err(|e| anyhow!("发布目标 {name}：{e}"))?;
        let prefix = prefix.trim_matches('/');
        Ok(S3 {
            bucket,
            credentials: credentials(name)?,
            prefix: if prefix.is_empty() {
                String::new()
            } else {
                format!("{prefix}/")
            },
            agent: ureq::Agent::new_with_config(
                ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(120)))
                    .build(),
            ),
        })
    }

    fn key(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }

    fn check(
        resp: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        what: &str,
    ) -> Result<ureq::http::Response<ureq::Body>> {
        let mut r = resp.map_err(|e| anyhow!("{what}失败：{e}"))?;
        if r.status().is_success() {
            Ok(r)
        } else {
            let body = r.body_mut().read_to_string().unwrap_or_default();
            Err(anyhow!(
                "{what}失败：HTTP {} {}",
                r.status(),
                body.chars().take(300).collect::<String>()
            ))
        }
    }
}

impl Target for S3 {
    fn manifest(&mut self) -> Result<Option<Vec<u8>>> {
        use rusty_s3::S3Action;
        let key = self.key(MANIFEST);
        let url = self
            .bucket
            .get_object(Some(&self.credentials), &key)
            .sign(SIGNED_FOR);
        let mut r = self
            .agent
            .get(url.as_str())
            .call()
            .map_err(|e| anyhow!("读取清单失败：{e}"))?;
        if r.status() == 404 {
            return Ok(None);
        }
        if !r.status().is_success() {
            return Err(anyhow!("读取清单失败：HTTP {}", r.status()));
        }
        r.body_mut().read_to_vec().map(Some).context("读取清单失败")
    }

    fn list(&mut self) -> Result<BTreeMap<String, Remote>> {
        use rusty_s3::S3Action;
        let mut out = BTreeMap::new();
        let mut token: Option<String> = None;
        loop {
            let mut action = self.bucket.list_objects_v2(Some(&self.credentials));
            if !self.prefix.is_empty() {
                action.with_prefix(self.prefix.as_str());
            }
            if let Some(t) = &token {
                action.with_continuation_token(t.clone());
            }
            let url = action.sign(SIGNED_FOR);
            let mut r = Self::check(self.agent.get(url.as_str()).call(), "列出存储桶中的文件")?;
            let text = r
                .body_mut()
                .read_to_string()
                .context("读取存储桶列表失败")?;
            let parsed = rusty_s3::actions::ListObjectsV2::parse_response(&text)
                .map_err(|e| anyhow!("存储桶列表无法解析：{e}"))?;
            for c in parsed.contents {
                if let Some(rel) = c.key.strip_prefix(&self.prefix) {
                    let remote = Remote {
                        hash: None,
                        size: c.size,
                    };
                    out.insert(rel.to_string(), remote);
                }
            }
            match parsed.next_continuation_token {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        Ok(out)
    }

    fn put(&mut self, out: &Path, files: &[String], done: &dyn Fn(usize)) -> Result<()> {
        for (i, f) in files.iter().enumerate() {
            let bytes = crate::ground::fs::read(&out.join(f))?;
            let headers = [
                ("Content-Type", &*crate::output::mime::content_type(f)),
                ("Cache-Control", cache_control(f)),
            ];
            self.put_object(f, &bytes, headers, &format!("上传 {f} "))?;
            done(i + 1);
        }
        Ok(())
    }

    fn put_manifest(&mut self, bytes: &[u8]) -> Result<()> {
        let headers = [
            ("Content-Type", "application/json"),
            ("Cache-Control", "no-cache"),
        ];
        self.put_object(MANIFEST, bytes, headers, "写入清单")
    }

    fn delete(&mut self, files: &[String]) -> Result<()> {
        use rusty_s3::S3Action;
        for f in files {
            let key = self.key(f);
            let url = self
                .bucket
                .delete_object(Some(&self.credentials), &key)
                .sign(SIGNED_FOR);
            Self::check(
                self.agent.delete(url.as_str()).call(),
                &format!("删除 {f} "),
            )?;
        }
        Ok(())
    }
}
