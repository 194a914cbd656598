//! 互动交流 as 国办秘函〔2019〕19号 judges it (单项否决 互动回应差): the site offers an
//! online channel for 咨询建言, and no 留言 waits more than 3 months for its 答复.

use super::{Ctx, days};
use crate::config::CONFIG_FILE;

pub fn check(ctx: &mut Ctx) {
    channel(ctx);
    overdue(ctx);
}

fn channel(ctx: &mut Ctx) {
    let site = ctx.site;
    if !site.config.interaction.channels.is_empty() {
        return;
    }
    ctx.report(
        "interaction.channel",
        CONFIG_FILE,
        site.config.source.pos_alt(&[&["interaction", "互动交流"]]),
        "网站没有任何咨询建言渠道（互动交流）".into(),
        "在 site.toml 中加上 [interaction]，用 [[interaction.channels]] 写明本机关在统一互动交流平台上的信箱、留言或征集调查的名称和网址（name、url），它们会显示在导航和页脚。".into(),
    );
}

fn overdue(ctx: &mut Ctx) {
    let site = ctx.site;
    let months = site.config.compliance.interaction.reply_months;
    let cutoff = days::number(days::months_before(ctx.as_of, months));
    for m in site.messages.iter().filter(|m| !m.answered()) {
        if days::number(m.front.received) >= cutoff {
            continue;
        }
        let waited = days::number(ctx.as_of) - days::number(m.front.received);
        ctx.report(
            "interaction.overdue",
            &m.file,
            m.received_pos,
            format!(
                "留言“{}”{} 收到，到 {} 已 {waited} 天没有答复（检查指标：超过 {months} 个月未回应留言）",
                m.front.title,
                m.front.received.ymd(),
                ctx.as_of.ymd()
            ),
            "办理并答复：在前置信息中写上答复日期，在 --- 下面写答复内容。".into(),
        );
    }
}
