// Runs every documented (endpoint, status) row of every service against every target, realistic
// and forced, and prints the coverage table (endpoint x status) at the end.

#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <set>

#include "sweep.hpp"
#include "sweep_targets.hpp"

namespace restbox::contract {
namespace {

struct Param {
  Target target;
  Row row;
  bool forced = false;
};

// Keeps gtest from dumping the parameter's bytes into every test's name.
void PrintTo(const Param& p, std::ostream* os) {
  *os << p.target.name << " " << p.row.Name() << (p.forced ? " forced" : " realistic");
}

std::string ParamName(const testing::TestParamInfo<Param>& info) {
  return info.param.target.name + "_" + (info.param.forced ? "forced_" : "realistic_") +
         info.param.row.Name();
}

// Results for the coverage table: (target, service.endpoint, status/code) -> marks.
std::map<std::string, std::map<std::string, std::map<std::string, std::string>>>& Table() {
  static std::map<std::string, std::map<std::string, std::map<std::string, std::string>>> t;
  return t;
}

std::string Column(const Row& row) {
  return row.code.empty() || row.code == std::to_string(row.status)
             ? std::to_string(row.status)
             : (row.status == 200 ? "code " + row.code
                                  : std::to_string(row.status) + " " + row.code);
}

std::vector<Param> Params() {
  std::vector<Param> out;
  for (const auto& t : SweepTargets()) {
    for (const auto& r : AllRows()) {
      out.push_back({t, r, false});
      if (!r.success) out.push_back({t, r, true});
    }
  }
  return out;
}

class Sweep : public testing::TestWithParam<Param> {};

TEST_P(Sweep, Row) {
  const Param& p = GetParam();
  static const std::vector<Case> cases = AllCases();
  const Case* c = FindCase(cases, p.row, p.forced);
  std::string& mark = Table()[p.target.name][p.row.service + "." + p.row.endpoint][Column(p.row)];
  if (!c) {
    mark += p.forced ? "f?" : "R?";
    FAIL() << "no " << (p.forced ? "success" : "realistic") << " case for " << p.row.Name();
  }
  Outcome o = RunToCompletion(RunCase(p.target, p.row, *c, p.forced));
  std::string problem = Check(p.row, o);
  mark += problem.empty() ? (p.forced ? "F" : "R") : (p.forced ? "f!" : "r!");
  EXPECT_EQ(problem, "") << (p.forced ? "forced" : "realistic: " + c->trigger);
}

INSTANTIATE_TEST_SUITE_P(Contract, Sweep, testing::ValuesIn(Params()), ParamName);

// Every case must name a documented row: a case for an undocumented status is a contract drift.
TEST(SweepCases, EveryCaseNamesADocumentedRow) {
  auto rows = AllRows();
  for (const auto& c : AllCases()) {
    bool found = false;
    for (const auto& r : rows) {
      found = found || (r.service == c.service && r.endpoint == c.endpoint &&
                        r.status == c.status && r.code == c.code);
    }
    EXPECT_TRUE(found) << c.service << "." << c.endpoint << " " << c.status << " " << c.code;
  }
}

class CoveragePrinter : public testing::Environment {
 public:
  void TearDown() override {
    for (const auto& [target, endpoints] : Table()) {
      std::cout << "\nContract coverage (" << target
                << "): R = realistic ok, F = forced ok, r!/f! = mismatch, R?/f? = no case\n";
      for (const auto& [endpoint, columns] : endpoints) {
        std::cout << "  " << endpoint;
        for (std::size_t i = endpoint.size(); i < 30; ++i) std::cout << ' ';
        for (const auto& [col, marks] : columns) std::cout << " " << col << ":" << marks;
        std::cout << "\n";
      }
    }
    std::cout << std::flush;
  }
};
const auto* const kPrinter = testing::AddGlobalTestEnvironment(new CoveragePrinter);

}  // namespace
}  // namespace restbox::contract
