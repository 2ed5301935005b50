//! The national layouts as data: the 2021 format (国办公开办函〔2021〕30号) and the 2019 trial format
//! (国办公开办函〔2019〕60号), with their canonical cell keys (FORMAT.md §10).
//!
//! This is the one place that knows the tables' labels, keys, totals and sums. Import (recognition), lint and
//! export all read it; none of them spells a label or a key of its own.

use std::sync::LazyLock;

/// The version of the national format a report follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum FormatVersion {
    /// 国办公开办函〔2021〕30号, for reports of 2021 and later.
    #[serde(rename = "2021")]
    V2021,
    /// 国办公开办函〔2019〕60号 试行格式, for the reports of 2019 and 2020.
    #[serde(rename = "2019-trial")]
    Trial2019,
    /// A report in the layout used before 2019 (no 第二十条 tables): named, not mapped.
    #[serde(rename = "pre-2019")]
    Legacy,
    /// No standard table was recognised.
    #[serde(rename = "unknown")]
    Unknown,
}

impl FormatVersion {
    /// The name used in JSON and in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            FormatVersion::V2021 => "2021",
            FormatVersion::Trial2019 => "2019-trial",
            FormatVersion::Legacy => "pre-2019",
            FormatVersion::Unknown => "unknown",
        }
    }
}

/// Which kind of number a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A count: a non-negative integer.
    Count,
    /// A signed count change (trial `本年增/减`).
    SignedCount,
    /// A non-negative decimal amount (万元 in 2021; no unit in the trial 采购总金额).
    Amount,
}

/// One value column of a table-2 row.
#[derive(Debug, Clone, Copy)]
pub struct T2Field {
    /// The column header as printed in the format.
    pub header: &'static str,
    /// Other wordings seen in real reports, accepted with a label-variant warning.
    pub variants: &'static [&'static str],
    pub key: &'static str,
    pub kind: ValueKind,
}

/// One row of table 2 (主动公开政府信息情况).
#[derive(Debug, Clone, Copy)]
pub struct T2Row {
    /// The block heading, e.g. `第二十条第(一)项`.
    pub block: &'static str,
    pub block_key: &'static str,
    pub label: &'static str,
    pub label_variants: &'static [&'static str],
    pub row_key: &'static str,
    pub fields: &'static [T2Field],
}

const fn field(header: &'static str, key: &'static str, kind: ValueKind) -> T2Field {
    T2Field { header, variants: &[], key, kind }
}

const ART20_1_2021: &[T2Field] = &[
    T2Field {
        header: "本年制发件数",
        variants: &["本年发件数", "本年制发数量", "本年新制发件数"],
        key: "made",
        kind: ValueKind::Count,
    },
    T2Field {
        header: "本年废止件数", variants: &["本年废止数量"], key: "repealed", kind: ValueKind::Count
    },
    T2Field {
        header: "现行有效件数", variants: &["现行有效数量"], key: "in_force", kind: ValueKind::Count
    },
];
const DECISIONS_2021: &[T2Field] = &[T2Field {
    header: "本年处理决定数量",
    variants: &["本年处理决定件数"],
    key: "decisions",
    kind: ValueKind::Count,
}];
const FEES_2021: &[T2Field] = &[T2Field {
    header: "本年收费金额(单位:万元)",
    variants: &["本年收费金额(万元)", "本年收费金额", "本年收费金额(单位:元)"],
    key: "amount_wan_yuan",
    kind: ValueKind::Amount,
}];

/// Table 2 of the 2021 format: 10 value cells.
pub static T2_2021: &[T2Row] = &[
    T2Row {
        block: "第二十条第(一)项",
        block_key: "art20_1",
        label: "规章",
        label_variants: &[],
        row_key: "rules",
        fields: ART20_1_2021,
    },
    T2Row {
        block: "第二十条第(一)项",
        block_key: "art20_1",
        label: "行政规范性文件",
        // The trial layout's name, which many 2021 reports kept.
        label_variants: &["规范性文件"],
        row_key: "normative_docs",
        fields: ART20_1_2021,
    },
    T2Row {
        block: "第二十条第(五)项",
        block_key: "art20_5",
        label: "行政许可",
        label_variants: &[],
        row_key: "licensing",
        fields: DECISIONS_2021,
    },
    T2Row {
        block: "第二十条第(六)项",
        block_key: "art20_6",
        label: "行政处罚",
        label_variants: &[],
        row_key: "penalty",
        fields: DECISIONS_2021,
    },
    T2Row {
        block: "第二十条第(六)项",
        block_key: "art20_6",
        label: "行政强制",
        label_variants: &[],
        row_key: "coercion",
        fields: DECISIONS_2021,
    },
    T2Row {
        block: "第二十条第(八)项",
        block_key: "art20_8",
        label: "行政事业性收费",
        label_variants: &[],
        row_key: "admin_fees",
        fields: FEES_2021,
    },
];

const ART20_1_TRIAL: &[T2Field] = &[
    field("本年新制作数量", "new_made", ValueKind::Count),
    field("本年新公开数量", "new_published", ValueKind::Count),
    field("对外公开总数量", "total_published", ValueKind::Count),
];
const ITEMS_TRIAL: &[T2Field] = &[
    field("上一年项目数量", "prev_items", ValueKind::Count),
    field("本年增/减", "delta_items", ValueKind::SignedCount),
    field("处理决定数量", "decisions", ValueKind::Count),
];
const FEES_TRIAL: &[T2Field] = &[
    field("上一年项目数量", "prev_items", ValueKind::Count),
    field("本年增/减", "delta_items", ValueKind::SignedCount),
];
const PROCUREMENT_TRIAL: &[T2Field] =
    &[field("采购项目数量", "projects", ValueKind::Count), field("采购总金额", "total_amount", ValueKind::Amount)];

/// Table 2 of the 2019 trial format: 22 value cells, keyed `t2v19.…` (FORMAT.md §4.2).
pub static T2_TRIAL: &[T2Row] = &[
    T2Row {
        block: "第二十条第(一)项",
        block_key: "art20_1",
        label: "规章",
        label_variants: &[],
        row_key: "rules",
        fields: ART20_1_TRIAL,
    },
    T2Row {
        block: "第二十条第(一)项",
        block_key: "art20_1",
        label: "规范性文件",
        label_variants: &[],
        row_key: "normative_docs",
        fields: ART20_1_TRIAL,
    },
    T2Row {
        block: "第二十条第(五)项",
        block_key: "art20_5",
        label: "行政许可",
        label_variants: &[],
        row_key: "licensing",
        fields: ITEMS_TRIAL,
    },
    T2Row {
        block: "第二十条第(五)项",
        block_key: "art20_5",
        label: "其他对外管理服务事项",
        label_variants: &[],
        row_key: "other_services",
        fields: ITEMS_TRIAL,
    },
    T2Row {
        block: "第二十条第(六)项",
        block_key: "art20_6",
        label: "行政处罚",
        label_variants: &[],
        row_key: "penalty",
        fields: ITEMS_TRIAL,
    },
    T2Row {
        block: "第二十条第(六)项",
        block_key: "art20_6",
        label: "行政强制",
        label_variants: &[],
        row_key: "coercion",
        fields: ITEMS_TRIAL,
    },
    T2Row {
        block: "第二十条第(八)项",
        block_key: "art20_8",
        label: "行政事业性收费",
        label_variants: &[],
        row_key: "admin_fees",
        fields: FEES_TRIAL,
    },
    T2Row {
        block: "第二十条第(九)项",
        block_key: "art20_9",
        label: "政府集中采购",
        label_variants: &[],
        row_key: "central_procurement",
        fields: PROCUREMENT_TRIAL,
    },
];

/// One value column of table 3.
#[derive(Debug, Clone, Copy)]
pub struct T3Col {
    pub key: &'static str,
    pub label: &'static str,
    /// The header above it, if any (`法人或其他组织` for the five legal-person columns).
    pub parent: Option<&'static str>,
}

/// The seven value columns of table 3, in data order (FORMAT.md §1.3).
pub static T3_COLS: &[T3Col] = &[
    T3Col { key: "natural_person", label: "自然人", parent: None },
    T3Col { key: "legal.commercial", label: "商业企业", parent: Some("法人或其他组织") },
    T3Col { key: "legal.research", label: "科研机构", parent: Some("法人或其他组织") },
    T3Col { key: "legal.public_interest", label: "社会公益组织", parent: Some("法人或其他组织") },
    T3Col { key: "legal.legal_services", label: "法律服务机构", parent: Some("法人或其他组织") },
    T3Col { key: "legal.other", label: "其他", parent: Some("法人或其他组织") },
    T3Col { key: "total", label: "总计", parent: None },
];

/// The index of the 总计 column in [`T3_COLS`].
pub const T3_TOTAL_COL: usize = 6;

/// What role a table-3 row plays in the sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum T3Role {
    NewReceived,
    CarriedOver,
    /// A leaf result row, counted in (七)总计.
    Result,
    ResultTotal,
    CarriedForward,
}

/// One data row of table 3.
#[derive(Debug, Clone, Copy)]
pub struct T3Row {
    pub key: &'static str,
    /// The row's own label as printed (the leaf of the hierarchy).
    pub label: &'static str,
    /// The group label above it (`(三)不予公开`), if any.
    pub group: Option<&'static str>,
    pub role: T3Role,
}

const fn t3(key: &'static str, label: &'static str, group: Option<&'static str>, role: T3Role) -> T3Row {
    T3Row { key, label, group, role }
}

/// The label of the merged row header over the result rows.
pub const T3_RESULTS_HEADER: &str = "三、本年度办理结果";
/// The header cell of table 3 that states the 勾稽关系.
pub const T3_BALANCE_NOTE: &str = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)";

macro_rules! t3_rows {
    ($other:expr) => {
        &[
            t3(
                "new_received",
                "一、本年新收政府信息公开申请数量",
                None,
                T3Role::NewReceived,
            ),
            t3(
                "carried_over",
                "二、上年结转政府信息公开申请数量",
                None,
                T3Role::CarriedOver,
            ),
            t3("result.granted", "(一)予以公开", None, T3Role::Result),
            t3(
                "result.partially_granted",
                "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
                None,
                T3Role::Result,
            ),
            t3(
                "result.denied.state_secret",
                "1.属于国家秘密",
                Some("(三)不予公开"),
                T3Role::Result,
            ),
            t3(
                "result.denied.prohibited_by_law",
                "2.其他法律行政法规禁止公开",
                Some("(三)不予公开"),
                T3Role::Result,
            ),
            t3(
                "result.denied.security_stability",
                "3.危及“三安全一稳定”",
                Some("(三)不予公开"),
                T3Role::Result,
            ),
            t3(
                "result.denied.third_party_rights",
                "4.保护第三方合法权益",
                Some("(三)不予公开"),
                T3Role::Result,
            ),
            t3(
                "result.denied.internal_affairs",
                "5.属于三类内部事务信息",
                Some("(三)不予公开"),
                T3Role::Result,
            ),
            t3(
                "result.denied.process_info",
                "6.属于四类过程性信息",
                Some("(三)不予公开"),
                T3Role::Result,
            ),
            t3(
                "result.denied.enforcement_file",
                "7.属于行政执法案卷",
                Some("(三)不予公开"),
                T3Role::Result,
            ),
            t3(
                "result.denied.admin_query",
                "8.属于行政查询事项",
                Some("(三)不予公开"),
                T3Role::Result,
            ),
            t3(
                "result.unable.not_held",
                "1.本机关不掌握相关政府信息",
                Some("(四)无法提供"),
                T3Role::Result,
            ),
            t3(
                "result.unable.needs_creation",
                "2.没有现成信息需要另行制作",
                Some("(四)无法提供"),
                T3Role::Result,
            ),
            t3(
                "result.unable.unclear_after_correction",
                "3.补正后申请内容仍不明确",
                Some("(四)无法提供"),
                T3Role::Result,
            ),
            t3(
                "result.not_processed.petition_complaint",
                "1.信访举报投诉类申请",
                Some("(五)不予处理"),
                T3Role::Result,
            ),
            t3(
                "result.not_processed.duplicate",
                "2.重复申请",
                Some("(五)不予处理"),
                T3Role::Result,
            ),
            t3(
                "result.not_processed.publication",
                "3.要求提供公开出版物",
                Some("(五)不予处理"),
                T3Role::Result,
            ),
            t3(
                "result.not_processed.excessive_repeat",
                "4.无正当理由大量反复申请",
                Some("(五)不予处理"),
                T3Role::Result,
            ),
            t3(
                "result.not_processed.confirm_or_reissue",
                "5.要求行政机关确认或重新出具已获取信息",
                Some("(五)不予处理"),
                T3Role::Result,
            ),
            $other,
            t3("result.total", "(七)总计", None, T3Role::ResultTotal),
            t3(
                "carried_forward",
                "四、结转下年度继续办理",
                None,
                T3Role::CarriedForward,
            ),
        ]
    };
}

/// The rows of table 3 in the 2021 format: 25 rows.
pub static T3_ROWS_2021: LazyLock<Vec<T3Row>> = LazyLock::new(|| {
    let other: &[T3Row] = &[
        t3(
            "result.other.overdue_correction",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            Some("(六)其他处理"),
            T3Role::Result,
        ),
        t3(
            "result.other.overdue_fee",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            Some("(六)其他处理"),
            T3Role::Result,
        ),
        t3("result.other.other", "3.其他", Some("(六)其他处理"), T3Role::Result),
    ];
    expand(t3_rows!(t3("", "", None, T3Role::Result)), other)
});

/// The rows of table 3 in the trial format: 23 rows; `(六)其他处理` is one row (FORMAT.md §4.3), kept under the
/// synthetic key `result.other_total`.
pub static T3_ROWS_TRIAL: LazyLock<Vec<T3Row>> = LazyLock::new(|| {
    let other: &[T3Row] = &[t3("result.other_total", "(六)其他处理", None, T3Role::Result)];
    expand(t3_rows!(t3("", "", None, T3Role::Result)), other)
});

fn expand(template: &[T3Row], other: &[T3Row]) -> Vec<T3Row> {
    let mut rows = Vec::with_capacity(template.len() + other.len());
    for row in template {
        if row.key.is_empty() {
            rows.extend_from_slice(other);
        } else {
            rows.push(*row);
        }
    }
    rows
}

/// A group of table 4.
#[derive(Debug, Clone, Copy)]
pub struct T4Group {
    pub key: &'static str,
    pub label: &'static str,
    /// The header above the group label (`行政诉讼` for the two litigation groups).
    pub parent: Option<&'static str>,
}

/// The three groups of table 4, left to right.
pub static T4_GROUPS: &[T4Group] = &[
    T4Group { key: "review", label: "行政复议", parent: None },
    T4Group { key: "litigation_direct", label: "未经复议直接起诉", parent: Some("行政诉讼") },
    T4Group { key: "litigation_after_review", label: "复议后起诉", parent: Some("行政诉讼") },
];

/// The five columns of each table-4 group, in order; the last is the group's 总计.
pub static T4_COLS: &[(&str, &str)] = &[
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
];

/// Which national table a key belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum TableId {
    #[serde(rename = "表二")]
    T2,
    #[serde(rename = "表三")]
    T3,
    #[serde(rename = "表四")]
    T4,
}

impl TableId {
    /// The table's short Chinese name as reviewers use it.
    pub fn zh(self) -> &'static str {
        match self {
            TableId::T2 => "表二",
            TableId::T3 => "表三",
            TableId::T4 => "表四",
        }
    }
    /// The table's title in the format.
    pub fn title(self) -> &'static str {
        match self {
            TableId::T2 => "主动公开政府信息情况",
            TableId::T3 => "收到和处理政府信息公开申请情况",
            TableId::T4 => "政府信息公开行政复议、行政诉讼情况",
        }
    }
    /// English name for `--lang en`.
    pub fn en(self) -> &'static str {
        match self {
            TableId::T2 => "table 2",
            TableId::T3 => "table 3",
            TableId::T4 => "table 4",
        }
    }
}

/// One value cell of a layout: its canonical key and what it means.
#[derive(Debug, Clone)]
pub struct KeySpec {
    pub key: String,
    pub table: TableId,
    /// Human label, e.g. `三、本年度办理结果 › (三)不予公开 › 1.属于国家秘密 × 商业企业`.
    pub label: String,
    pub kind: ValueKind,
    /// True for cells that are totals of other cells (表三 总计 column and (七)总计 row, 表四 总计).
    pub is_total: bool,
}

fn t2_specs(rows: &[T2Row], prefix: &str) -> Vec<KeySpec> {
    let mut out = Vec::new();
    for row in rows {
        for f in row.fields {
            out.push(KeySpec {
                key: format!("{prefix}.{}.{}.{}", row.block_key, row.row_key, f.key),
                table: TableId::T2,
                label: format!("{} › {} × {}", row.block, row.label, f.header),
                kind: f.kind,
                is_total: false,
            });
        }
    }
    out
}

fn t3_specs(rows: &[T3Row]) -> Vec<KeySpec> {
    let mut out = Vec::new();
    for row in rows {
        for (ci, col) in T3_COLS.iter().enumerate() {
            let path = match (row.role, row.group) {
                (T3Role::Result | T3Role::ResultTotal, Some(g)) => {
                    format!("{T3_RESULTS_HEADER} › {g} › {}", row.label)
                }
                (T3Role::Result | T3Role::ResultTotal, None) => {
                    format!("{T3_RESULTS_HEADER} › {}", row.label)
                }
                _ => row.label.to_string(),
            };
            out.push(KeySpec {
                key: t3_key(row.key, ci),
                table: TableId::T3,
                label: format!("{path} × {}", col.label),
                kind: ValueKind::Count,
                is_total: ci == T3_TOTAL_COL || row.role == T3Role::ResultTotal,
            });
        }
    }
    out
}

fn t4_specs() -> Vec<KeySpec> {
    let mut out = Vec::new();
    for g in T4_GROUPS {
        for (ck, cl) in T4_COLS {
            let path = match g.parent {
                Some(p) => format!("{p} › {}", g.label),
                None => g.label.to_string(),
            };
            out.push(KeySpec {
                key: t4_key(g.key, ck),
                table: TableId::T4,
                label: format!("{path} × {cl}"),
                kind: ValueKind::Count,
                is_total: *ck == "total",
            });
        }
    }
    out
}

/// The canonical key of a table-3 cell.
pub fn t3_key(row_key: &str, col: usize) -> String {
    dotted(&["t3", row_key, T3_COLS.get(col).map_or("?", |c| c.key)])
}

/// The canonical key of a table-4 cell.
pub fn t4_key(group_key: &str, col_key: &str) -> String {
    dotted(&["t4", group_key, col_key])
}

/// Parts joined with dots, in one allocation: keys are made for every cell a report has and every cell a rule
/// reads, and `format!` would allocate and parse its template each time.
pub fn dotted(parts: &[&str]) -> String {
    let mut key = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            key.push('.');
        }
        key.push_str(part);
    }
    key
}

/// The 200 canonical value keys of the 2021 model, in table order (FORMAT.md §10).
pub static KEYS_2021: LazyLock<Vec<KeySpec>> = LazyLock::new(|| {
    let mut v = t2_specs(T2_2021, "t2");
    v.extend(t3_specs(&T3_ROWS_2021));
    v.extend(t4_specs());
    v
});

/// The 2021 keys in the order the JSON model lists them (sorted, as serde_json's map keeps them).
pub static KEYS_2021_SORTED: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut v: Vec<&'static str> = KEYS_2021.iter().map(|k| k.key.as_str()).collect();
    v.sort_unstable();
    v
});

/// Keys that only the trial format has: its table 2 (`t2v19.…`) and the single `(六)其他处理` row.
pub static KEYS_TRIAL_ONLY: LazyLock<Vec<KeySpec>> = LazyLock::new(|| {
    let mut v = t2_specs(T2_TRIAL, "t2v19");
    v.extend(t3_specs(&T3_ROWS_TRIAL).into_iter().filter(|k| k.key.starts_with("t3.result.other_total.")));
    v
});

/// Every key a report's cells can have (2021 and trial), in byte order: a report keeps its cells in one slot per
/// key, in this order ([`crate::model::Cells`]).
pub static SLOT_KEYS: LazyLock<Vec<&'static KeySpec>> = LazyLock::new(|| {
    let mut v: Vec<&'static KeySpec> = KEYS_2021.iter().chain(KEYS_TRIAL_ONLY.iter()).collect();
    v.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    v.dedup_by(|a, b| a.key == b.key);
    v
});

// Looked up for every cell a rule reads: a fast hash, not SipHash (the keys are our own constants).
static KEY_INDEX: LazyLock<rustc_hash::FxHashMap<&'static str, (usize, &'static KeySpec)>> =
    LazyLock::new(|| SLOT_KEYS.iter().enumerate().map(|(slot, k)| (k.key.as_str(), (slot, *k))).collect());

/// What any key means, 2021 or trial.
pub fn key_spec(key: &str) -> Option<&'static KeySpec> {
    KEY_INDEX.get(key).map(|&(_, spec)| spec)
}

/// The position of a key in [`SLOT_KEYS`].
pub fn key_slot(key: &str) -> Option<usize> {
    KEY_INDEX.get(key).map(|&(slot, _)| slot)
}

/// The slot of the table-3 cell of a row (by its key) and a column: the recogniser puts every cell of table 3
/// by slot, without building its key.
pub fn t3_slot(row_key: &str, col: usize) -> Option<usize> {
    static SLOTS: LazyLock<rustc_hash::FxHashMap<&'static str, Vec<Option<usize>>>> = LazyLock::new(|| {
        T3_ROWS_2021
            .iter()
            .chain(T3_ROWS_TRIAL.iter())
            .map(|row| (row.key, (0..T3_COLS.len()).map(|c| key_slot(&t3_key(row.key, c))).collect()))
            .collect()
    });
    SLOTS.get(row_key).and_then(|cols| cols.get(col).copied().flatten())
}

/// The sum relations of a format version, built once: 表三 row totals, 表三 result sums, 表四 group totals.
pub struct Relations {
    pub row_totals: Vec<SumRelation>,
    pub result_sums: Vec<SumRelation>,
    pub group_totals: Vec<SumRelation>,
    pub all: Vec<SumRelation>,
    /// For each slot, the relations of `all` whose total it is (by index).
    totals: Vec<Vec<usize>>,
}

impl Relations {
    fn of(rows: &[T3Row]) -> Relations {
        let (row_totals, result_sums, group_totals) = (t3_row_totals(rows), t3_result_sums(rows), t4_group_sums());
        let all: Vec<SumRelation> = row_totals.iter().chain(&result_sums).chain(&group_totals).cloned().collect();
        let mut totals = vec![Vec::new(); SLOT_KEYS.len()];
        for (i, r) in all.iter().enumerate() {
            totals[r.total_slot].push(i);
        }
        Relations { row_totals, result_sums, group_totals, all, totals }
    }

    /// The relations whose total is the cell of `slot`.
    pub fn with_total(&self, slot: usize) -> impl Iterator<Item = &SumRelation> {
        self.totals.get(slot).into_iter().flatten().map(|&i| &self.all[i])
    }
}

/// The sum relations of a format version.
pub fn relation_sets(format: FormatVersion) -> &'static Relations {
    static V2021: LazyLock<Relations> = LazyLock::new(|| Relations::of(&T3_ROWS_2021));
    static TRIAL: LazyLock<Relations> = LazyLock::new(|| Relations::of(&T3_ROWS_TRIAL));
    match format {
        FormatVersion::Trial2019 => &TRIAL,
        _ => &V2021,
    }
}

/// Every sum relation the format states: 表三 row totals and result sums, 表四 group totals.
pub fn relations(format: FormatVersion) -> &'static [SumRelation] {
    &relation_sets(format).all
}

/// A sum the format states: `total` must equal the sum of `parts`.
#[derive(Debug, Clone)]
pub struct SumRelation {
    pub total: String,
    pub parts: Vec<String>,
    /// The slots of `total` and `parts` in [`SLOT_KEYS`]: the rules read these cells in every report, and a slot
    /// is read without hashing the key.
    pub total_slot: usize,
    pub part_slots: Vec<usize>,
}

impl SumRelation {
    fn new(total: String, parts: Vec<String>) -> SumRelation {
        let slot = |key: &str| key_slot(key).unwrap_or_else(|| panic!("the relation key {key} is a layout key"));
        SumRelation { total_slot: slot(&total), part_slots: parts.iter().map(|p| slot(p)).collect(), total, parts }
    }
}

/// 表三 总计 column = 自然人 + the five 法人或其他组织 columns, for each row of `rows`.
pub fn t3_row_totals(rows: &[T3Row]) -> Vec<SumRelation> {
    rows.iter()
        .map(|r| SumRelation::new(t3_key(r.key, T3_TOTAL_COL), (0..T3_TOTAL_COL).map(|c| t3_key(r.key, c)).collect()))
        .collect()
}

/// 表三 (七)总计 = the sum of the result rows, for each column.
pub fn t3_result_sums(rows: &[T3Row]) -> Vec<SumRelation> {
    (0..T3_COLS.len())
        .map(|c| {
            SumRelation::new(
                t3_key("result.total", c),
                rows.iter().filter(|r| r.role == T3Role::Result).map(|r| t3_key(r.key, c)).collect(),
            )
        })
        .collect()
}

/// 表四: each group's 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
pub fn t4_group_sums() -> Vec<SumRelation> {
    T4_GROUPS
        .iter()
        .map(|g| {
            SumRelation::new(t4_key(g.key, "total"), T4_COLS[..4].iter().map(|(ck, _)| t4_key(g.key, ck)).collect())
        })
        .collect()
}

/// The six section headings of the report (FORMAT.md §1.1), with their keys.
pub static SECTIONS: &[(&str, &str)] = &[
    ("overview", "一、总体情况"),
    ("active_disclosure", "二、主动公开政府信息情况"),
    ("applications", "三、收到和处理政府信息公开申请情况"),
    ("review_litigation", "四、政府信息公开行政复议、行政诉讼情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other_matters", "六、其他需要报告的事项"),
];

/// The sections whose text is compared across years (T611): 一 and 五, where a year's own work is told. (Sections
/// 二–四 mostly point at their tables, and 六's fee sentence is rightly the same each year.)
pub const COMPARED_SECTIONS: &[&str] = &["overview", "problems"];

/// What a converted or corrected document says under a section its source did not have: the standard heading stands
/// (the file keeps the national layout), with this note instead of text. The check of such a file reports the
/// section as missing, as it reported the source.
pub const NOTE_SECTION_ABSENT: &str = "（原文件没有这一部分。——gongkai）";

/// The same for a source that was a workbook holding only the tables, whose text is in another file: the check of
/// the workbook did not ask for the text, nor does the check of what it was converted into.
pub const NOTE_TEXT_ELSEWHERE: &str = "（原文件是只有统计表的工作簿，这一部分的文字不在其中。——gongkai）";

/// The note a conversion put in a section's place, when that is all the section says. The lines after the note may
/// only be a signature (the organ's name, the date: short, no sentence), which a document ends with and a reader
/// files under the last section.
pub fn absence_note(text: &str) -> Option<&'static str> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next()?;
    let note = [NOTE_SECTION_ABSENT, NOTE_TEXT_ELSEWHERE].into_iter().find(|n| first == *n)?;
    let signature_like = |line: &str| line.chars().count() <= 40 && !line.contains(['。', '；', '，', ';', ',']);
    lines.all(signature_like).then_some(note)
}

/// Whether a section's text is only the note a conversion put there.
pub fn is_absence_note(text: &str) -> bool {
    absence_note(text).is_some()
}

/// Heading wordings seen in real reports for a section (FORMAT.md §1.1, §6 row 5).
pub static SECTION_VARIANTS: &[(&str, &str)] = &[
    ("problems", "五、信息公开工作存在的主要问题及改进情况"),
    ("problems", "五、政府信息公开工作存在的主要问题及改进情况"),
    ("problems", "五、存在问题及改进情况"),
    ("problems", "五、存在的问题及改进情况"),
    ("overview", "一、总体情况概述"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_followed_by_a_signature_is_still_only_the_note() {
        let signed = format!("{NOTE_TEXT_ELSEWHERE}\n乌鲁木齐市人民政府外事办公室\n2024年1月20日");
        assert_eq!(absence_note(&signed), Some(NOTE_TEXT_ELSEWHERE));
        assert_eq!(absence_note(NOTE_SECTION_ABSENT), Some(NOTE_SECTION_ABSENT));
        let written_under = format!("{NOTE_SECTION_ABSENT}\n本年度没有产生信息处理费，无其他需要报告的事项。");
        assert_eq!(absence_note(&written_under), None, "a clerk's sentence under the note is the section's text");
        assert_eq!(absence_note("无。"), None);
        assert_eq!(absence_note(""), None);
    }
    use std::collections::HashSet;

    #[test]
    fn a_table_3_slot_holds_the_key_of_its_row_and_column() {
        for row in T3_ROWS_2021.iter().chain(T3_ROWS_TRIAL.iter()) {
            for c in 0..T3_COLS.len() {
                let slot = t3_slot(row.key, c).expect("every table-3 cell has a slot");
                assert_eq!(SLOT_KEYS[slot].key, t3_key(row.key, c));
            }
        }
        assert_eq!(t3_slot("no_such_row", 0), None);
        assert_eq!(t3_slot("new_received", T3_COLS.len()), None);
    }

    #[test]
    fn every_relation_reads_its_cells_by_slot_and_is_found_by_its_total() {
        for format in [FormatVersion::V2021, FormatVersion::Trial2019] {
            let sets = relation_sets(format);
            for r in &sets.all {
                assert_eq!(SLOT_KEYS[r.total_slot].key, r.total);
                let slotted: Vec<&str> = r.part_slots.iter().map(|&s| SLOT_KEYS[s].key.as_str()).collect();
                assert_eq!(slotted, r.parts);
                assert!(sets.with_total(r.total_slot).any(|found| found.parts == r.parts), "{}", r.total);
            }
        }
        let total = key_slot("t3.result.total.total").expect("a slot");
        assert_eq!(relation_sets(FormatVersion::V2021).with_total(total).count(), 2, "row total and column sum");
    }

    #[test]
    fn the_2021_model_has_200_unique_keys() {
        assert_eq!(KEYS_2021.len(), 200);
        let set: HashSet<_> = KEYS_2021.iter().map(|k| &k.key).collect();
        assert_eq!(set.len(), 200);
        assert_eq!(T3_ROWS_2021.len(), 25);
        assert_eq!(T3_ROWS_TRIAL.len(), 23);
        assert!(KEYS_2021.iter().any(|k| k.key == "t3.result.denied.state_secret.legal.commercial"));
        assert!(KEYS_2021.iter().any(|k| k.key == "t2.art20_8.admin_fees.amount_wan_yuan"));
    }

    #[test]
    fn trial_table_2_has_22_cells() {
        assert_eq!(KEYS_TRIAL_ONLY.iter().filter(|k| k.table == TableId::T2).count(), 22);
    }

    #[test]
    fn result_sum_has_21_parts_in_2021_and_19_in_trial() {
        assert_eq!(t3_result_sums(&T3_ROWS_2021)[0].parts.len(), 21);
        assert_eq!(t3_result_sums(&T3_ROWS_TRIAL)[0].parts.len(), 19);
    }
}
