//! 依申请公开: what the page generated from `[application]` says, and the 申请表 with the
//! fields 《政府信息公开条例》第二十九条 requires, as data that both the printable page
//! and the PDF lay out. The procedure and fee texts are the 条例's own rules.

use serde::Serialize;

use crate::config::{ApplicationConfig, Config};

/// How an application can be made, as the page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Channel {
    pub name: &'static str,
    pub text: String,
    /// A link (online applications, e-mail) and its text.
    pub url: Option<String>,
    pub link_text: Option<String>,
}

/// The 依申请公开 page's facts, from `[application]` and the agency.
#[derive(Debug, Clone, Serialize)]
pub struct Application {
    /// 受理机构
    pub office: String,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub hours: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub email: Option<String>,
    pub online: Option<String>,
    pub channels: Vec<Channel>,
    /// The steps of the procedure (条例 第三十条、第三十一条、第三十三条).
    pub procedure: Vec<&'static str>,
    pub fees: String,
    /// `notes` of site.toml, as Markdown.
    pub notes: Option<String>,
}

/// The default fee rule: 《条例》第四十二条.
pub const FEES: &str = "依据《中华人民共和国政府信息公开条例》第四十二条，行政机关依申请提供政府信息，不收取费用。但是，申请人申请公开政府信息的数量、频次明显超过合理范围的，行政机关可以收取信息处理费，按《政府信息公开信息处理费管理办法》执行。";

/// The procedure as the 条例 sets it.
pub const PROCEDURE: &[&str] = &[
    "申请人采用包括信件、数据电文在内的书面形式提出申请；采用书面形式确有困难的，可以口头提出，由受理机构代为填写申请（《条例》第二十九条）。",
    "申请内容不明确的，受理机构自收到申请之日起 7 个工作日内一次性告知申请人作出补正，说明需要补正的事项和合理的补正期限（第三十条）。",
    "当面提交的，以提交之日为收到申请之日；邮寄提交的，以签收之日为收到申请之日；通过互联网渠道或者传真提交的，以双方确认之日为收到申请之日（第三十一条）。",
    "能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起 20 个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过 20 个工作日（第三十三条）。",
];

fn some(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl Application {
    /// The page's facts; `None` when site.toml has no `[application]`.
    pub fn of(config: &Config) -> Option<Application> {
        let a: &ApplicationConfig = config.application.as_ref()?;
        let office = some(&a.office).unwrap_or_else(|| config.agency.name.clone());
        let address = some(&a.address).or_else(|| some(&config.agency.address));
        let postcode = some(&a.postcode).or_else(|| some(&config.agency.postcode));
        let mut channels = Vec::new();
        if let Some(addr) = &address {
            let hours = some(&a.hours)
                .map(|h| format!("（{h}）"))
                .unwrap_or_default();
            channels.push(Channel {
                name: "当面申请",
                text: format!("到{office}（{addr}）填写申请表提出申请{hours}。"),
                url: None,
                link_text: None,
            });
        }
        if let Some(post) = some(&a.post).or_else(|| address.clone()) {
            let code = postcode
                .as_deref()
                .map(|p| format!("，邮编 {p}"))
                .unwrap_or_default();
            channels.push(Channel {
                name: "信函申请",
                text: format!("将填好的申请表寄至{post}{code}，收件人{office}。"),
                url: None,
                link_text: None,
            });
        }
        if let Some(email) = some(&a.email) {
            channels.push(Channel {
                name: "电子邮件申请",
                text: "将填好的申请表发送至本机关的电子邮箱：".to_string(),
                url: Some(format!("mailto:{email}")),
                link_text: Some(email.clone()),
            });
        }
        if let Some(fax) = some(&a.fax) {
            channels.push(Channel {
                name: "传真申请",
                text: format!("将填好的申请表传真至 {fax}。"),
                url: None,
                link_text: None,
            });
        }
        if let Some(online) = some(&a.online) {
            channels.push(Channel {
                name: "在线申请",
                text: "在网上填写并提交申请：".to_string(),
                url: Some(online.clone()),
                link_text: Some(online.clone()),
            });
        }
        Some(Application {
            office,
            address,
            postcode,
            hours: some(&a.hours),
            phone: some(&a.phone).or_else(|| some(&config.agency.phone)),
            fax: some(&a.fax),
            email: some(&a.email),
            online: some(&a.online),
            channels,
            procedure: PROCEDURE.to_vec(),
            fees: some(&a.fees).unwrap_or_else(|| FEES.to_string()),
            notes: some(&a.notes),
        })
    }
}

/// A field of the form.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub label: &'static str,
    /// Boxes to tick instead of a line to write on.
    pub choices: &'static [&'static str],
    /// Lines to leave for writing.
    pub lines: usize,
    /// Takes a whole row.
    pub wide: bool,
}

const fn f(label: &'static str) -> Field {
    Field {
        label,
        choices: &[],
        lines: 1,
        wide: false,
    }
}

const fn wide(label: &'static str, lines: usize) -> Field {
    Field {
        label,
        choices: &[],
        lines,
        wide: true,
    }
}

const fn choose(label: &'static str, choices: &'static [&'static str]) -> Field {
    Field {
        label,
        choices,
        lines: 1,
        wide: true,
    }
}

/// A part of the form: its title and its fields, two to a row unless wide.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub section: &'static str,
    pub title: &'static str,
    pub rows: Vec<Vec<Field>>,
}

/// The 申请表.
#[derive(Debug, Clone, Serialize)]
pub struct Form {
    pub title: String,
    pub office: String,
    pub groups: Vec<Group>,
    /// What the form is based on and what to send with it.
    pub notes: Vec<&'static str>,
}

const CITIZEN: &[Field] = &[
    f("姓名"),
    f("工作单位"),
    f("证件名称"),
    f("证件号码"),
    f("联系电话"),
    f("邮政编码"),
    wide("通信地址", 1),
    wide("电子邮箱", 1),
];

const ORGANISATION: &[Field] = &[
    f("名称"),
    f("统一社会信用代码"),
    f("法定代表人或者负责人"),
    f("联系人姓名"),
    f("联系人电话"),
    f("联系人电子邮箱"),
    wide("通信地址", 1),
];

const WANTED: &[Field] = &[
    wide("所需政府信息的名称", 2),
    wide("文号", 1),
    wide("便于查询的其他特征性描述", 3),
    choose("获取信息的方式", &["纸质文本", "电子文档"]),
    choose(
        "获取信息的途径",
        &["邮寄", "电子邮件", "传真", "自行领取", "当场阅读、抄录"],
    ),
];

/// Fields two to a row, a wide field alone.
fn rows(fields: &[Field]) -> Vec<Vec<Field>> {
    let mut out: Vec<Vec<Field>> = Vec::new();
    for field in fields {
        match out.last_mut() {
            Some(row) if !field.wide && row.len() == 1 && !row[0].wide => row.push(field.clone()),
            _ => out.push(vec![field.clone()]),
        }
    }
    out
}

impl Form {
    /// The form of the office that receives applications.
    pub fn new(office: &str) -> Form {
        Form {
            title: "政府信息公开申请表".to_string(),
            office: office.to_string(),
            groups: vec![
                Group {
                    section: "申请人信息",
                    title: "公民",
                    rows: rows(CITIZEN),
                },
                Group {
                    section: "申请人信息",
                    title: "法人或者其他组织",
                    rows: rows(ORGANISATION),
                },
                Group {
                    section: "所需政府信息情况",
                    title: "",
                    rows: rows(WANTED),
                },
            ],
            notes: vec![
                "本表依据《中华人民共和国政府信息公开条例》第二十九条制作。申请应当包括：申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述；申请公开的政府信息的形式要求，包括获取信息的方式、途径。",
                "公民请填写“公民”一栏，法人或者其他组织请填写“法人或者其他组织”一栏；请随表提交身份证明（公民为身份证件复印件，法人或者其他组织为营业执照等证明文件复印件）。",
            ],
        }
    }
}
