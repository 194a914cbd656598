//! Where a target puts its files, so that two targets can be compared before anything is
//! sent: a portal group's members must each have a place of their own, or one member's
//! deploy replaces another's files and its `--delete` removes them.

use std::path::Path;

use anyhow::Result;

use crate::config::DeployTarget;

/// The place a target writes to, made comparable: a folder by its canonical path, a
/// server by its host, port and path, object storage by its endpoint, bucket and prefix.
/// Each is a root (what identifies the storage) and the folders under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    root: String,
    folders: Vec<String>,
}

impl Place {
    /// The place of target `name` as the site at `root` (a member's folder) would publish.
    pub fn of(name: &str, target: &DeployTarget, root: &Path) -> Result<Place> {
        let split = |p: &str| -> Vec<String> {
            p.split(['/', '\\'])
                .filter(|s| !s.is_empty() && *s != ".")
                .map(str::to_string)
                .collect()
        };
        Ok(match target {
            DeployTarget::Folder { path } => {
                let dest = crate::ground::fs::absolute(&super::folder_path(name, path, root)?);
                let text = dest.display().to_string();
                Place {
                    root: "folder".into(),
                    folders: split(&text),
                }
            }
            DeployTarget::Ssh {
                host, port, path, ..
            } => Place {
                root: format!("ssh://{}:{}", host.to_lowercase(), port.unwrap_or(22)),
                folders: split(path),
            },
            DeployTarget::S3 {
                bucket,
                endpoint,
                prefix,
                ..
            } => Place {
                root: format!(
                    "s3:{}/{bucket}",
                    endpoint.trim_end_matches('/').to_lowercase()
                ),
                folders: split(prefix),
            },
        })
    }

    /// The folders that lead from `outer` to this place, when this place is `outer` or
    /// lies inside it.
    pub fn within(&self, outer: &Place) -> Option<&[String]> {
        (self.root == outer.root && self.folders.starts_with(&outer.folders))
            .then(|| &self.folders[outer.folders.len()..])
    }

    /// The place in words, for messages.
    pub fn describe(&self) -> String {
        let path = self.folders.join("/");
        match self.root.strip_prefix("folder") {
            Some(_) if cfg!(windows) => path.replace('/', "\\"),
            Some(_) => format!("/{path}"),
            None => format!("{}/{path}", self.root),
        }
    }
}

/// A place to publish to and whose it is (`成员 教育局`, `门户`).
pub struct Claim {
    pub who: String,
    /// A member's slug; none for the portal.
    pub slug: Option<String>,
    pub place: Place,
}

/// Why these targets may not be published to, all at once: two members at one place or
/// one inside the other, or a member inside the portal's place anywhere but its own
/// folder of the portal (`portal/<slug>`), or the portal inside a member's.
pub fn clashes(claims: &[Claim]) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, a) in claims.iter().enumerate() {
        for b in &claims[i + 1..] {
            let (outer, inner) = if b.place.within(&a.place).is_some() {
                (a, b)
            } else if a.place.within(&b.place).is_some() {
                (b, a)
            } else {
                continue;
            };
            let rest = inner.place.within(&outer.place).unwrap_or_default();
            let fine = outer.slug.is_none()
                && inner
                    .slug
                    .as_deref()
                    .is_some_and(|s| rest.len() == 1 && rest[0] == s);
            if fine {
                continue;
            }
            problems.push(if rest.is_empty() {
                format!(
                    "{}和{}的发布目标是同一个位置 {}",
                    outer.who,
                    inner.who,
                    outer.place.describe()
                )
            } else {
                format!(
                    "{}的发布目标 {} 在{}的发布目标 {} 里面",
                    inner.who,
                    inner.place.describe(),
                    outer.who,
                    outer.place.describe()
                )
            });
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(who: &str, slug: Option<&str>, root: &str, folders: &str) -> Claim {
        Claim {
            who: who.into(),
            slug: slug.map(str::to_string),
            place: Place {
                root: root.into(),
                folders: folders.split('/').map(str::to_string).collect(),
            },
        }
    }

    #[test]
    fn members_need_places_of_their_own_and_inside_the_portal_only_their_folder() {
        let portal = claim("门户", None, "folder", "var/www/portal");
        let jy = claim(
            "成员 教育局",
            Some("教育局"),
            "folder",
            "var/www/portal/教育局",
        );
        assert!(clashes(&[portal, jy]).is_empty(), "the portal's own layout");
        let a = claim("成员 a", Some("a"), "s3:http://x/b", "qs");
        let b = claim("成员 b", Some("b"), "s3:http://x/b", "qs");
        let p = clashes(&[a, b]);
        assert_eq!(p, ["成员 a和成员 b的发布目标是同一个位置 s3:http://x/b/qs"]);
        let portal = claim("门户", None, "folder", "srv");
        let wrong = claim("成员 a", Some("a"), "folder", "srv/b");
        assert_eq!(clashes(&[portal, wrong]).len(), 1);
        let a = claim("成员 a", Some("a"), "folder", "srv/a");
        let b = claim("成员 b", Some("b"), "folder", "srv/a/b");
        assert_eq!(clashes(&[a, b]).len(), 1, "one member inside another");
        let a = claim("成员 a", Some("a"), "ssh://h:22", "srv/a");
        let b = claim("成员 b", Some("b"), "ssh://g:22", "srv/a");
        assert!(clashes(&[a, b]).is_empty(), "other hosts");
    }
}
