//! M504: published after the deadline of 条例 art. 49.

use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::OrgType;
use crate::model::Report;

pub const RULE: Rule = Rule {
    code: "M504",
    name: "late-publication",
    severity: Severity::Warning,
    summary: "报告发布晚于法定期限（部门 1月31日，地方政府 3月31日）",
    summary_en: "Published after the deadline (departments 31 January, local governments 31 March)",
    explain: "## What it does\n\
Compares the publication date (the page's 发布时间, else the date line) with the deadline of 条例 art. 49: \
县级以上人民政府部门 by 1月31日, 县级以上地方人民政府 by 3月31日 of the following year (《政府信息公开条例》第四十九条). The \
organisation type is inferred from the agency's name (…人民政府/政府 → government, otherwise department); give it \
with `check --org-type department|government` (or `org-type` in gongkai.toml) to make the finding an error; a body \
whose deadline is another date gives it as `deadline = \"MM-DD\"` in gongkai.toml.\n\n\
## Why\n\
Evaluators list late publication first among problems.\n\n\
## Example\n\
A 2023 department report published on 2024-02-05.\n\n\
## Fix\n\
None.",
    explain_zh: "## 作用\n\
把发布日期（网页的发布时间，没有时用落款日期）与《政府信息公开条例》第四十九条规定的期限比较：县级以上人民政府部门为次年 1月31日，县级以上地方人民政府为次年 3月31日。机关类型按机关名称推断（…人民政府/政府为地方人民政府，其余为部门）；用 check --org-type department|government（或 gongkai.toml 中的 org-type）指定后，逾期为错误；期限另有规定的机关在 gongkai.toml 中写 deadline = \"MM-DD\"。\n\n\
## 原因\n\
评估中，逾期发布排在问题的首位。\n\n\
## 示例\n\
某部门 2023 年度报告于 2024-02-05 发布。\n\n\
## 修复\n\
无。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::fail("department-after-31-january", 1, &[Given::Paragraph("2024年1月20日", "2024年2月20日")]),
        Vector::fail(
            "given-type-makes-it-an-error",
            1,
            &[Given::Paragraph("2024年1月20日", "2024年2月20日"), Given::OrgType(OrgType::Department)],
        ),
    ],
};

fn check(report: &Report, sink: &mut Sink) {
    let (Some(year), Some(published), Some(org)) =
        (report.meta.year, report.meta.published.as_deref(), report.meta.org_type)
    else {
        return;
    };
    // Before the 2019 revision every body published by 31 March (old art. 31).
    let org = if year <= 2018 { OrgType::Government } else { org };
    let given = report.meta.deadline_given.as_deref();
    let deadline = given.map_or_else(|| org.deadline(year), |month_day| format!("{}-{month_day}", year + 1));
    if published <= deadline.as_str() {
        return;
    }
    let who = match (given, org) {
        (Some(_), _) => ("本机关", "this body"),
        (None, OrgType::Department) => ("政府部门", "departments"),
        (None, OrgType::Government) => ("地方人民政府", "local governments"),
    };
    let mut f = Finding::new(
        format!("报告于 {published} 发布，晚于{}的法定期限 {deadline}", who.0),
        format!("published on {published}, after the deadline for {}, {deadline}", who.1),
    )
    .help(
        "依《条例》第四十九条按期发布；若机关类型判断有误，用 --org-type 指定",
        "publish by the deadline of 条例 art. 49; if the organisation type is wrong, give it with --org-type",
    );
    // A deadline the user gave (or an organisation type they stated) is known for certain: missing it is an error.
    if report.meta.org_type_given || given.is_some() {
        f = f.severity(Severity::Error);
    }
    sink.push(f);
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::model::OrgType;

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        r.meta.org_type = Some(OrgType::Department);
        r.meta.published = Some("2024-01-30".into());
        assert!(run(&r, "M504").is_empty());
        r.meta.published = Some("2024-02-05".into());
        assert_eq!(run(&r, "M504").len(), 1);
        r.meta.org_type = Some(OrgType::Government);
        assert!(run(&r, "M504").is_empty());
        r.meta.deadline_given = Some("01-15".into());
        let d = run(&r, "M504");
        assert_eq!(d.len(), 1, "a given deadline wins over the organisation type's");
        assert!(d[0].message.zh.contains("2024-01-15") && d[0].severity == crate::lint::Severity::Error, "{d:?}");
    }
}
