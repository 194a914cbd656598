//! The default category tree `gongkai init` writes: the 法定主动公开内容 of
//! 《中华人民共和国政府信息公开条例》第二十条, items （一）to （十五） in the article's own
//! wording, with the sub-columns portals commonly open under them. An agency edits the
//! tree in its site.toml; nothing here is applied to a site that does not declare it.

use std::fmt::Write as _;

/// One category of the default tree.
pub struct DefaultCategory {
    pub code: &'static str,
    pub name: &'static str,
    pub slug: &'static str,
    pub parent: Option<&'static str>,
    pub description: &'static str,
    /// Items here are 规范性文件 (each should have a 解读).
    pub normative: bool,
}

const fn top(
    code: &'static str,
    name: &'static str,
    slug: &'static str,
    description: &'static str,
) -> DefaultCategory {
    DefaultCategory {
        code,
        name,
        slug,
        parent: None,
        description,
        normative: false,
    }
}

const fn sub(
    parent: &'static str,
    code: &'static str,
    name: &'static str,
    slug: &'static str,
) -> DefaultCategory {
    DefaultCategory {
        code,
        name,
        slug,
        parent: Some(parent),
        description: "",
        normative: false,
    }
}

/// The tree, in the order the column shows it.
pub const DEFAULT_TREE: &[DefaultCategory] = &[
    top(
        "01",
        "政策文件",
        "zcwj",
        "第二十条（一）：行政法规、规章和规范性文件",
    ),
    sub("01", "0101", "规章", "gz"),
    DefaultCategory {
        normative: true,
        ..sub("01", "0102", "行政规范性文件", "gfxwj")
    },
    sub("01", "0103", "其他文件", "qtwj"),
    top(
        "16",
        "政策解读",
        "zcjd",
        "对本机关政策文件的解读，与文件同步起草、同步审签、同步发布",
    ),
    top(
        "02",
        "机构职能",
        "jgzn",
        "第二十条（二）：机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    ),
    sub("02", "0201", "机关职能", "jgzz"),
    sub("02", "0202", "机构设置", "jgsz"),
    sub("02", "0203", "负责人信息", "fzrxx"),
    sub("02", "0204", "办公地址和联系方式", "lxfs"),
    top(
        "03",
        "规划计划",
        "ghjh",
        "第二十条（三）：国民经济和社会发展规划、专项规划、区域规划及相关政策",
    ),
    top(
        "04",
        "统计信息",
        "tjxx",
        "第二十条（四）：国民经济和社会发展统计信息",
    ),
    top(
        "05",
        "行政许可和对外管理服务",
        "xzxk",
        "第二十条（五）：办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    ),
    top(
        "06",
        "行政处罚和行政强制",
        "xzcf",
        "第二十条（六）：实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    ),
    top(
        "07",
        "财政预决算",
        "czyjs",
        "第二十条（七）：财政预算、决算信息",
    ),
    sub("07", "0701", "部门预算", "bmys"),
    sub("07", "0702", "部门决算", "bmjs"),
    top(
        "08",
        "行政事业性收费",
        "xzsyxsf",
        "第二十条（八）：行政事业性收费项目及其依据、标准",
    ),
    top(
        "09",
        "政府集中采购",
        "zfcg",
        "第二十条（九）：政府集中采购项目的目录、标准及实施情况",
    ),
    top(
        "10",
        "重大建设项目",
        "zdjsxm",
        "第二十条（十）：重大建设项目的批准和实施情况",
    ),
    top(
        "11",
        "民生保障",
        "msbz",
        "第二十条（十一）：扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    ),
    top(
        "12",
        "应急管理",
        "yjgl",
        "第二十条（十二）：突发公共事件的应急预案、预警信息及应对情况",
    ),
    top(
        "13",
        "监督检查",
        "jdjc",
        "第二十条（十三）：环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    ),
    top(
        "14",
        "公务员招考",
        "gwyzk",
        "第二十条（十四）：公务员招考的职位、名额、报考条件等事项以及录用结果",
    ),
    top(
        "15",
        "其他法定公开信息",
        "qtfdgk",
        "第二十条（十五）：法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
    ),
];

/// The national pattern of 索引号: the agency's 组织机构代码 (前段码), then the year and a
/// five-digit number (后段码).
pub const DEFAULT_INDEX_PATTERN: &str = "{组织机构代码}/{YYYY}-{NNNNN}";

/// The `[catalogue]` block of a new site.toml, with the default tree.
pub fn site_toml_block() -> String {
    let mut s = String::from(
        "\n# 政府信息公开目录。分类树按《政府信息公开条例》第二十条的法定主动公开内容预设，\n\
         # 可以增删改名；每条公开信息用 category 写它所属分类的名称或代码。说明见 docs/catalogue.md。\n\
         [catalogue]\n\
         org_code = \"\"                 # 组织机构代码（索引号的前段码），上线前填写\n",
    );
    let _ = writeln!(
        s,
        "index_pattern = \"{DEFAULT_INDEX_PATTERN}\"   # 索引号格式"
    );
    for c in DEFAULT_TREE {
        let _ = write!(
            s,
            "\n[[catalogue.categories]]\ncode = \"{}\"\nname = \"{}\"\nslug = \"{}\"\n",
            c.code, c.name, c.slug
        );
        if let Some(p) = c.parent {
            let _ = writeln!(s, "parent = \"{p}\"");
        }
        if !c.description.is_empty() {
            let _ = writeln!(s, "description = \"{}\"", c.description);
        }
        if c.normative {
            let _ = writeln!(
                s,
                "normative = true              # 此分类的文件是规范性文件"
            );
        }
    }
    s
}

/// The `[application]` block of a new site.toml (依申请公开), to fill in.
/// `agency` is written as given: a TOML string, quoted and escaped by the caller.
pub fn application_block(agency: &str) -> String {
    format!(
        "\n# 依申请公开：生成“依申请公开”页面和可打印的申请表。未填写的项目不显示。\n\
         [application]\n\
         office = {agency}   # 受理机构\n\
         address = \"\"                  # 地址（当面和信函申请）\n\
         postcode = \"\"\n\
         hours = \"\"                    # 办公时间\n\
         phone = \"\"                    # 咨询电话\n\
         email = \"\"                    # 电子邮箱\n\
         # fax = \"\"                    # 传真\n\
         # online = \"https://…\"        # 在线申请网址\n"
    )
}
