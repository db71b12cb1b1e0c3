// SPDX-License-Identifier: Apache-2.0
// Whole-file reads for the binary formats (.npy, .spk): their parsers work on a byte range, so the file is read
// once and errors name the path.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark {

// A folder opens like a file on Linux and then reports a nonsensical size; say what it is instead.
inline void require_not_directory(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw Error(fmt::format("{}: is a directory, not a file", path));
}

inline std::vector<std::uint8_t> read_file_bytes(const std::string& path) {
    require_not_directory(path);
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw Error(fmt::format("{}: cannot open for reading", path));
    const std::streamoff end = in.tellg();
    if (end < 0) throw Error(fmt::format("{}: cannot determine the file size", path));
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(end));
    in.seekg(0);
    if (!bytes.empty() && !in.read(reinterpret_cast<char*>(bytes.data()), end))
        throw Error(fmt::format("{}: read error", path));
    return bytes;
}

}  // namespace spark
