//! The trial format of the yearly report, 《中华人民共和国政府信息公开工作年度报告格式（试行）》
//! (国办公开办函〔2019〕60号), in which the reports for 2019 and 2020 were written: its own
//! table 2 (documents made and published, the yearly change in licensing, penalty and fee
//! items, central procurement), table 3 with （六）其他处理 as one row, and table 4 and the
//! rules as in the 2021 format.
//!
//! Keys shared with the 2021 format mean the same thing in both, so the reports overview
//! compares the figures the two have in common.

use super::national::{
    RULES, SHARED_FIGURES, T3_CARRIED_FORWARD, T3_CARRIED_OVER, T3_COLUMNS, T3_DENIED, T3_GRANTED,
    T3_HEADER, T3_NEW_RECEIVED, T3_NOT_PROCESSED, T3_PARTIAL, T3_TOTAL_PROCESSED, T3_UNABLE,
    TABLE_4, count, row,
};
use super::schema::*;

pub static TRIAL_2019: ReportType = ReportType {
    id: "trial-2019",
    aliases: &["2019", "试行", "国办公开办函〔2019〕60号"],
    name: "政府信息公开工作年度报告（试行格式）",
    basis: "国办公开办函〔2019〕60号",
    document: "《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》",
    years: (2019, 2020),
    sections: &[
        SectionDef {
            key: "overview",
            title: "一、总体情况",
            aliases: &["总体情况"],
            content: SectionContent::Text,
            hint: "主动公开、依申请公开、政府信息管理、平台建设、监督保障等方面的情况",
        },
        SectionDef {
            key: "active_disclosure",
            title: "二、主动公开政府信息情况",
            aliases: &["主动公开政府信息情况"],
            content: SectionContent::Table(&TABLE_2),
            hint: "表二（试行格式）",
        },
        SectionDef {
            key: "applications",
            title: "三、收到和处理政府信息公开申请情况",
            aliases: &["收到和处理政府信息公开申请情况"],
            content: SectionContent::Table(&TABLE_3),
            hint: "表三（试行格式）",
        },
        SectionDef {
            key: "review_litigation",
            title: "四、政府信息公开行政复议、行政诉讼情况",
            aliases: &[
                "政府信息公开行政复议、行政诉讼情况",
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
                "政府信息公开工作存在的主要问题及改进情况",
                "存在的主要问题及改进情况",
                "存在问题及改进情况",
            ],
            content: SectionContent::Text,
            hint: "本年度存在的问题和改进措施",
        },
        SectionDef {
            key: "other",
            title: "六、其他需要报告的事项",
            aliases: &["其他需要报告的事项"],
            content: SectionContent::Text,
            hint: "本省要求报告的其他事项；没有的写“无”",
        },
    ],
    rules: RULES,
    key_figures: SHARED_FIGURES,
};

const MADE_COLS: &[Col] = &[
    count("made", "本年新制作数量", &[]),
    count("published", "本年新公开数量", &[]),
    count("total_published", "对外公开总数量", &[]),
];

/// Items of a kind (licensing, penalties, fees) last year, the change, and decisions.
const ITEM_COLS: &[Col] = &[
    count("items_last_year", "上一年项目数量", &[]),
    Col {
        key: "change",
        label: "本年增/减",
        aliases: &["本年增减"],
        kind: CellKind::Change,
    },
    count("decisions", "处理决定数量", &["本年处理决定数量"]),
];

const ITEM_HEADER: &[&[Head]] = &[&[
    h("信息内容"),
    h("上一年项目数量"),
    h("本年增/减"),
    h("处理决定数量"),
]];

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
                h("本年新制作数量"),
                h("本年新公开数量"),
                h("对外公开总数量"),
            ]],
            columns: MADE_COLS,
            rows: &[
                row("regulations", "规章"),
                RowDef::Row {
                    key: "normative_documents",
                    label: "规范性文件",
                    aliases: &["行政规范性文件"],
                },
            ],
        },
        Block {
            band: Some("第二十条第（五）项"),
            header: ITEM_HEADER,
            columns: ITEM_COLS,
            rows: &[
                row("licensing", "行政许可"),
                row("other_services", "其他对外管理服务事项"),
            ],
        },
        Block {
            band: Some("第二十条第（六）项"),
            header: ITEM_HEADER,
            columns: ITEM_COLS,
            rows: &[
                row("punishment", "行政处罚"),
                row("enforcement", "行政强制"),
            ],
        },
        Block {
            band: Some("第二十条第（八）项"),
            header: &[&[h("信息内容"), h("上一年项目数量"), hs("本年增/减", 1, 2)]],
            columns: ITEM_COLS.split_at(2).0,
            rows: &[row("fees", "行政事业性收费")],
        },
        Block {
            band: Some("第二十条第（九）项"),
            header: &[&[h("信息内容"), h("采购项目数量"), hs("采购总金额", 1, 2)]],
            columns: &[
                count("purchases", "采购项目数量", &[]),
                Col {
                    key: "amount",
                    label: "采购总金额",
                    aliases: &[],
                    kind: CellKind::Money,
                },
            ],
            rows: &[row("procurement", "政府集中采购")],
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
                    row("other_handling", "（六）其他处理"),
                    T3_TOTAL_PROCESSED,
                ],
            },
            T3_CARRIED_FORWARD,
        ],
    }],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::report::view::table_width;

    #[test]
    fn table_2_has_the_blocks_and_cells_of_the_trial_format() {
        assert_eq!(TABLE_2.blocks.len(), 5);
        let cells: usize = TABLE_2
            .blocks
            .iter()
            .map(|b| crate::model::report::leaf_rows(b.rows).len() * b.columns.len())
            .sum();
        assert_eq!(cells, 2 * 3 + 2 * 3 + 2 * 3 + 2 + 2);
        for b in TABLE_2.blocks {
            let w: usize = b.header[0].iter().map(|c| c.colspan).sum();
            assert_eq!(w, table_width(&TABLE_2));
        }
        let leaves = crate::model::report::leaf_rows(TABLE_3.blocks[0].rows);
        assert_eq!(leaves.len(), 23, "（六）其他处理 is one row");
    }
}
