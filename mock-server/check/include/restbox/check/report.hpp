#pragma once
// The reports of restbox-check: a table for the terminal, the JSON report (the stable format of
// mock-server/check/README.md), JUnit XML (one testcase per row) and one self-contained HTML page.
// Every exchange in them has its secrets masked (restbox/core/masking.hpp).

#include <ostream>
#include <string>

#include "restbox/check/check.hpp"

namespace restbox::check {

// The matrix in text: one line per row that failed or was skipped (`verbose`: every row), then
// the skip reasons, the coverage and the summary line.
void WriteTable(std::ostream& out, const Report& report, bool verbose = false);

// {"rows":[{"service","endpoint","status","code","mode","trigger","outcome","reason","problems",
// "exchanges","drift"}],"summary":{...}}
core::Json ToJson(const Report& report);
std::string ToJUnit(const Report& report);
std::string ToHtml(const Report& report);

}  // namespace restbox::check
