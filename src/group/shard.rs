//! Splitting a group's members over several machines (`build --shard K/N`): a
//! deterministic slice balanced by size, the same on every machine that has the same
//! files, so that CI runners need no scheduler to agree on who builds what.

use super::config::{Group, Member};

/// What a yearly report costs against one page (its PDF, tables and data files).
pub const REPORT_WEIGHT: u64 = 40;

/// `K/N` with 1 ≤ K ≤ N.
pub fn parse(spec: &str) -> Result<(usize, usize), String> {
    let bad = || format!("--shard 要写成 K/N（第 K 片，共 N 片，例如 1/4），而不是 `{spec}`");
    let (k, n) = spec.split_once('/').ok_or_else(bad)?;
    let (k, n): (usize, usize) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if n == 0 || k == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

/// A member's size: its Markdown items, and its reports at [`REPORT_WEIGHT`] each. Counts
/// of files, not their times or bytes, so every checkout of the same commit agrees.
pub fn weight(m: &Member) -> u64 {
    let content = m.dir.join("content");
    walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e.file_name().to_string_lossy().to_ascii_lowercase();
            let in_reports = e.path().starts_with(content.join("reports"));
            if name.ends_with(".md") || name.ends_with(".markdown") {
                1
            } else if in_reports && (name.ends_with(".yaml") || name.ends_with(".yml")) {
                REPORT_WEIGHT
            } else {
                0
            }
        })
        .sum::<u64>()
        + 1
}

/// The shard (0-based) of each of `weights`: the heaviest first, each onto the lightest
/// shard so far (ties: the lower shard; equal weights: the order given).
pub fn assign(weights: &[u64], n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|a, b| weights[*b].cmp(&weights[*a]).then(a.cmp(b)));
    let mut load = vec![0u64; n.max(1)];
    let mut out = vec![0; weights.len()];
    for i in order {
        let (s, _) = load
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(&b.0)))
            .unwrap_or((0, &0));
        load[s] += weights[i];
        out[i] = s;
    }
    out
}

/// The members of shard `k` of `n` (1-based), in the order of group.toml.
pub fn slice(group: &Group, k: usize, n: usize) -> Vec<Member> {
    let weights: Vec<u64> = group.members.iter().map(weight).collect();
    let shards = assign(&weights, n);
    group
        .members
        .iter()
        .zip(shards)
        .filter(|(_, s)| *s + 1 == k)
        .map(|(m, _)| m.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_are_k_of_n() {
        assert_eq!(parse("2/4"), Ok((2, 4)));
        assert!(parse("0/4").is_err());
        assert!(parse("5/4").is_err());
        assert!(parse("4").is_err());
    }

    #[test]
    fn the_heaviest_go_first_onto_the_lightest_shard() {
        let shards = assign(&[100, 10, 60, 50, 10], 2);
        assert_eq!(shards, [0, 0, 1, 1, 0]);
        let load = |s: usize| -> u64 {
            [100, 10, 60, 50, 10]
                .iter()
                .zip(&shards)
                .filter(|(_, x)| **x == s)
                .map(|(w, _)| *w)
                .sum()
        };
        assert_eq!((load(0), load(1)), (120, 110));
        assert_eq!(assign(&[5, 5, 5], 4), [0, 1, 2], "more shards than members");
    }
}
