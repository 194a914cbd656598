//! The national template of the yearly report on government information disclosure,
//! 《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）: every
//! section, table, row and column label as printed, and every 勾稽关系 rule.
//!
//! This is the one place the template lives. Keys are what editors write in YAML; the
//! official labels (and a few published variants) are accepted as aliases.

use super::schema::*;

pub static NATIONAL_2021: ReportType = ReportType {
    id: "national-2021",
    aliases: &["2021", "国办公开办函〔2021〕30号"],
    name: "政府信息公开工作年度报告",
    basis: "国办公开办函〔2021〕30号",
    document: "《中华人民共和国政府信息公开工作年度报告格式》",
    years: (2021, 9999),
    sections: &[
        SectionDef {
            key: "overview",
            title: "一、总体情况",
            aliases: &["总体情况"],
            content: SectionContent::Text,
            hint: "主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障，各用一个“### （一）……”小标题",
        },
        SectionDef {
            key: "active_disclosure",
            title: "二、主动公开政府信息情况",
            aliases: &["主动公开政府信息情况"],
            content: SectionContent::Table(&TABLE_2),
            hint: "表二",
        },
        SectionDef {
            key: "applications",
            title: "三、收到和处理政府信息公开申请情况",
            aliases: &["收到和处理政府信息公开申请情况"],
            content: SectionContent::Table(&TABLE_3),
            hint: "表三",
        },
        SectionDef {
            key: "review_litigation",
            title: "四、政府信息公开行政复议、行政诉讼情况",
            aliases: &[
                "政府信息公开行政复议、行政诉讼情况",
                "行政复议、行政诉讼",
                "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
                "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
                "因政府信息公开申请行政复议、提起行政诉讼的情况",
            ],
            content: SectionContent::Table(&TABLE_4),
            hint: "表四",
        },
        SectionDef {
            key: "problems",
            title: "五、存在的主要问题及改进情况",
            aliases: &[
                "存在的主要问题及改进情况",
                "政府信息公开工作存在的主要问题及改进情况",
                "存在问题及改进情况",
            ],
            content: SectionContent::Text,
            hint: "本年度存在的问题、改进措施，以及上一年度问题的整改情况",
        },
        SectionDef {
            key: "other",
            title: "六、其他需要报告的事项",
            aliases: &["其他需要报告的事项"],
            content: SectionContent::Text,
            hint: "信息处理费收取情况（没有收取也要写明），以及本省要求报告的其他事项",
        },
    ],
    key_figures: FIGURES,
    rules: RULES,
};

/// The rules of tables 3 and 4, and across years: the same in the 2019 format.
pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "T3-A",
        table: "applications",
        kind: RuleKind::Balance {
            lhs: &["new_received", "carried_over"],
            rhs: &["total_processed", "carried_forward"],
        },
        text: "第一项加第二项之和，等于第三项加第四项之和",
    },
    Rule {
        id: "T3-B",
        table: "applications",
        kind: RuleKind::RowSum {
            total: "total_processed",
            parts: &[
                "granted",
                "partial",
                "denied",
                "unable",
                "not_processed",
                "other_handling",
            ],
        },
        text: "（七）总计等于（一）至（六）各项之和",
    },
    Rule {
        id: "T3-C",
        table: "applications",
        kind: RuleKind::ColSum {
            rows: &[],
            total: "total",
            parts: &[
                "natural_person",
                "commercial",
                "research",
                "public_interest",
                "legal_services",
                "other_org",
            ],
        },
        text: "总计等于自然人与法人或其他组织各列之和",
    },
    Rule {
        id: "T4-A",
        table: "review_litigation",
        kind: RuleKind::ColSum {
            rows: &["review"],
            total: "total",
            parts: &["upheld", "corrected", "other", "pending"],
        },
        text: "行政复议总计等于结果维持、结果纠正、其他结果、尚未审结之和",
    },
    Rule {
        id: "T4-B",
        table: "review_litigation",
        kind: RuleKind::ColSum {
            rows: &["litigation_direct"],
            total: "total",
            parts: &["upheld", "corrected", "other", "pending"],
        },
        text: "未经复议直接起诉总计等于结果维持、结果纠正、其他结果、尚未审结之和",
    },
    Rule {
        id: "T4-C",
        table: "review_litigation",
        kind: RuleKind::ColSum {
            rows: &["litigation_after_review"],
            total: "total",
            parts: &["upheld", "corrected", "other", "pending"],
        },
        text: "复议后起诉总计等于结果维持、结果纠正、其他结果、尚未审结之和",
    },
    Rule {
        id: "CROSS-YEAR",
        table: "applications",
        kind: RuleKind::CrossYear {
            this: "carried_over",
            prev: "carried_forward",
        },
        text: "本年“上年结转”等于上一年度“结转下年度继续办理”",
    },
];

/// The figures compared across years; the fee (last) is the only one the 2019 format
/// does not have.
const FIGURES: &[KeyFigure] = &[
    fig(
        "new_received",
        "本年新收申请",
        "applications",
        &["new_received"],
        "total",
        true,
    ),
    fig(
        "carried_over",
        "上年结转",
        "applications",
        &["carried_over"],
        "total",
        false,
    ),
    fig(
        "granted",
        "予以公开",
        "applications",
        &["granted"],
        "total",
        false,
    ),
    fig(
        "partial",
        "部分公开",
        "applications",
        &["partial"],
        "total",
        false,
    ),
    fig(
        "denied",
        "不予公开",
        "applications",
        &["denied"],
        "total",
        false,
    ),
    fig(
        "unable",
        "无法提供",
        "applications",
        &["unable"],
        "total",
        false,
    ),
    fig(
        "not_processed",
        "不予处理",
        "applications",
        &["not_processed"],
        "total",
        false,
    ),
    fig(
        "other_handling",
        "其他处理",
        "applications",
        &["other_handling"],
        "total",
        false,
    ),
    fig(
        "total_processed",
        "办理结果总计",
        "applications",
        &["total_processed"],
        "total",
        true,
    ),
    fig(
        "carried_forward",
        "结转下年度",
        "applications",
        &["carried_forward"],
        "total",
        false,
    ),
    fig(
        "review",
        "行政复议",
        "review_litigation",
        &["review"],
        "total",
        true,
    ),
    fig(
        "litigation",
        "行政诉讼",
        "review_litigation",
        &["litigation_direct", "litigation_after_review"],
        "total",
        true,
    ),
    fig(
        "fees",
        "行政事业性收费（万元）",
        "active_disclosure",
        &["fees"],
        "amount",
        true,
    ),
];
pub(super) const SHARED_FIGURES: &[KeyFigure] = FIGURES.split_at(FIGURES.len() - 1).0;

pub(super) const fn fig(
    key: &'static str,
    label: &'static str,
    table: &'static str,
    rows: &'static [&'static str],
    col: &'static str,
    chart: bool,
) -> KeyFigure {
    KeyFigure {
        key,
        label,
        table,
        rows,
        col,
        chart,
    }
}

pub(super) const fn count(
    key: &'static str,
    label: &'static str,
    aliases: &'static [&'static str],
) -> Col {
    Col {
        key,
        label,
        aliases,
        kind: CellKind::Count,
    }
}

pub(super) const fn row(key: &'static str, label: &'static str) -> RowDef {
    RowDef::Row {
        key,
        label,
        aliases: &[],
    }
}

const DOC_COLS: &[Col] = &[
    count("issued", "本年制发件数", &["本年新制发件数"]),
    count("repealed", "本年废止件数", &[]),
    count(
        "in_force",
        "现行有效件数",
        &["现行有效件数（历史累计）", "现行有效件"],
    ),
];
const DECISION_COLS: &[Col] = &[count("decisions", "本年处理决定数量", &[])];

pub static TABLE_2: TableDef = TableDef {
    name: "表二",
    caption: "主动公开政府信息情况",
    label_cols: 1,
    layout: Layout::Rows,
    blocks: &[
        Block {
            band: Some("第二十条第（一）项"),
            header: &[&[
                h("信息内容"),
                h("本年制发件数"),
                h("本年废止件数"),
                h("现行有效件数"),
            ]],
            columns: DOC_COLS,
            rows: &[
                row("regulations", "规章"),
                row("normative_documents", "行政规范性文件"),
            ],
        },
        Block {
            band: Some("第二十条第（五）项"),
            header: &[&[h("信息内容"), hs("本年处理决定数量", 1, 3)]],
            columns: DECISION_COLS,
            rows: &[row("licensing", "行政许可")],
        },
        Block {
            band: Some("第二十条第（六）项"),
            header: &[&[h("信息内容"), hs("本年处理决定数量", 1, 3)]],
            columns: DECISION_COLS,
            rows: &[
                row("punishment", "行政处罚"),
                row("enforcement", "行政强制"),
            ],
        },
        Block {
            band: Some("第二十条第（八）项"),
            header: &[&[h("信息内容"), hs("本年收费金额（单位：万元）", 1, 3)]],
            columns: &[Col {
                key: "amount",
                label: "本年收费金额（单位：万元）",
                aliases: &["本年收费金额"],
                kind: CellKind::Amount,
            }],
            rows: &[row("fees", "行政事业性收费")],
        },
    ],
};

pub static TABLE_3: TableDef = TableDef {
    name: "表三",
    caption: "收到和处理政府信息公开申请情况",
    label_cols: 3,
    layout: Layout::Rows,
    blocks: &[Block {
        band: None,
        header: T3_HEADER,
        columns: T3_COLUMNS,
        rows: &[
            T3_NEW_RECEIVED,
            T3_CARRIED_OVER,
            RowDef::Group {
                key: "results",
                label: "三、本年度办理结果",
                aliases: &[],
                children: &[
                    T3_GRANTED,
                    T3_PARTIAL,
                    T3_DENIED,
                    T3_UNABLE,
                    T3_NOT_PROCESSED,
                    RowDef::Group {
                        key: "other_handling",
                        label: "（六）其他处理",
                        aliases: &[],
                        children: &[
                            row(
                                "no_correction",
                                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                            ),
                            row(
                                "unpaid_fees",
                                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                            ),
                            row("other", "3.其他"),
                        ],
                    },
                    T3_TOTAL_PROCESSED,
                ],
            },
            T3_CARRIED_FORWARD,
        ],
    }],
};

// Table 3 as both formats print it, but for （六）其他处理 (three rows here, one in 2019).
pub(super) const T3_HEADER: &[&[Head]] = &[
    &[
        hs(
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            3,
            3,
        ),
        hs("申请人情况", 1, 7),
    ],
    &[
        hs("自然人", 2, 1),
        hs("法人或其他组织", 1, 5),
        hs("总计", 2, 1),
    ],
    &[
        h("商业企业"),
        h("科研机构"),
        h("社会公益组织"),
        h("法律服务机构"),
        h("其他"),
    ],
];
pub(super) const T3_COLUMNS: &[Col] = &[
    count("natural_person", "自然人", &[]),
    count("commercial", "商业企业", &[]),
    count("research", "科研机构", &[]),
    count("public_interest", "社会公益组织", &[]),
    count("legal_services", "法律服务机构", &[]),
    count("other_org", "其他", &["其他组织"]),
    count("total", "总计", &[]),
];
pub(super) const T3_NEW_RECEIVED: RowDef = row("new_received", "一、本年新收政府信息公开申请数量");
pub(super) const T3_CARRIED_OVER: RowDef = row("carried_over", "二、上年结转政府信息公开申请数量");
pub(super) const T3_GRANTED: RowDef = row("granted", "（一）予以公开");
pub(super) const T3_PARTIAL: RowDef = RowDef::Row {
    key: "partial",
    label: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    aliases: &["部分公开"],
};
pub(super) const T3_DENIED: RowDef = RowDef::Group {
    key: "denied",
    label: "（三）不予公开",
    aliases: &[],
    children: &[
        row("state_secret", "1.属于国家秘密"),
        row("prohibited_by_law", "2.其他法律行政法规禁止公开"),
        row("three_safeties", "3.危及“三安全一稳定”"),
        row("third_party", "4.保护第三方合法权益"),
        row("internal_affairs", "5.属于三类内部事务信息"),
        row("process_info", "6.属于四类过程性信息"),
        row("enforcement_files", "7.属于行政执法案卷"),
        row("query_matters", "8.属于行政查询事项"),
    ],
};
pub(super) const T3_UNABLE: RowDef = RowDef::Group {
    key: "unable",
    label: "（四）无法提供",
    aliases: &[],
    children: &[
        row("not_held", "1.本机关不掌握相关政府信息"),
        row("needs_creation", "2.没有现成信息需要另行制作"),
        row("unclear", "3.补正后申请内容仍不明确"),
    ],
};
pub(super) const T3_NOT_PROCESSED: RowDef = RowDef::Group {
    key: "not_processed",
    label: "（五）不予处理",
    aliases: &[],
    children: &[
        row("complaints", "1.信访举报投诉类申请"),
        row("repeated", "2.重复申请"),
        row("publications", "3.要求提供公开出版物"),
        row("excessive", "4.无正当理由大量反复申请"),
        row("confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    ],
};
pub(super) const T3_TOTAL_PROCESSED: RowDef = row("total_processed", "（七）总计");
pub(super) const T3_CARRIED_FORWARD: RowDef = row("carried_forward", "四、结转下年度继续办理");

pub(super) const OUTCOME_COLS: &[Col] = &[
    count("upheld", "结果维持", &[]),
    count("corrected", "结果纠正", &[]),
    count("other", "其他结果", &[]),
    count("pending", "尚未审结", &[]),
    count("total", "总计", &[]),
];

pub static TABLE_4: TableDef = TableDef {
    name: "表四",
    caption: "政府信息公开行政复议、行政诉讼情况",
    label_cols: 0,
    layout: Layout::OneRow,
    blocks: &[Block {
        band: None,
        header: &[
            &[hs("行政复议", 1, 5), hs("行政诉讼", 1, 10)],
            &[
                hs("结果维持", 2, 1),
                hs("结果纠正", 2, 1),
                hs("其他结果", 2, 1),
                hs("尚未审结", 2, 1),
                hs("总计", 2, 1),
                hs("未经复议直接起诉", 1, 5),
                hs("复议后起诉", 1, 5),
            ],
            &[
                h("结果维持"),
                h("结果纠正"),
                h("其他结果"),
                h("尚未审结"),
                h("总计"),
                h("结果维持"),
                h("结果纠正"),
                h("其他结果"),
                h("尚未审结"),
                h("总计"),
            ],
        ],
        columns: OUTCOME_COLS,
        rows: &[
            RowDef::Row {
                key: "review",
                label: "行政复议",
                aliases: &[],
            },
            RowDef::Row {
                key: "litigation_direct",
                label: "未经复议直接起诉",
                aliases: &["行政诉讼未经复议直接起诉"],
            },
            RowDef::Row {
                key: "litigation_after_review",
                label: "复议后起诉",
                aliases: &["行政诉讼复议后起诉"],
            },
        ],
    }],
};

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(rows: &[RowDef]) -> usize {
        rows.iter()
            .map(|r| match r {
                RowDef::Row { .. } => 1,
                RowDef::Group { children, .. } => leaves(children),
            })
            .sum()
    }

    #[test]
    fn table_3_has_the_25_data_rows_of_the_template() {
        assert_eq!(leaves(TABLE_3.blocks[0].rows), 25);
        assert_eq!(TABLE_3.blocks[0].columns.len(), 7);
    }

    #[test]
    fn header_rows_fill_the_table_width() {
        for t in [&TABLE_2, &TABLE_3, &TABLE_4] {
            let width = super::super::view::table_width(t);
            for b in t.blocks {
                // The first header row of each block spans the full width.
                let w: usize = b.header[0].iter().map(|c| c.colspan).sum();
                assert_eq!(w, width, "{}", t.name);
            }
        }
    }
}
