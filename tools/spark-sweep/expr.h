// SPDX-License-Identifier: Apache-2.0
// The expressions of a sweep's constraints: numbers, strings, dotted architecture paths, + - * /, comparisons,
// && || !, parentheses. A path is looked up when the expression is evaluated, in a point's resolved architecture.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace spark::sweep {

using Value = std::variant<double, std::string>;

class Expr {
public:
    // Throws spark::Error "<where>: <problem> at column N" on a syntax error.
    static Expr parse(const std::string& text, const std::string& where);

    // `lookup` returns the value of a path or throws spark::Error naming it.
    Value evaluate(const std::function<Value(const std::string&)>& lookup) const;
    const std::vector<std::string>& paths() const { return m_paths; }
    const std::string& text() const { return m_text; }

    struct Node;

private:
    std::shared_ptr<const Node> m_root;
    std::vector<std::string> m_paths;
    std::string m_text;
};

std::string to_string(const Value& v);

}  // namespace spark::sweep
