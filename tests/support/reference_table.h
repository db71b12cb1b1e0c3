// SPDX-License-Identifier: Apache-2.0
// Reads the codec truth tables (tests/data/spark-codec-*.csv): value,code_bits,length,decoded.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace spark::test {

struct ReferenceRow {
    int value;
    std::string code_bits;
    int length;
    int decoded;
};

inline std::vector<ReferenceRow> read_reference_table(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open reference table " + path);
    std::vector<ReferenceRow> rows;
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        std::stringstream fields(line);
        std::string value, bits, length, decoded;
        std::getline(fields, value, ',');
        std::getline(fields, bits, ',');
        std::getline(fields, length, ',');
        std::getline(fields, decoded, ',');
        rows.push_back({std::stoi(value), bits, std::stoi(length), std::stoi(decoded)});
    }
    return rows;
}

}  // namespace spark::test
