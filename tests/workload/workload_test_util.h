// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <fstream>
#include <string>

#include "spark/common/error.h"
#include "spark/workload/network.h"

// Writes `text` to a file in the test build folder and returns its path.
inline std::string write_test_file(const std::string& name, const std::string& text) {
    const std::string path = std::string(SPARK_TEST_OUTPUT_DIR) + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

// The message load_workload throws for the file, or "" when it loads.
inline std::string load_error(const std::string& name, const std::string& text) {
    const std::string path = write_test_file(name, text);
    try {
        spark::workload::load_workload(path);
    } catch (const spark::Error& e) {
        return e.what();
    }
    return "";
}
