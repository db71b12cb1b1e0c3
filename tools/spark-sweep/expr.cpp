// SPDX-License-Identifier: Apache-2.0
#include "expr.h"

#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::sweep {

struct Expr::Node {
    enum class Kind { number, string, path, unary, binary } kind;
    double number = 0;
    std::string text;  // string literal, path, or operator
    std::shared_ptr<const Node> a, b;
};

namespace {

using NodePtr = std::shared_ptr<const Expr::Node>;

class Parser {
public:
    Parser(const std::string& text, const std::string& where, std::vector<std::string>& paths)
        : m_text(text), m_where(where), m_paths(paths) {}

    NodePtr parse() {
        NodePtr n = parse_or();
        skip();
        if (m_pos != m_text.size()) fail(fmt::format("unexpected '{}'", m_text.substr(m_pos, 8)));
        return n;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error(fmt::format("{}: {} at column {} of \"{}\"", m_where, what, m_pos + 1, m_text));
    }
    void skip() {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos]))) ++m_pos;
    }
    bool eat(const char* op) {
        skip();
        const std::size_t n = std::char_traits<char>::length(op);
        if (m_text.compare(m_pos, n, op) != 0) return false;
        // "<" must not take the first character of "<=".
        if (n == 1 && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '=' && std::string("<>!=").find(op[0]) != std::string::npos)
            return false;
        m_pos += n;
        return true;
    }
    static NodePtr binary(const std::string& op, NodePtr a, NodePtr b) {
        auto n = std::make_shared<Expr::Node>();
        n->kind = Expr::Node::Kind::binary;
        n->text = op;
        n->a = std::move(a);
        n->b = std::move(b);
        return n;
    }
    NodePtr parse_or() {
        NodePtr n = parse_and();
        while (eat("||")) n = binary("||", n, parse_and());
        return n;
    }
    NodePtr parse_and() {
        NodePtr n = parse_cmp();
        while (eat("&&")) n = binary("&&", n, parse_cmp());
        return n;
    }
    NodePtr parse_cmp() {
        NodePtr n = parse_sum();
        for (const char* op : {"<=", ">=", "==", "!=", "<", ">"})
            if (eat(op)) return binary(op, n, parse_sum());
        return n;
    }
    NodePtr parse_sum() {
        NodePtr n = parse_product();
        for (;;) {
            if (eat("+")) n = binary("+", n, parse_product());
            else if (eat("-")) n = binary("-", n, parse_product());
            else return n;
        }
    }
    NodePtr parse_product() {
        NodePtr n = parse_unary();
        for (;;) {
            if (eat("*")) n = binary("*", n, parse_unary());
            else if (eat("/")) n = binary("/", n, parse_unary());
            else return n;
        }
    }
    NodePtr parse_unary() {
        for (const char* op : {"-", "!"})
            if (eat(op)) {
                auto n = std::make_shared<Expr::Node>();
                n->kind = Expr::Node::Kind::unary;
                n->text = op;
                n->a = parse_unary();
                return n;
            }
        return parse_primary();
    }
    NodePtr parse_primary() {
        skip();
        if (m_pos >= m_text.size()) fail("expression ends early");
        if (eat("(")) {
            NodePtr n = parse_or();
            if (!eat(")")) fail("expected ')'");
            return n;
        }
        auto n = std::make_shared<Expr::Node>();
        const char c = m_text[m_pos];
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
            std::size_t used = 0;
            try {
                n->number = std::stod(m_text.substr(m_pos), &used);
            } catch (const std::exception&) {
                fail("not a number");
            }
            m_pos += used;
            n->kind = Expr::Node::Kind::number;
            // Binary size units, so that "5 MiB" reads as the budget does.
            skip();
            for (auto [unit, scale] : {std::pair{"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}})
                if (m_text.compare(m_pos, 3, unit) == 0) {
                    n->number *= scale;
                    m_pos += 3;
                    break;
                }
            return n;
        }
        if (c == '"' || c == '\'') {
            const std::size_t end = m_text.find(c, m_pos + 1);
            if (end == std::string::npos) fail("unterminated string");
            n->kind = Expr::Node::Kind::string;
            n->text = m_text.substr(m_pos + 1, end - m_pos - 1);
            m_pos = end + 1;
            return n;
        }
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            const std::size_t start = m_pos;
            while (m_pos < m_text.size() &&
                   (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '_' || m_text[m_pos] == '.'))
                ++m_pos;
            n->kind = Expr::Node::Kind::path;
            n->text = m_text.substr(start, m_pos - start);
            m_paths.push_back(n->text);
            return n;
        }
        fail(fmt::format("unexpected '{}'", c));
    }

    const std::string& m_text;
    const std::string& m_where;
    std::vector<std::string>& m_paths;
    std::size_t m_pos = 0;
};

double number_of(const Value& v, const std::string& op) {
    if (const double* d = std::get_if<double>(&v)) return *d;
    throw Error(fmt::format("'{}' needs numbers, got the string \"{}\"", op, std::get<std::string>(v)));
}

Value eval(const Expr::Node& n, const std::function<Value(const std::string&)>& lookup) {
    using K = Expr::Node::Kind;
    switch (n.kind) {
    case K::number: return n.number;
    case K::string: return n.text;
    case K::path: return lookup(n.text);
    case K::unary: {
        const double v = number_of(eval(*n.a, lookup), n.text);
        return n.text == "-" ? -v : double(v == 0);
    }
    case K::binary: break;
    }
    const std::string& op = n.text;
    if (op == "&&") return double(number_of(eval(*n.a, lookup), op) != 0 && number_of(eval(*n.b, lookup), op) != 0);
    if (op == "||") return double(number_of(eval(*n.a, lookup), op) != 0 || number_of(eval(*n.b, lookup), op) != 0);
    const Value a = eval(*n.a, lookup), b = eval(*n.b, lookup);
    if (op == "==" || op == "!=") {
        if (a.index() != b.index())
            throw Error(fmt::format("'{}' compares a number with a string ({} and {})", op, to_string(a), to_string(b)));
        return double((a == b) == (op == "=="));
    }
    const double x = number_of(a, op), y = number_of(b, op);
    if (op == "+") return x + y;
    if (op == "-") return x - y;
    if (op == "*") return x * y;
    if (op == "/") {
        if (y == 0) throw Error("division by zero");
        return x / y;
    }
    if (op == "<") return double(x < y);
    if (op == "<=") return double(x <= y);
    if (op == ">") return double(x > y);
    return double(x >= y);
}

}  // namespace

Expr Expr::parse(const std::string& text, const std::string& where) {
    Expr e;
    e.m_text = text;
    e.m_root = Parser(text, where, e.m_paths).parse();
    return e;
}

Value Expr::evaluate(const std::function<Value(const std::string&)>& lookup) const { return eval(*m_root, lookup); }

std::string to_string(const Value& v) {
    if (const double* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
    return fmt::format("\"{}\"", std::get<std::string>(v));
}

}  // namespace spark::sweep
