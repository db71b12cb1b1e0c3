// SPDX-License-Identifier: Apache-2.0
// docs/dram.md's timing table must list what the presets hold.
#include <catch2/catch.hpp>

#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "spark/dram/config.h"

using namespace spark::dram;

namespace {

std::vector<std::string> cells(const std::string& line) {
    std::vector<std::string> out;
    std::stringstream in(line);
    std::string cell;
    std::getline(in, cell, '|');  // before the first bar
    while (std::getline(in, cell, '|')) {
        const auto a = cell.find_first_not_of(' '), b = cell.find_last_not_of(' ');
        out.push_back(a == std::string::npos ? "" : cell.substr(a, b - a + 1));
    }
    if (!out.empty() && out.back().empty()) out.pop_back();
    return out;
}

std::vector<unsigned> numbers(const std::string& cell) {  // "4 / 8" -> {4, 8}; "28 (RL)" -> {28}
    std::vector<unsigned> out;
    std::stringstream in(cell);
    std::string word;
    while (in >> word)
        if (!word.empty() && std::isdigit(static_cast<unsigned char>(word[0]))) out.push_back(unsigned(std::stoul(word)));
    return out;
}

std::map<std::string, unsigned> timing_of(const DramConfig& c) {
    const auto& t = c.timing;
    return {{"CL", t.CL},       {"CWL", t.CWL},     {"RCD", t.RCD},     {"RCD_WR", t.RCD_WR}, {"RP", t.RP},
            {"RAS", t.RAS},     {"RC", t.RC},       {"CCD_S", t.CCD_S}, {"CCD_L", t.CCD_L},   {"RRD_S", t.RRD_S},
            {"RRD_L", t.RRD_L}, {"FAW", t.FAW},     {"WR", t.WR},       {"WTR_S", t.WTR_S},   {"WTR_L", t.WTR_L},
            {"RTP", t.RTP},     {"RTW", t.RTW},     {"RTRS", t.RTRS},   {"RFC", t.RFC},       {"REFI", t.REFI},
            {"controller.starvation_cycles", c.controller.starvation_cycles}};
}

}  // namespace

TEST_CASE("the timing table in docs/dram.md matches the presets", "[dram][docs]") {
    std::ifstream doc(SPARK_DRAM_DOC);
    REQUIRE(doc);
    const std::vector<std::string> presets = {"DDR4-2400", "DDR4-3200", "LPDDR4-3200", "LPDDR4-4266", "HBM2"};
    std::vector<std::map<std::string, unsigned>> expected;
    for (const auto& p : presets) expected.push_back(timing_of(DramConfig::from_preset(p)));
    unsigned rows = 0;
    std::string line;
    while (std::getline(doc, line)) {
        const auto c = cells(line);
        if (c.size() != 8 || c[1] != "nCK") continue;
        std::vector<std::string> names;  // "`CCD_S` / `CCD_L`" -> CCD_S, CCD_L
        for (std::size_t at = c[0].find('`'); at != std::string::npos; at = c[0].find('`', c[0].find('`', at + 1) + 1))
            names.push_back(c[0].substr(at + 1, c[0].find('`', at + 1) - at - 1));
        for (std::size_t p = 0; p < presets.size(); ++p) {
            const auto values = numbers(c[3 + p]);
            REQUIRE(values.size() == names.size());
            for (std::size_t k = 0; k < names.size(); ++k) {
                INFO(presets[p] << " " << names[k]);
                CHECK(expected[p].at(names[k]) == values[k]);
            }
        }
        ++rows;
    }
    CHECK(rows == 18);
}
