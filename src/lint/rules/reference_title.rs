//! T612: the title of the national format or of the Regulations, cited with words lost or changed.

use std::sync::LazyLock;

use regex::Regex;

use crate::lint::{Finding, FixAvailability, Given, Rule, Severity, Sink, Vector};
use crate::model::Report;

/// The titles the reports cite, as issued.
const TITLES: &[&str] = &["中华人民共和国政府信息公开工作年度报告格式", "中华人民共和国政府信息公开条例"];

pub const RULE: Rule = Rule {
    code: "T612",
    name: "reference-title",
    severity: Severity::Warning,
    summary: "引用的格式或条例名称有误（缺字、错字）",
    summary_en: "The title of the national format or of the Regulations is cited with words lost or changed",
    explain: "## What it does\n\
Warns when the text cites, between 《》 or 〈〉, a title close to but not the same as 中华人民共和国政府信息公开工作年度报告格式 \
(the format issued with 国办公开办函〔2021〕30号) or 中华人民共和国政府信息公开条例: up to a quarter of its characters \
lost, added or changed. The short forms 《条例》 and 《格式》 are not checked.\n\n\
## Why\n\
A garbled reference to the documents the report is written under is a common review finding \
(`《中华人民共和国政府信息年度报告格式》`) and suggests the text was copied without care.\n\n\
## Example\n\
《中华人民共和国政府信息年度报告格式》 → 《中华人民共和国政府信息公开工作年度报告格式》.\n\n\
## Fix\n\
None automatic: write the title as issued.",
    explain_zh: "## 作用\n\
正文在《》或〈〉中引用的名称与「中华人民共和国政府信息公开工作年度报告格式」（随国办公开办函〔2021〕30号印发）或「中华人民共和国政府信息公开条例」相近\
但不相同（缺、多或错的字不超过四分之一）时提出警告。简称《条例》《格式》不检查。\n\n\
## 原因\n\
写错报告所依据文件的名称是常见的审核意见（「《中华人民共和国政府信息年度报告格式》」），也说明文字是随意照抄的。\n\n\
## 示例\n\
《中华人民共和国政府信息年度报告格式》→《中华人民共和国政府信息公开工作年度报告格式》。\n\n\
## 修复\n\
无自动修复：按发布的名称书写。",
    fix: FixAvailability::None,
    check,
    vectors: &[
        Vector::pass("clean", &[]),
        Vector::pass(
            "cited-as-issued",
            &[Given::AddParagraph("", "本报告根据《中华人民共和国政府信息公开工作年度报告格式》编制。")],
        ),
        Vector::fail(
            "words-lost-from-the-formats-title",
            1,
            &[Given::AddParagraph("", "本报告根据《中华人民共和国政府信息年度报告格式》编制。")],
        ),
    ],
};

static CITED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("[《〈<]([^《》〈〉<>]{6,40})[》〉>]").expect("valid pattern"));

fn check(report: &Report, sink: &mut Sink) {
    for s in &report.sections {
        if !s.text.contains('《') && !s.text.contains('〈') {
            continue;
        }
        for cited in CITED.captures_iter(&s.text) {
            let found = crate::normalize::label(&cited[1]);
            for title in TITLES {
                let distance = strsim::levenshtein(&found, title);
                let close = distance > 0 && distance * 4 <= title.chars().count();
                if !close {
                    continue;
                }
                sink.push(
                    Finding::new(
                        format!("引用的名称「{}」与「{title}」不一致", &cited[1]),
                        format!("the title cited 「{}」 is not 「{title}」 as issued", &cited[1]),
                    )
                    .help(format!("写作《{title}》"), format!("write 《{title}》")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn passes_and_fails() {
        let mut r = clean_report();
        let text = |t: &str| section("overview", "一、总体情况", t);
        r.sections.push(text(
            "依据《中华人民共和国政府信息公开条例》和《条例》，按《中华人民共和国政府信息公开工作年度报告格式》编制。",
        ));
        assert!(run(&r, "T612").is_empty());
        r.sections[0] = text("依据《中华人民共和国信息公开条例》编制。");
        assert_eq!(run(&r, "T612").len(), 1);
        r.sections[0] = text("依据《福建省政府信息公开办法》编制。");
        assert!(run(&r, "T612").is_empty(), "another document");
    }
}
