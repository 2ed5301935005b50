//! M504: published after the deadline of 条例 art. 49.

use crate::lint::{Finding, FixAvailability, Rule, Severity, Sink, Text, View};
use crate::model::OrgType;

pub const RULE: Rule = Rule {
    code: "M504",
    name: "late-publication",
    severity: Severity::Warning,
    summary: "报告发布晚于法定期限（部门 1月31日，地方政府 3月31日）",
    summary_en: "Published after the deadline (departments 31 January, local governments 31 March)",
    explain: "## What it does\n\
Compares the publication date (the page's 发布时间, else the date line) with the deadline of 条例 art. 49: \
县级以上人民政府部门 by 1月31日, 县级以上地方人民政府 by 3月31日 of the following year (FORMAT.md §5.4, W-LATE). The \
organisation type is inferred from the agency's name (…人民政府/政府 → government, otherwise department); give it \
with `check --org-type department|government` to make the finding an error.\n\n\
## Why\n\
Evaluators list late publication first among problems.\n\n\
## Example\n\
A 2023 department report published on 2024-02-05.\n\n\
## Fix\n\
None.",
    fix: FixAvailability::None,
    check,
};

fn check(report: &View, sink: &mut Sink) {
    let (Some(year), Some(published), Some(org)) =
        (report.meta.year, report.meta.published.as_deref(), report.meta.org_type)
    else {
        return;
    };
    // Before the 2019 revision every body published by 31 March (old art. 31).
    let org = if year <= 2018 { OrgType::Government } else { org };
    let deadline = org.deadline(year);
    if published <= deadline.as_str() {
        return;
    }
    let who = match org {
        OrgType::Department => ("政府部门", "departments"),
        OrgType::Government => ("地方人民政府", "local governments"),
    };
    sink.push(Finding {
        message: Text::new(
            format!("报告于 {published} 发布，晚于{}的法定期限 {deadline}", who.0),
            format!("published on {published}, after the deadline for {}, {deadline}", who.1),
        ),
        help: Some(Text::new(
            "依《条例》第四十九条按期发布；若机关类型判断有误，用 --org-type 指定",
            "publish by the deadline of 条例 art. 49; if the organisation type is wrong, give it with --org-type",
        )),
        severity: report.meta.org_type_given.then_some(Severity::Error),
        ..Finding::default()
    });
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
    }
}
