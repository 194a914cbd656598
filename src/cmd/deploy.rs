//! `gongkai deploy`: publishes the built output to a target of site.toml.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail};
use gongkai::config::DeployTarget;
use gongkai::deploy::{self, Current, DeployOptions};
use gongkai::ground::date::Date;
use gongkai::ground::diagnostics::Diagnostics;
use gongkai::group::config::Member;

use super::{Outcome, on_terminal};

#[derive(clap::Args)]
pub struct DeployArgs {
    /// 发布目标的名称；site.toml 中只有一个时可以不写
    name: Option<String>,
    /// 网站文件夹（含 site.toml）
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// 输出文件夹（默认 public/）
    #[arg(long)]
    out: Option<PathBuf>,
    /// 只列出将要上传和删除的文件，不做任何改动
    #[arg(long)]
    dry_run: bool,
    /// 删除以前由 gongkai 上传、而网站现在已经没有的文件
    #[arg(long)]
    delete: bool,
    /// 不只看目标上的清单，逐个核对目标上的文件（大小或校验值），缺少或不一致的重新上传
    #[arg(long)]
    verify: bool,
    /// 门户：发布这个成员的网站（用成员 site.toml 中的发布目标，只发送“成员代码/”下的文件）；可以写多次
    #[arg(long, value_name = "SLUG")]
    member: Vec<String>,
    /// 门户：每个声明了这个发布目标的成员都发布一次
    #[arg(long, requires = "name")]
    each_member: bool,
    /// 先构建（同 `gongkai build`），通过发布前检查后再发布；没有这个选项时，源文件在上次构建后有改动就不发布
    #[arg(long)]
    build: bool,
}

pub fn execute(args: DeployArgs) -> anyhow::Result<Outcome> {
    let out = args.out.clone().unwrap_or_else(|| args.root.join("public"));
    if args.build && !built(&args) {
        eprintln!("构建没有成功，没有发布任何文件。");
        return Ok(Outcome::Problems);
    }
    if gongkai::group::is_group(&args.root) {
        return group(&args, &out);
    }
    if !args.member.is_empty() || args.each_member {
        bail!(
            "--member 和 --each-member 只用于门户（含 group.toml 的文件夹），{} 是一个单独的网站",
            args.root.display()
        );
    }
    let mut diags = Diagnostics::new();
    let Some(config) = gongkai::config::Config::load(&args.root, &mut diags) else {
        return Err(problems(&diags));
    };
    let (name, target) = deploy::choose(&config, args.name.as_deref())?;
    let now = Current {
        sources: gongkai::output::fingerprint::site_sources(&args.root),
        keep: &|_| true,
        today: Date::today(),
    };
    publish(&args, (&name, target), (&args.root, &out), None, now)?;
    Ok(Outcome::Success)
}

/// `deploy --build`: builds the site or group as `gongkai build` does (today's day, into
/// the output deploy then publishes) and says whether it succeeded.
fn built(args: &DeployArgs) -> bool {
    let build = super::build::BuildArgs::for_deploy(args.root.clone(), args.out.clone());
    matches!(super::build::build(build), Ok(Outcome::Success))
}

fn problems(diags: &Diagnostics) -> anyhow::Error {
    let text: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    anyhow!(text.join("\n"))
}

/// `deploy` on a portal group: the whole portal to a target of group.toml, or members to
/// their own targets. Every target involved is compared with the others first: no two
/// members, nor a member and the portal, may publish to one place.
fn group(args: &DeployArgs, out: &Path) -> anyhow::Result<Outcome> {
    let mut diags = Diagnostics::new();
    let Some(g) = gongkai::group::Group::load(&args.root, &mut diags) else {
        return Err(problems(&diags));
    };
    if diags.has_errors() {
        return Err(problems(&diags));
    }
    for slug in &args.member {
        if !g.members.iter().any(|m| m.slug == *slug) {
            let known: Vec<&str> = g.members.iter().map(|m| m.slug.as_str()).collect();
            bail!(
                "group.toml 中没有成员 `{slug}`。成员有：{}。",
                known.join("、")
            );
        }
    }
    let wanted = |m: &Member| args.each_member || args.member.contains(&m.slug);
    let mut configs = Vec::new();
    for m in &g.members {
        let mc = gongkai::group::config::member_config(&g, m, &Default::default());
        match mc.config {
            Some(c) => configs.push((m, c)),
            None if wanted(m) => return Err(problems(&mc.member)),
            // Its deploy is not asked for; a build has said what is wrong with it.
            None => {}
        }
    }
    let portal = args.member.is_empty() && !args.each_member;
    let name = match (&args.name, portal) {
        (Some(n), _) => n.clone(),
        (None, true) => deploy::choose_from(&g.config.deploy, None, "group.toml")?.0,
        (None, false) => {
            let (m, c) = configs
                .iter()
                .find(|(m, _)| wanted(m))
                .ok_or_else(|| anyhow!("没有要发布的成员"))?;
            deploy::choose_from(&c.deploy, None, &format!("{}/site.toml", m.rel))?.0
        }
    };
    refuse_shared_places(&g, &configs, &name)?;
    let now = gongkai::group::sources(&g);
    if portal {
        let (name, target) = deploy::choose_from(&g.config.deploy, Some(&name), "group.toml")?;
        tell_not_updated(out);
        let now = Current {
            sources: now,
            keep: &|_| true,
            today: Date::today(),
        };
        publish(args, (&name, target), (&args.root, out), None, now)?;
        return Ok(Outcome::Success);
    }
    let (mut sent, mut refused) = (0, Vec::new());
    for (m, config) in configs.iter().filter(|(m, _)| wanted(m)) {
        let Some(target) = config.deploy.get(&name) else {
            if args.each_member {
                continue;
            }
            deploy::choose_from(&config.deploy, Some(&name), &format!("{}/site.toml", m.rel))?;
            continue;
        };
        // A member is judged by its own folder and the group's files, not another member's.
        let own = format!("{}/", m.rel);
        let others: Vec<String> = g
            .members
            .iter()
            .filter(|x| x.slug != m.slug)
            .map(|x| format!("{}/", x.rel))
            .collect();
        let keep = |p: &str| p.starts_with(&own) || !others.iter().any(|o| p.starts_with(o));
        let place = deploy::place::Place::of(&name, target, &m.dir)?;
        eprintln!(
            "成员 {}（{}）→ {}：",
            config.agency.name,
            m.slug,
            place.describe()
        );
        let current = Current {
            sources: now.clone(),
            keep: &keep,
            today: Date::today(),
        };
        match publish(
            args,
            (&name, target),
            (&m.dir, out),
            Some(m.slug.clone()),
            current,
        ) {
            Ok(()) => sent += 1,
            // One member's refusal or failure does not stop the others.
            Err(e) if args.each_member || args.member.len() > 1 => {
                eprintln!("  没有发布：{}", gongkai::ground::fs::error_text(&e));
                refused.push(m.slug.clone());
            }
            Err(e) => return Err(e),
        }
    }
    if sent == 0 && refused.is_empty() {
        bail!("没有一个成员在 site.toml 中声明了发布目标 [deploy.{name}]");
    }
    if refused.is_empty() {
        return Ok(Outcome::Success);
    }
    eprintln!(
        "{} 个成员已发布，{} 个成员没有发布：{}。",
        sent,
        refused.len(),
        refused.join("、")
    );
    Ok(if sent > 0 {
        Outcome::Partly
    } else {
        Outcome::Problems
    })
}

/// Refuses, before anything is sent, targets `name` of which two members (or a member
/// and the portal) resolve to one place, or one inside the other anywhere but a member's
/// own folder of the portal.
fn refuse_shared_places(
    g: &gongkai::group::Group,
    configs: &[(&Member, gongkai::config::Config)],
    name: &str,
) -> anyhow::Result<()> {
    use deploy::place::{Claim, Place, clashes};
    let mut claims = Vec::new();
    if let Some(t) = g.config.deploy.get(name) {
        claims.push(Claim {
            who: "门户（group.toml）".into(),
            slug: None,
            place: Place::of(name, t, &g.root)?,
        });
    }
    for (m, c) in configs {
        if let Some(t) = c.deploy.get(name) {
            claims.push(Claim {
                who: format!("成员 {}（{}）", c.agency.name, m.slug),
                slug: Some(m.slug.clone()),
                place: Place::of(name, t, &m.dir)?,
            });
        }
    }
    let problems = clashes(&claims);
    if problems.is_empty() {
        return Ok(());
    }
    bail!(
        "发布目标 [deploy.{name}] 有冲突，没有发送任何文件：\n  {}\n每个成员要发布到自己的位置，否则后发布的成员会覆盖先发布的（加 --delete 还会删掉对方的文件）。group.toml 的 [site.deploy.{name}] 由成员继承时，path（对象存储是 prefix）里写 {{slug}} 代表成员代码，例如 path = \"/var/www/portal/{{slug}}\"；不写时自动在末尾加上成员代码。成员 site.toml 里自己写的 path 要各不相同。",
        problems.join("\n  ")
    )
}

/// Says which members the build in `out` did not update (`build --keep-going`): the
/// portal's deploy publishes their last output, or leaves their files on the target.
fn tell_not_updated(out: &Path) {
    let Some(record) = gongkai::output::record::Record::load(out) else {
        return;
    };
    for n in &record.not_updated {
        eprintln!(
            "注意：成员 {}（{}）这次构建没有更新，{}。",
            n.name,
            n.slug,
            match n.kept_from {
                Some(d) => format!("发布的是它 {} 构建的网站", d.ymd()),
                None => "目标上它原有的文件保留不删".into(),
            }
        );
    }
}

/// Publishes `out` (or its folder `under`) to one target and prints what happened.
fn publish(
    args: &DeployArgs,
    (name, target): (&str, &DeployTarget),
    (root, out): (&Path, &Path),
    under: Option<String>,
    now: Current,
) -> anyhow::Result<()> {
    let mut t = deploy::open(name, target, root, out)?;
    let show = on_terminal() && !args.dry_run;
    let progress = |n: usize, total: usize| {
        if show {
            eprint!("\r上传 {n}/{total}");
            if n == total {
                eprintln!();
            }
            let _ = std::io::stderr().flush();
        }
    };
    let opts = DeployOptions {
        out: out.to_path_buf(),
        dry_run: args.dry_run,
        delete: args.delete,
        verify: args.verify,
        progress: &progress,
        under,
        now,
    };
    let p = deploy::run(t.as_mut(), &opts)?;
    if args.delete && !p.had_manifest {
        eprintln!(
            "目标上没有以前发布留下的清单，--delete 没有删除任何文件：它只删除 gongkai 以前上传、而网站现在已经没有的文件。"
        );
    }
    let mut reasons: Vec<(&str, usize)> = Vec::new();
    for k in &p.kept {
        match reasons.iter_mut().find(|(w, _)| *w == k.why) {
            Some((_, n)) => *n += 1,
            None => reasons.push((&k.why, 1)),
        }
    }
    for (why, n) in reasons {
        eprintln!(
            "目标上有 {n} 个文件这次构建没有，保留不删（{why}）。能生成它们的构建发布后，它们会恢复为网站的一部分。"
        );
    }
    if args.verify && (p.missing > 0 || p.differing > 0) {
        eprintln!(
            "核对：清单中有 {} 个文件在目标上不见了，{} 个文件与清单不一致，{}重新上传。",
            p.missing,
            p.differing,
            if args.dry_run { "将" } else { "已" }
        );
    } else if args.verify {
        eprintln!("核对：目标上的文件与清单一致。");
    }
    if args.dry_run {
        for f in &p.upload {
            eprintln!("  上传 {f}");
        }
        for f in &p.delete {
            eprintln!("  删除 {f}");
        }
    }
    let verb = if args.dry_run { "将要" } else { "已" };
    eprintln!(
        "{}发布到 {name}：{verb}上传 {} 个文件（{}），{verb}删除 {} 个文件，{} 个文件没有变化{}。",
        if args.dry_run {
            "试运行，没有做任何改动。"
        } else {
            ""
        },
        p.upload.len(),
        gongkai::model::content::size_text(p.upload_bytes),
        p.delete.len(),
        p.unchanged,
        if p.had_manifest {
            ""
        } else {
            "（目标上还没有清单，按目标上现有的文件比较）"
        }
    );
    Ok(())
}
