// SPDX-License-Identifier: Apache-2.0
// Reads one JSON object of a config file with checked fields. Errors name the file and the dotted path of the
// field ("arch.json: dram.tRCD_cycles: expected a positive integer, got -3"); keys nobody asked for are errors,
// so a misspelt option never goes silently unused.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <fmt/format.h>

#include "spark/common/error.h"
#include "spark/common/file.h"

namespace spark {

class ConfigReader {
public:
    // `source` names the file (or "--arch" etc.) in every message; `path` is the object's dotted path.
    ConfigReader(const nlohmann::json& object, std::string source, std::string path = {})
        : m_json(object), m_source(std::move(source)), m_path(std::move(path)) {
        if (!m_json.is_object()) fail("", fmt::format("expected an object, got {}", m_json.type_name()));
    }

    // Parses a file; a syntax error names the file and byte offset.
    static nlohmann::json parse_file(const std::string& file);

    bool has(const std::string& key) const { return m_json.contains(key); }

    template <typename T>
    T require(const std::string& key) {
        if (!m_json.contains(key)) fail(key, "required field is missing");
        return get_as<T>(key);
    }

    template <typename T>
    T get(const std::string& key, const T& fallback) {
        return m_json.contains(key) ? get_as<T>(key) : fallback;
    }

    template <typename T>
    std::optional<T> optional(const std::string& key) {
        if (!m_json.contains(key)) return std::nullopt;
        return get_as<T>(key);
    }

    // A string field turned into a value by `parse` (an enumeration's name); parse's error names the field.
    template <typename Parse>
    auto get_named(const std::string& key, const std::string& fallback, Parse parse) {
        const std::string text = get<std::string>(key, fallback);
        try {
            return parse(text);
        } catch (const Error& e) {
            fail(key, e.what());
        }
    }

    // A nested object; its unknown keys are checked when its own finish() runs.
    ConfigReader child(const std::string& key) {
        if (!m_json.contains(key)) fail(key, "required section is missing");
        m_seen.insert(key);
        return ConfigReader(m_json.at(key), m_source, full(key));
    }

    const nlohmann::json& raw(const std::string& key) {
        if (!m_json.contains(key)) fail(key, "required field is missing");
        m_seen.insert(key);
        return m_json.at(key);
    }

    // Throws naming every key that no get/require/child asked for.
    void finish() const {
        std::string unknown;
        for (const auto& item : m_json.items())
            if (!m_seen.count(item.key())) unknown += (unknown.empty() ? "" : ", ") + full(item.key());
        if (!unknown.empty()) throw Error(fmt::format("{}: unknown field(s): {}", m_source, unknown));
    }

    [[noreturn]] void fail(const std::string& key, const std::string& message) const {
        throw Error(fmt::format("{}: {}{}", m_source, key.empty() && m_path.empty() ? "" : full(key) + ": ", message));
    }

    // Range checks that name the field.
    template <typename T>
    T require_positive(const std::string& key) {
        const T v = require<T>(key);
        if (!(v > T{})) fail(key, fmt::format("must be positive, got {}", v));
        return v;
    }

    const std::string& source() const { return m_source; }
    std::string full(const std::string& key) const {
        if (m_path.empty()) return key;
        return key.empty() ? m_path : m_path + "." + key;
    }

private:
    template <typename T>
    T get_as(const std::string& key) {
        m_seen.insert(key);
        const nlohmann::json& v = m_json.at(key);
        try {
            if constexpr (std::is_same_v<T, bool>) {
                if (!v.is_boolean()) throw std::invalid_argument("expected true or false");
            } else if constexpr (std::is_integral_v<T>) {
                return checked_integer<T>(v);
            } else if constexpr (std::is_floating_point_v<T>) {
                if (!v.is_number()) throw std::invalid_argument("expected a number");
            } else if constexpr (std::is_same_v<T, std::string>) {
                if (!v.is_string()) throw std::invalid_argument("expected a string");
            }
            return v.get<T>();
        } catch (const std::exception& e) {
            fail(key, fmt::format("{}, got {}", e.what(), v.dump()));
        }
    }

    // The JSON integer as T, or an error: a value T cannot hold is never truncated or wrapped.
    template <typename T>
    static T checked_integer(const nlohmann::json& v) {
        if (!v.is_number_integer()) throw std::invalid_argument("expected an integer");
        constexpr int digits = std::numeric_limits<T>::digits;  // value bits: 63 for int64, 32 for uint32, ...
        const auto out_of_range = [] {
            return std::invalid_argument(fmt::format("out of range: must be {} to {}", std::numeric_limits<T>::min(),
                                                     std::numeric_limits<T>::max()));
        };
        if (v.is_number_unsigned()) {
            const std::uint64_t u = v.get<std::uint64_t>();
            if constexpr (digits < 64) {
                if (u > (std::uint64_t{1} << digits) - 1) throw out_of_range();
            }
            return static_cast<T>(u);
        }
        const std::int64_t i = v.get<std::int64_t>();
        if constexpr (std::is_unsigned_v<T>) {
            if (i < 0) throw std::invalid_argument("expected a non-negative integer");
            if constexpr (digits < 64) {
                if (static_cast<std::uint64_t>(i) > (std::uint64_t{1} << digits) - 1) throw out_of_range();
            }
        } else if constexpr (digits < 63) {
            if (i < -(std::int64_t{1} << digits) || i > (std::int64_t{1} << digits) - 1) throw out_of_range();
        }
        return static_cast<T>(i);
    }

    const nlohmann::json& m_json;
    std::string m_source;
    std::string m_path;
    std::set<std::string> m_seen;
};

inline nlohmann::json ConfigReader::parse_file(const std::string& file) {
    require_not_directory(file);
    std::ifstream in(file);
    if (!in) throw Error(fmt::format("{}: cannot open file", file));
    try {
        return nlohmann::json::parse(in, nullptr, true, /*ignore_comments=*/true);
    } catch (const nlohmann::json::exception& e) {  // syntax errors, and numbers out of range (406)
        throw Error(fmt::format("{}: not valid JSON: {}", file, e.what()));
    }
}

}  // namespace spark
